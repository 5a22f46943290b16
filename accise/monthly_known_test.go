package accise

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMonthlyTaxesKnownSkipsUnknown(t *testing.T) {
	unknownEE := eeLine(3)
	unknownEE.Supply, unknownEE.Province = "IT001E00000002", "XX"
	unknownGas := gnLine(4)
	unknownGas.Province = "XX"
	tests := []struct {
		name    string
		lines   []Line
		skipped []int // rows warned about
		taxes   int
	}{
		// One electricity month, and 12 months each of gas excise and ARISGAN.
		{"all known", []Line{eeLine(2), gnLine(3)}, nil, 25},
		{"unknown electricity", []Line{eeLine(2), unknownEE}, []int{3}, 1},
		{"unknown gas", []Line{eeLine(2), unknownGas}, []int{4}, 1},
		{"only unknown", []Line{unknownEE, unknownGas}, []int{3, 4}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := Compute(tt.lines, ComputeOptions{})
			taxes, skipped, err := MonthlyTaxesKnown(c, "TOE000123", DefaultTerritory())
			require.NoError(t, err)
			assert.Len(t, taxes, tt.taxes)
			var rows []int
			for _, a := range skipped {
				rows = append(rows, a.Line)
				assert.Equal(t, CodeProvinceUnknown, a.Code)
				assert.Equal(t, Warning, a.Severity)
			}
			assert.Equal(t, tt.skipped, rows)

			strict, err := MonthlyTaxes(c, "TOE000123", DefaultTerritory())
			if len(tt.skipped) > 0 {
				assert.ErrorContains(t, err, `unknown province "XX"`)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, taxes, strict)
		})
	}
}
