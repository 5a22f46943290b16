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

func TestAcciseDeclareDicFailureWritesNothing(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		wantErr string
	}{
		{"gas marker missing", []string{"-company", "TOE000123"}, "-gas-marker"},
		{"company too long for .dic", []string{"-company", "IT00TOE000123", "-gas-marker", "GASNAT"}, "longer than 9 characters"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := acciseLinesFile(t)
			dir := t.TempDir()
			args := append([]string{"accise", "declare", "-year", "2025", "-seat", "TO", "-out", dir, "-dic"}, tc.args...)
			code, out, errOut := acciseRun(append(args, in)...)
			assert.Equal(t, 1, code)
			assert.Contains(t, errOut, tc.wantErr)
			assert.Empty(t, out, "no file path printed")
			entries, err := os.ReadDir(dir)
			require.NoError(t, err)
			assert.Empty(t, entries, "no file left in the output folder")
		})
	}
}

// halfYearLines writes one electricity and one gas bill of January 2026
// in Torino.
func halfYearLines(t *testing.T) string {
	t.Helper()
	power := decimal.NewFromInt(3)
	return acciseLinesFile(t,
		accise.Line{Supply: "IT001E00000009", Commodity: accise.Electricity, Use: accise.UseDwelling, PowerKW: &power, Province: "TO",
			Municipality: "L219", From: civil.Date{Year: 2026, Month: 1, Day: 1}, To: civil.Date{Year: 2026, Month: 1, Day: 31},
			Quantity: decimal.NewFromInt(100), Kind: accise.Invoice},
		accise.Line{Supply: "00880000000009", Commodity: accise.Gas, Use: accise.UseCivil, Province: "TO", Municipality: "L219",
			ClimateZone: "E", From: civil.Date{Year: 2026, Month: 1, Day: 1}, To: civil.Date{Year: 2026, Month: 1, Day: 31},
			Quantity: decimal.NewFromInt(100), Kind: accise.Invoice})
}

func TestAcciseDeclareHalfYearGas(t *testing.T) {
	dir := t.TempDir()
	code, out, errOut := acciseRun("accise", "declare", "-year", "2026", "-half", "1", "-company", "TOE000123", "-seat", "TO",
		"-out", dir, "-force", "-dic", "-monthly-from-lines", halfYearLines(t))
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "EE_TOE000123_2026H1_TO.xml")
	assert.Contains(t, out, "GN_TOE000123_2026H1_TO.xml")
	assert.NotContains(t, out, ".dic", "the legacy file exists for annual declarations only")

	f, err := os.Open(filepath.Join(dir, "GN_TOE000123_2026H1_TO.xml"))
	require.NoError(t, err)
	defer f.Close()
	d, err := accise.ReadGasXML(f)
	require.NoError(t, err)
	assert.Equal(t, "GasNaturaleSemestrale", d.XMLName.Local)
	require.Len(t, d.L, 1)
	require.Len(t, d.L[0].Payments, 6)
	assert.Equal(t, "4.40", d.L[0].Payments[0].Amount.StringFixed(2), "100 m³ at 0.044 due for January")
	assert.Equal(t, "0.00", d.L[0].Payments[1].Amount.StringFixed(2))
}

func TestAcciseDeclareMonthlyRejected(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		wantErr string
	}{
		{"month out of range", []string{"-monthly", "IT/1421/13=1.00"}, "invalid month"},
		{"missing chapter", []string{"-monthly", "TO=1.00"}, "AREA/CHAPTER/MONTH=EURO"},
		{"invalid amount", []string{"-monthly", "IT/1421/1=x"}, "invalid amount"},
		{"month of the other half", []string{"-monthly", "IT/1421/7=1.00"}, "outside half 1"},
		{"both sources", []string{"-monthly", "IT/1421/1=1.00", "-monthly-from-lines"}, "cannot be combined"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"accise", "declare", "-year", "2026", "-half", "1", "-company", "TOE000123", "-seat", "TO",
				"-out", t.TempDir(), "-force"}, tc.args...)
			code, _, errOut := acciseRun(append(args, halfYearLines(t))...)
			assert.NotEqual(t, 0, code)
			assert.Contains(t, errOut, tc.wantErr)
		})
	}
}

func TestAcciseDeclareMonthlyWritten(t *testing.T) {
	dir := t.TempDir()
	code, _, errOut := acciseRun("accise", "declare", "-year", "2026", "-half", "1", "-company", "TOE000123", "-seat", "TO",
		"-out", dir, "-force", "-monthly", "IT/1421/1=4.00", halfYearLines(t))
	require.Equal(t, 0, code, errOut)
	f, err := os.Open(filepath.Join(dir, "GN_TOE000123_2026H1_TO.xml"))
	require.NoError(t, err)
	defer f.Close()
	d, err := accise.ReadGasXML(f)
	require.NoError(t, err)
	require.Len(t, d.L, 1)
	assert.Equal(t, "4.00", d.L[0].Payments[0].Amount.StringFixed(2))
}

func TestAcciseDeclareExemptGasFileNamesAmbito(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "exempt.csv")
	csv := "codice_ditta;pod_pdr;prodotto;categoria_uso;provincia;codice_catastale;zona_climatica;data_inizio;data_fine;quantita\n" +
		"TOE000123;00880000000004;GN;esente;TO;L219;E;01/01/2025;31/12/2025;100\n"
	require.NoError(t, os.WriteFile(in, []byte(csv), 0o644))
	code, out, errOut := acciseRun("accise", "declare", "-year", "2025", "-company", "TOE000123", "-seat", "TO", "-out", dir, in)
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, filepath.Join(dir, "GN_TOE000123_2025_TO.xml")+"\n", out)
}
