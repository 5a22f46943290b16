package accise

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A gas bill across months gives each month the tax of its own quantity:
// the quantity is split by days and the months fill the annual brackets in
// date order, so January takes the lowest bracket.
func TestMonthlyGasBracketsInDateOrder(t *testing.T) {
	credit := halfGasLine(3, "2026-01-01", "2026-03-31", "-600")
	credit.Kind = CreditNote
	tests := []struct {
		name  string
		lines []Line
		want  map[int]string // month to combustion excise, zero for an absent month
	}{
		// 206.667, 186.667 and 206.666 m³ over the brackets of 120 m³ at
		// 0.044, 360 m³ at 0.175 and 120 m³ at 0.170.
		{"bill across three brackets", []Line{halfGasLine(2, "2026-01-01", "2026-03-31", "600")},
			map[int]string{1: "20.45", 2: "32.67", 3: "35.57"}},
		// January fills 100 m³ of the first bracket. February's 56 m³
		// take its last 20 m³ at 0.044 and 36 m³ at 0.175, March's 62 m³
		// are all at 0.175.
		{"second bill after first", []Line{
			halfGasLine(2, "2026-01-01", "2026-01-31", "100"),
			halfGasLine(3, "2026-02-01", "2026-03-31", "118"),
		}, map[int]string{1: "4.40", 2: "7.18", 3: "10.85"}},
		{"credit note undoing bill", []Line{halfGasLine(2, "2026-01-01", "2026-03-31", "600"), credit},
			map[int]string{1: "0.00", 2: "0.00", 3: "0.00"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, found := Compute(tt.lines, ComputeOptions{})
			require.Empty(t, found)
			taxes, err := MonthlyTaxes(c, "FIE000123", DefaultTerritory())
			require.NoError(t, err)

			got := map[int]string{}
			for _, tax := range taxes {
				if tax.Account.Tax == TaxGasCombustion {
					got[int(tax.Month.Month)] = tax.Amount.StringFixed(2)
				}
			}
			assert.Equal(t, tt.want, got)
		})
	}
}
