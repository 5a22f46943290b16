package accise

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// correctionLine returns a correction of the given commodity for January
// 2026, issued on the given day (ISO) or undated when issued is empty.
// The gas correction is civil use in Firenze, 50 m³ of it 2.20 € at the
// first bracket. The electricity one is non-dwelling use in Torino.
func correctionLine(c Commodity, quantity, issued string) Line {
	l := halfGasLine(9, "2026-01-01", "2026-01-31", quantity)
	if c == Electricity {
		l = eeLine(9)
		l.Use, l.Resident = UseNonDwelling, nil
		l.From, l.To, l.Quantity = day("2026-01-01"), day("2026-01-31"), dec(quantity)
	}
	l.Kind = Correction
	if issued != "" {
		l.Issued = day(issued)
	}
	return l
}

// A dated correction counts in the month it was issued, whatever period
// it corrects. An undated one keeps the months of its period (gas) or is
// left out (electricity).
func TestMonthlyTaxesDatedCorrection(t *testing.T) {
	janGas := halfGasLine(2, "2026-01-01", "2026-01-31", "100")
	quarter := halfGasLine(9, "2026-01-01", "2026-03-31", "150")
	quarter.Kind, quarter.Issued = Correction, day("2026-08-15")
	november := halfGasLine(9, "2026-11-01", "2026-11-30", "50")
	november.Kind, november.Issued = Correction, day("2027-01-10")
	tests := []struct {
		name  string
		lines []Line
		want  map[string]string // "tax month" to amount, for the excise accounts
	}{
		{"gas dated in August", []Line{janGas, correctionLine(Gas, "50", "2026-08-15")},
			map[string]string{"gn-combustion 2026-01": "4.40", "gn-combustion 2026-08": "2.20"}},
		{"gas dated credit", []Line{janGas, correctionLine(Gas, "-50", "2026-08-15")},
			map[string]string{"gn-combustion 2026-01": "4.40", "gn-combustion 2026-08": "-2.20"}},
		{"gas dated in its month", []Line{janGas, correctionLine(Gas, "50", "2026-01-31")},
			map[string]string{"gn-combustion 2026-01": "6.60"}},
		// A correction is computed as a year of its own, so 120 m³ at
		// 0.044 and 30 m³ at 0.175, and August takes all of it.
		{"gas across months dated", []Line{janGas, quarter},
			map[string]string{"gn-combustion 2026-01": "4.40", "gn-combustion 2026-08": "10.53"}},
		{"gas issued next year", []Line{november},
			map[string]string{"gn-combustion 2027-01": "2.20"}},
		{"gas undated", []Line{janGas, correctionLine(Gas, "50", "")},
			map[string]string{"gn-combustion 2026-01": "6.60"}},
		// 100 kWh at 0.0125, the first slice of non-dwelling use.
		{"electricity dated in March", []Line{correctionLine(Electricity, "100", "2026-03-10")},
			map[string]string{"ee 2026-03": "1.25"}},
		{"electricity dated credit", []Line{correctionLine(Electricity, "-100", "2026-03-10")},
			map[string]string{"ee 2026-03": "-1.25"}},
		{"electricity undated", []Line{correctionLine(Electricity, "100", "")},
			map[string]string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, found := Compute(tt.lines, ComputeOptions{})
			require.Empty(t, found)
			taxes, err := MonthlyTaxes(c, "FIE000123", DefaultTerritory())
			require.NoError(t, err)

			got := map[string]string{}
			for _, tax := range taxes {
				if tax.Account.Tax == TaxGasCombustion || tax.Account.Tax == TaxElectricity {
					got[string(tax.Account.Tax)+" "+tax.Month.String()] = tax.Amount.StringFixed(2)
				}
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

// MonthlyTaxesKnown leaves out a dated correction from an unknown province
// with a warning, as it does an invoice.
func TestMonthlyTaxesKnownDatedCorrection(t *testing.T) {
	for _, commodity := range []Commodity{Electricity, Gas} {
		t.Run(commodity.String(), func(t *testing.T) {
			l := correctionLine(commodity, "50", "2026-08-15")
			l.Province = "ZZ"
			c, _ := Compute([]Line{l}, ComputeOptions{})
			taxes, skipped, err := MonthlyTaxesKnown(c, "FIE000123", DefaultTerritory())
			require.NoError(t, err)
			assert.Empty(t, taxes)
			require.Len(t, skipped, 1)
			assert.Equal(t, CodeProvinceUnknown, skipped[0].Code)
			assert.Equal(t, 9, skipped[0].Line)

			_, err = MonthlyTaxes(c, "FIE000123", DefaultTerritory())
			assert.ErrorContains(t, err, "row 9")
		})
	}
}

// With the monthly payments from the lines, each half declares a dated
// correction in both its liquidated tax and its payments due, so neither
// half shows a balance from it.
func TestHalfYearDatedCorrectionBalance(t *testing.T) {
	gasLines := []Line{
		halfGasLine(2, "2026-01-01", "2026-01-31", "100"),
		halfGasLine(3, "2026-02-01", "2026-02-28", "100"),
		correctionLine(Gas, "50", "2026-08-15"),
	}
	eeInvoice := eeLine(2)
	eeInvoice.Use, eeInvoice.Resident = UseNonDwelling, nil
	eeInvoice.From, eeInvoice.To, eeInvoice.Quantity = day("2026-01-01"), day("2026-01-31"), dec("1000")
	eeLines := []Line{eeInvoice, correctionLine(Electricity, "100", "2026-08-15")}
	tests := []struct {
		name       string
		commodity  Commodity
		lines      []Line
		half       int
		liquidated string
	}{
		// 4.40 for January and 14.88 for February (20 m³ at 0.044 and
		// 80 m³ at 0.175). The correction is issued in the second half.
		{"gas first half", Gas, gasLines, 1, "19.28"},
		{"gas second half", Gas, gasLines, 2, "2.20"},
		{"electricity first half", Electricity, eeLines, 1, "12.50"},
		{"electricity second half", Electricity, eeLines, 2, "1.25"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := computeHalfYear(t, tt.lines)
			opts := halfYearOptions(t, c, tt.half)
			layout := opts.layout()
			frame, prefix := "Q", ""
			var summaries []SummaryFrame
			if tt.commodity == Gas {
				frame, prefix = "L", ChapterCombustion+":"
				decls, err := BuildGas(c, opts)
				require.NoError(t, err)
				require.Len(t, decls, 1)
				summaries = decls[0].L
			} else {
				decls, err := BuildElectricity(c, opts)
				require.NoError(t, err)
				require.Len(t, decls, 1)
				summaries = decls[0].Q
			}
			require.NotEmpty(t, summaries)
			value := func(key string) string {
				def, ok := layout.Row(tt.commodity, frame, prefix+key)
				require.True(t, ok, key)
				v, ok := summaryRow(summaries[0].Rows, def.Row)
				require.True(t, ok, key)
				return v.StringFixed(2)
			}
			assert.Equal(t, tt.liquidated, value("liquidated"))
			assert.Equal(t, tt.liquidated, value("instalments-due"))
			assert.Equal(t, "0.00", value("balance-debit"))
			assert.Equal(t, "0.00", value("balance-credit"))
		})
	}
}
