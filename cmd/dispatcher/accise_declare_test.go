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

func TestAcciseDeclareHalfYearNamesSkippedGas(t *testing.T) {
	power := decimal.NewFromInt(3)
	in := acciseLinesFile(t,
		accise.Line{Supply: "IT001E00000009", Commodity: accise.Electricity, Use: accise.UseDwelling, PowerKW: &power, Province: "TO",
			Municipality: "L219", From: civil.Date{Year: 2026, Month: 1, Day: 1}, To: civil.Date{Year: 2026, Month: 1, Day: 31},
			Quantity: decimal.NewFromInt(100), Kind: accise.Invoice},
		accise.Line{Supply: "00880000000009", Commodity: accise.Gas, Use: accise.UseCivil, Province: "TO", Municipality: "L219",
			ClimateZone: "E", From: civil.Date{Year: 2026, Month: 1, Day: 1}, To: civil.Date{Year: 2026, Month: 1, Day: 31},
			Quantity: decimal.NewFromInt(100), Kind: accise.Invoice})
	code, out, errOut := acciseRun("accise", "declare", "-year", "2026", "-half", "1", "-company", "TOE000123", "-seat", "TO",
		"-out", t.TempDir(), "-force", in)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "EE_TOE000123_2026H1_TO.xml")
	assert.NotContains(t, out, "GN_")
	assert.Contains(t, errOut, "gas lines are not declared")
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
