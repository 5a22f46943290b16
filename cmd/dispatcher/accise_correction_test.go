package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/accise"
)

// correctionYearFile writes two civil gas bills for January and February
// 2026 in Torino and a correction of January issued on 15 August 2026.
func correctionYearFile(t *testing.T) string {
	t.Helper()
	const data = "pod_pdr;prodotto;categoria_uso;provincia;codice_catastale;zona_climatica;data_inizio;data_fine;quantita;tipo_documento;data_documento\n" +
		"00880000000009;GN;civile;TO;L219;E;01/01/2026;31/01/2026;100;fattura;31/01/2026\n" +
		"00880000000009;GN;civile;TO;L219;E;01/02/2026;28/02/2026;100;fattura;28/02/2026\n" +
		"00880000000009;GN;civile;TO;L219;E;01/01/2026;31/01/2026;50;rettifica;15/08/2026\n"
	path := filepath.Join(t.TempDir(), "year.csv")
	require.NoError(t, os.WriteFile(path, []byte(data), 0o600))
	return path
}

// -monthly-from-lines puts a dated correction in the monthly payment of
// the month that issued it, so the half that declares its tax also counts
// it as paid and neither half shows a balance from it.
func TestAcciseDeclareDatedCorrectionMonthly(t *testing.T) {
	tests := []struct {
		half       string
		liquidated string
		payments   []string
	}{
		// 4.40 for January, 14.88 for February (20 m³ at 0.044 and 80 m³
		// at 0.175). The correction's 50 m³ at 0.044 are issued in August.
		{"1", "19.28", []string{"4.40", "14.88", "0.00", "0.00", "0.00", "0.00"}},
		{"2", "2.20", []string{"0.00", "2.20", "0.00", "0.00", "0.00", "0.00"}},
	}
	for _, tc := range tests {
		t.Run("half "+tc.half, func(t *testing.T) {
			dir := t.TempDir()
			code, _, errOut := acciseRun("accise", "declare", "-year", "2026", "-half", tc.half, "-company", "TOE000123", "-seat", "TO",
				"-out", dir, "-monthly-from-lines", correctionYearFile(t))
			require.Equal(t, 0, code, errOut)

			f, err := os.Open(filepath.Join(dir, "GN_TOE000123_2026H"+tc.half+"_TO.xml"))
			require.NoError(t, err)
			defer f.Close()
			d, err := accise.ReadGasXML(f)
			require.NoError(t, err)
			require.Len(t, d.L, 1)
			rows := map[int]string{}
			for _, r := range d.L[0].Rows {
				rows[r.Row] = r.Amount.StringFixed(2)
			}
			assert.Equal(t, tc.liquidated, rows[6], "row 6, tax liquidated")
			assert.Equal(t, tc.liquidated, rows[7], "row 7, monthly payments due")
			assert.Equal(t, "0.00", rows[8], "row 8, balance due")
			assert.Equal(t, "0.00", rows[9], "row 9, balance credit")
			var payments []string
			for _, p := range d.L[0].Payments {
				payments = append(payments, p.Amount.StringFixed(2))
			}
			assert.Equal(t, tc.payments, payments)
		})
	}
}

// The help of -monthly-from-lines states in which month a dated
// correction counts.
func TestAcciseDeclareMonthlyFromLinesHelp(t *testing.T) {
	tests := []struct {
		name string
		want string
	}{
		{"flag", "-monthly-from-lines"},
		{"dated correction", "A correction with data_documento counts in the month it was issued"},
	}
	_, _, errOut := acciseRun("accise", "declare", "-h")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Contains(t, errOut, tt.want)
		})
	}
}
