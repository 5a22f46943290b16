package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/accise"
	"github.com/bludispatcher/dispatcher/internal/civil"
)

// yearGasFile writes two civil gas bills of 2026 in Torino: 800 m³ in the
// first half and 400 m³ in the second.
func yearGasFile(t *testing.T) string {
	t.Helper()
	bill := func(from, to civil.Date, q int64) accise.Line {
		return accise.Line{Supply: "00880000000009", Commodity: accise.Gas, Use: accise.UseCivil, Province: "TO", Municipality: "L219",
			ClimateZone: "E", From: from, To: to, Quantity: decimal.NewFromInt(q), Kind: accise.Invoice}
	}
	path := filepath.Join(t.TempDir(), "year.csv")
	f, err := os.Create(path)
	require.NoError(t, err)
	w := accise.NewLineCSVWriter(f)
	require.NoError(t, w.Write(bill(civil.Date{Year: 2026, Month: 1, Day: 1}, civil.Date{Year: 2026, Month: 6, Day: 30}, 800)))
	require.NoError(t, w.Write(bill(civil.Date{Year: 2026, Month: 7, Day: 1}, civil.Date{Year: 2026, Month: 12, Day: 31}, 400)))
	require.NoError(t, w.Flush())
	require.NoError(t, f.Close())
	return path
}

func TestAcciseDeclareHalfYearFromYearFile(t *testing.T) {
	tests := []struct {
		half       string
		liquidated string
	}{
		// 120 × 0.044 + 360 × 0.175 + 320 × 0.170
		{"1", "122.68"},
		// 400 × 0.170: the brackets continue from the first half.
		{"2", "68.00"},
	}
	for _, tc := range tests {
		t.Run("half "+tc.half, func(t *testing.T) {
			dir := t.TempDir()
			code, _, errOut := acciseRun("accise", "declare", "-year", "2026", "-half", tc.half, "-company", "TOE000123", "-seat", "TO",
				"-out", dir, "-monthly-from-lines", yearGasFile(t))
			require.Equal(t, 0, code, "no blocking anomaly for the other half's bills: %s", errOut)

			f, err := os.Open(filepath.Join(dir, "GN_TOE000123_2026H"+tc.half+"_TO.xml"))
			require.NoError(t, err)
			defer f.Close()
			d, err := accise.ReadGasXML(f)
			require.NoError(t, err)
			require.Len(t, d.I, 1)
			var total string
			for _, r := range d.I[0].Rows {
				if r.Kind == accise.RowTotal {
					total = r.Total.StringFixed(2)
				}
			}
			assert.Equal(t, tc.liquidated, total)
		})
	}
}

func TestAcciseDeclareAmountFlagsRejected(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		wantErr string
	}{
		{"monthly twice", []string{"-monthly", "IT/1421/1=1.00", "-monthly", "IT/1421/1=2.00"}, "duplicate value for IT/1421 month 1"},
		{"instalments twice", []string{"-instalments", "IT/1421=1.00", "-instalments", "IT/1421=2.00"}, "duplicate value for IT/1421"},
		{"decimal comma", []string{"-monthly", "IT/1421/1=4,40"}, "decimal point"},
		{"exponent", []string{"-monthly", "IT/1421/1=1e999999999"}, "at most two decimals"},
		{"thousands point", []string{"-instalments", "IT/1421=1.234"}, "at most two decimals"},
		{"too many digits", []string{"-monthly", "IT/1421/1=99999999999999"}, "more than 12 digits"},
		{"province for excise", []string{"-monthly", "TO/1421/1=4.40"}, "not an ambito"},
		{"unknown chapter", []string{"-monthly", "IT/1422/1=4.40"}, "chapter"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"accise", "declare", "-year", "2026", "-half", "1", "-company", "TOE000123", "-seat", "TO",
				"-out", t.TempDir()}, tc.args...)
			code, out, errOut := acciseRun(append(args, yearGasFile(t))...)
			assert.NotEqual(t, 0, code)
			assert.Contains(t, errOut, tc.wantErr)
			assert.Empty(t, out, "no file written")
		})
	}
}

func TestAcciseHalfOutOfRange(t *testing.T) {
	declarant := []string{"-company", "TOE000123", "-seat", "TO"}
	commands := map[string]func(dir string) []string{
		"check":   func(string) []string { return nil },
		"declare": func(dir string) []string { return append([]string{"-out", dir}, declarant...) },
		"report":  func(dir string) []string { return append([]string{"-o", filepath.Join(dir, "r.xlsx")}, declarant...) },
	}
	for _, half := range []string{"-1", "3"} {
		for command, flags := range commands {
			t.Run(command+" half "+half, func(t *testing.T) {
				args := append([]string{"accise", command, "-year", "2026", "-half", half}, flags(t.TempDir())...)
				code, _, errOut := acciseRun(append(args, yearGasFile(t))...)
				assert.NotEqual(t, 0, code)
				assert.Contains(t, errOut, "-half: invalid half "+half)
			})
		}
	}
}
