package server

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/server/store"
)

// With force=true, monthly_from_lines leaves out a line from an unknown
// province, as the declarations do. Without force the request fails.
func TestAcciseMonthlyFromLinesForce(t *testing.T) {
	dir := t.TempDir()
	cfg := testConfig(dir)
	st := openSQLite(t, cfg)
	r := startServer(t, cfg, st, testLogger(t))
	half := "codice_ditta;pod_pdr;prodotto;categoria_uso;provincia;codice_catastale;zona_climatica;ex_casmez;data_inizio;data_fine;quantita;tipo_documento\n" +
		"IT00TOA00001A;00880000000001;GN;civile;TO;L219;E;C;01/01/2026;31/01/2026;100;fattura\n" +
		"IT00TOA00001A;00880000000002;GN;civile;ZZ;L219;E;C;01/01/2026;31/01/2026;100;fattura\n"
	status, body := r.post(t, "/api/v1/accise/uploads?name=half.csv", tokenAcme, []byte(half))
	require.Equal(t, http.StatusCreated, status, string(body))
	var load store.Load
	require.NoError(t, json.Unmarshal(body, &load))
	query := "?year=2026&half=1&excise_code=TOE000123&seat=TO&monthly_from_lines=true&loads=" + itoa(int64(load.ID))

	tests := []struct {
		name   string
		path   string
		status int
		body   string
	}{
		{"declaration with force", "/api/v1/accise/declaration.zip" + query + "&force=true", http.StatusOK, ""},
		{"declaration without force", "/api/v1/accise/declaration.zip" + query, http.StatusConflict, "force=true"},
		{"report with force", "/api/v1/accise/report.xlsx" + query + "&force=true", http.StatusOK, ""},
		{"report without force", "/api/v1/accise/report.xlsx" + query, http.StatusBadRequest, `unknown province \"ZZ\"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body, _ := r.call(t, http.MethodGet, tt.path, tokenAcme)
			assert.Equal(t, tt.status, status, string(body))
			if tt.body != "" {
				assert.Contains(t, string(body), tt.body)
			}
		})
	}
}
