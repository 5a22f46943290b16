package accise

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
)

// The regional tax of a gas correction goes to no frame, so the control
// report lists it as not declared instead of dropping it.
func TestReportUndeclaredSurcharge(t *testing.T) {
	correction := func(use Use, prov, mun, zone, quantity string) Line {
		return Line{File: "fix.csv", Row: 2, Company: "FIE000123", Supply: "00880000000301", Commodity: Gas, Use: use,
			Province: prov, Municipality: mun, ClimateZone: zone,
			From: day("2024-10-01"), To: day("2024-12-31"), Quantity: dec(quantity), Kind: Correction}
	}
	issuedEarlier := correction(UseCivil, "TO", "L219", "E", "100")
	issuedEarlier.Issued = day("2024-12-15")
	invoice := correction(UseCivil, "TO", "L219", "E", "100")
	invoice.Kind, invoice.From, invoice.To = Invoice, day("2025-01-01"), day("2025-03-31")

	tests := []struct {
		name string
		line Line
		want []string // the sheet row after its header, or nil for none
	}{
		// 100 m³ in the first bracket of Piemonte at 0.022 €/m³.
		{"debit in Piemonte", correction(UseCivil, "TO", "L219", "E", "100"),
			[]string{"GN", "TO", "fix.csv", "2", "00880000000301", "ARISGAN", ItemCorrectionsDebit, "100", "2.2", reasonSurchargeCorrection}},
		{"credit in Piemonte", correction(UseCivil, "TO", "L219", "E", "-100"),
			[]string{"GN", "TO", "fix.csv", "2", "00880000000301", "ARISGAN", ItemCorrectionsCredit, "-100", "-2.2", reasonSurchargeCorrection}},
		// Exempt use in Toscana bears IRS at 0.026 €/m³.
		{"exempt in Toscana", correction(UseExempt, "FI", "D612", "D", "100"),
			[]string{"GN", "FI", "fix.csv", "2", "00880000000301", "IRS", ItemCorrectionsDebit, "100", "2.6", reasonSurchargeCorrection}},
		{"Lombardia without ARISGAN", correction(UseCivil, "MI", "F205", "E", "100"), nil},
		{"special-statute Sicilia", correction(UseCivil, "PA", "G273", "B", "100"), nil},
		{"issued before the year", issuedEarlier, nil},
		{"invoice of the year", invoice, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, found := Compute([]Line{tt.line}, ComputeOptions{})
			require.Empty(t, found)
			opts := yearOptions()
			opts.InstalmentsDue = nil

			var buf bytes.Buffer
			require.NoError(t, WriteReport(&buf, ReportInput{Computation: c, Options: opts}))
			f, err := excelize.OpenReader(&buf)
			require.NoError(t, err)
			defer f.Close()
			got, err := f.GetRows(SheetUndeclared)
			require.NoError(t, err)
			require.NotEmpty(t, got, "header row")

			if tt.want == nil {
				assert.Len(t, got, 1, "no undeclared row")
				return
			}
			require.Len(t, got, 2)
			assert.Equal(t, tt.want, got[1])
		})
	}
}
