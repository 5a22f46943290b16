package server

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/bludispatcher/dispatcher/internal/anomaly"
	"github.com/bludispatcher/dispatcher/server/store"
)

// post sends body to path and returns the status and response body.
func (r *running) post(t *testing.T, path, token string, body []byte) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, r.base+path, bytes.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, out
}

func TestAcciseEndpoints(t *testing.T) {
	dir := t.TempDir()
	cfg := testConfig(dir)
	st := openSQLite(t, cfg)
	r := startServer(t, cfg, st, testLogger(t))
	lines, err := os.ReadFile(filepath.Join("..", "accise", "testdata", "lines.csv"))
	require.NoError(t, err)

	status, body := r.post(t, "/api/v1/accise/uploads?name=lines.csv", tokenAcme, lines)
	require.Equal(t, http.StatusCreated, status, string(body))
	var upload store.Load
	require.NoError(t, json.Unmarshal(body, &upload))
	assert.Equal(t, "ACCISE", upload.FlowCode)
	assert.Equal(t, 4, upload.RecordsLoaded)
	assert.Equal(t, 1, upload.RecordsRejected, "the row whose quantity is x")
	assert.NotEqual(t, store.StatusRejected, upload.Status)

	t.Run("Uploads", func(t *testing.T) {
		status, body := r.post(t, "/api/v1/accise/uploads?name=copy.csv", tokenAcme, lines)
		require.Equal(t, http.StatusOK, status, string(body))
		var dup store.Load
		require.NoError(t, json.Unmarshal(body, &dup))
		assert.Equal(t, store.StatusDuplicate, dup.Status)
		assert.Equal(t, upload.ID, dup.DuplicateOf)

		var list struct{ Items []store.Load }
		r.getJSON(t, "/api/v1/accise/uploads", tokenAcme, &list)
		assert.Len(t, list.Items, 2, "the upload and its duplicate")

		status, body = r.post(t, "/api/v1/accise/uploads?name=empty.csv", tokenAcme, nil)
		assert.Equal(t, http.StatusBadRequest, status, string(body))
		status, body = r.post(t, "/api/v1/accise/uploads?name=x.csv&profile=nope", tokenAcme, lines)
		assert.Equal(t, http.StatusBadRequest, status, string(body))
		status, body = r.post(t, "/api/v1/accise/uploads", tokenAcme, lines)
		assert.Equal(t, http.StatusBadRequest, status, string(body))

		status, _, _ = r.call(t, http.MethodGet, "/api/v1/loads/"+itoa(int64(upload.ID))+"/original", tokenAcme)
		assert.Equal(t, http.StatusOK, status)
	})

	t.Run("Check", func(t *testing.T) {
		var check struct {
			Lines     int
			Blocking  int
			Anomalies []anomaly.Anomaly
		}
		r.getJSON(t, "/api/v1/accise/check?year=2025", tokenAcme, &check)
		assert.Equal(t, 4, check.Lines)
		assert.NotZero(t, check.Blocking, "the unreadable row")
		r.getJSON(t, "/api/v1/accise/check?year=2025&loads="+itoa(int64(upload.ID)), tokenAcme, &check)
		assert.Equal(t, 4, check.Lines)
		r.getJSON(t, "/api/v1/accise/check?year=2025", tokenOther, &check)
		assert.Zero(t, check.Lines, "another company has no lines")
	})

	t.Run("Declaration", func(t *testing.T) {
		path := "/api/v1/accise/declaration.zip?year=2025&excise_code=TOE000123&seat=TO&dic=true&gas_marker=GASNAT&force=true"
		status, body, header := r.call(t, http.MethodGet, path, tokenAcme)
		require.Equal(t, http.StatusOK, status, string(body))
		assert.Equal(t, "application/zip", header.Get("Content-Type"))
		zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
		require.NoError(t, err)
		kinds := map[string]int{}
		for _, f := range zr.File {
			kinds[f.Name[:2]+filepath.Ext(f.Name)]++
			assert.True(t, strings.Contains(f.Name, "_TOE000123_2025_"), f.Name)
		}
		assert.NotZero(t, kinds["EE.xml"])
		assert.NotZero(t, kinds["EE.dic"])
		assert.NotZero(t, kinds["GN.xml"])
		assert.NotZero(t, kinds["GN.dic"])

		status, body, _ = r.call(t, http.MethodGet, "/api/v1/accise/declaration.zip?year=2025&excise_code=TOE000123&seat=TO&dic=true&force=true", tokenAcme)
		assert.Equal(t, http.StatusBadRequest, status, "gas .dic without marker: %s", body)
		status, _, _ = r.call(t, http.MethodGet, "/api/v1/accise/declaration.zip?year=2025&seat=TO", tokenAcme)
		assert.Equal(t, http.StatusBadRequest, status, "missing excise code")
		status, _, _ = r.call(t, http.MethodGet, "/api/v1/accise/declaration.zip?year=2025&excise_code=TOE000123&seat=ZZ", tokenAcme)
		assert.Equal(t, http.StatusBadRequest, status, "unknown seat province")
		status, _, _ = r.call(t, http.MethodGet, path+"&loads="+itoa(int64(upload.ID)), tokenOther)
		assert.Equal(t, http.StatusNotFound, status, "another company's upload")
	})

	t.Run("BlockingAnomaliesStopDeclaration", func(t *testing.T) {
		bad := "codice_ditta;pod_pdr;prodotto;categoria_uso;provincia;codice_catastale;mese;quantita;accisa_fatturata;tipo_documento\n" +
			"IT00TOA00001A;IT001E00000009;EE;altri usi;ZZ;L219;01/2025;-5;0;fattura\n"
		status, body := r.post(t, "/api/v1/accise/uploads?name=bad.csv", tokenOther, []byte(bad))
		require.Equal(t, http.StatusCreated, status, string(body))
		status, body, _ = r.call(t, http.MethodGet, "/api/v1/accise/declaration.zip?year=2025&excise_code=TOE000123&seat=TO", tokenOther)
		require.Equal(t, http.StatusConflict, status, string(body))
		var resp struct {
			Error    string
			Blocking int
		}
		require.NoError(t, json.Unmarshal(body, &resp))
		assert.NotZero(t, resp.Blocking)
		assert.Contains(t, resp.Error, "force=true")
	})

	t.Run("Report", func(t *testing.T) {
		status, body, header := r.call(t, http.MethodGet, "/api/v1/accise/report.xlsx?year=2025&excise_code=TOE000123&seat=TO", tokenAcme)
		require.Equal(t, http.StatusOK, status, string(body))
		assert.Contains(t, header.Get("Content-Disposition"), "accise-report-2025.xlsx")
		f, err := excelize.OpenReader(bytes.NewReader(body))
		require.NoError(t, err)
		defer f.Close()
		assert.NotEmpty(t, f.GetSheetList())
	})

	t.Run("SmallBodyLimitElsewhere", func(t *testing.T) {
		status, _ := r.post(t, "/api/v1/scan", tokenAcme, make([]byte, 100<<10))
		assert.Equal(t, http.StatusRequestEntityTooLarge, status)
	})

	// Runs last because its upload adds lines to the company's totals.
	t.Run("HalfYearGasDeclaration", func(t *testing.T) {
		half := "codice_ditta;pod_pdr;prodotto;categoria_uso;provincia;codice_catastale;zona_climatica;ex_casmez;data_inizio;data_fine;quantita;tipo_documento\n" +
			"IT00TOA00001A;00880000000001;GN;civile;TO;L219;E;C;01/01/2026;30/06/2026;600;fattura\n"
		status, body := r.post(t, "/api/v1/accise/uploads?name=half.csv", tokenAcme, []byte(half))
		require.Equal(t, http.StatusCreated, status, string(body))
		var load store.Load
		require.NoError(t, json.Unmarshal(body, &load))
		base := "/api/v1/accise/declaration.zip?year=2026&half=1&excise_code=TOE000123&seat=TO&force=true&loads=" + itoa(int64(load.ID))

		status, body, _ = r.call(t, http.MethodGet, base+"&monthly_from_lines=true", tokenAcme)
		require.Equal(t, http.StatusOK, status, string(body))
		zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
		require.NoError(t, err)
		var gas []byte
		for _, f := range zr.File {
			if f.Name == "GN_TOE000123_2026H1_TO.xml" {
				rc, err := f.Open()
				require.NoError(t, err)
				gas, err = io.ReadAll(rc)
				rc.Close()
				require.NoError(t, err)
			}
		}
		require.NotEmpty(t, gas, "the zip has the half-year gas declaration")
		assert.Contains(t, string(gas), "<GasNaturaleSemestrale")
		assert.Contains(t, string(gas), "<VersMese>")

		status, body, _ = r.call(t, http.MethodGet, base+"&monthly=IT/1421/13=1.00", tokenAcme)
		assert.Equal(t, http.StatusBadRequest, status, "month 13: %s", body)
		status, body, _ = r.call(t, http.MethodGet, base+"&monthly=IT/1421/1=1.00&monthly_from_lines=true", tokenAcme)
		assert.Equal(t, http.StatusBadRequest, status, "both sources: %s", body)
		status, body, _ = r.call(t, http.MethodGet, base+"&monthly=IT/1421/7=1.00", tokenAcme)
		assert.Equal(t, http.StatusBadRequest, status, "month of the other half: %s", body)
	})
}
