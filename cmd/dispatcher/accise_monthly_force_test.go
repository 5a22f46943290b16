package main

import (
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"

	"github.com/bludispatcher/dispatcher/accise"
	"github.com/bludispatcher/dispatcher/internal/civil"
)

// With -force, -monthly-from-lines leaves out a line from an unknown
// province with a warning, as the declarations leave it out.
func TestAcciseMonthlyFromLinesUnknownProvince(t *testing.T) {
	january := func(supply string, c accise.Commodity, use accise.Use, province string) accise.Line {
		return accise.Line{Supply: supply, Commodity: c, Use: use, Province: province, Municipality: "L219", ClimateZone: "E",
			From: civil.Date{Year: 2026, Month: 1, Day: 1}, To: civil.Date{Year: 2026, Month: 1, Day: 31},
			Quantity: decimal.NewFromInt(100), Kind: accise.Invoice}
	}
	known := january("00880000000009", accise.Gas, accise.UseCivil, "TO")
	tests := []struct {
		name    string
		unknown accise.Line
		force   bool
		code    int
		stderr  string
	}{
		{"electricity with force", january("IT001E00000009", accise.Electricity, accise.UseNonDwelling, "XX"), true, 0,
			"left out of the monthly payments"},
		{"gas with force", january("00880000000008", accise.Gas, accise.UseCivil, "XX"), true, 0,
			"left out of the monthly payments"},
		{"gas without force", january("00880000000008", accise.Gas, accise.UseCivil, "XX"), false, 1,
			"or add -force to leave such lines out"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := []string{"accise", "declare", "-year", "2026", "-half", "1", "-company", "TOE000123", "-seat", "TO",
				"-out", t.TempDir(), "-monthly-from-lines"}
			if tt.force {
				args = append(args, "-force")
			}
			args = append(args, acciseLinesFile(t, known, tt.unknown))
			code, out, errOut := acciseRun(args...)
			assert.Equal(t, tt.code, code, errOut)
			assert.Contains(t, errOut, tt.stderr)
			if tt.code == 0 {
				assert.Contains(t, out, "GN_TOE000123_2026H1_TO.xml")
			}
		})
	}
}
