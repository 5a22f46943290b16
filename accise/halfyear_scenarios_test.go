package accise

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Edge cases of the half-year gas declaration: each one must validate
// against the XSD and read back equal.
func TestHalfYearGasEdgeCasesXML(t *testing.T) {
	withKind := func(l Line, k DocumentKind) Line { l.Kind = k; return l }
	withUse := func(l Line, u Use) Line { l.Use = u; return l }
	naples := func(from, to, q string) Line {
		l := halfGasLine(2, from, to, q)
		l.Supply, l.Province, l.Municipality = "00880000000401", "NA", "F839"
		return l
	}
	tests := []struct {
		name  string
		year  int
		half  int
		lines []Line
	}{
		{"only corrections", 2026, 2, []Line{withKind(halfGasLine(2, "2026-01-01", "2026-03-31", "-50"), Correction)}},
		{"credit above the year", 2026, 2, []Line{
			halfGasLine(2, "2026-01-01", "2026-06-30", "100"),
			withKind(halfGasLine(3, "2026-07-01", "2026-07-31", "-300"), CreditNote)}},
		{"leap year", 2028, 1, []Line{halfGasLine(2, "2028-01-01", "2028-12-31", "366")}},
		{"zero quantity", 2026, 1, []Line{halfGasLine(2, "2026-01-01", "2026-01-31", "0")}},
		{"industrial above the cap", 2026, 2, []Line{
			withUse(halfGasLine(2, "2026-01-01", "2026-06-30", "1000000"), UseIndustrial),
			withUse(halfGasLine(3, "2026-07-01", "2026-12-31", "500000"), UseIndustrial)}},
		{"vehicle and exempt", 2026, 2, []Line{
			withUse(naples("2026-07-01", "2026-07-31", "1000"), UseVehicle),
			withUse(naples("2026-08-01", "2026-08-31", "1000"), UseExempt)}},
		{"across the year edge", 2026, 1, []Line{halfGasLine(2, "2025-12-01", "2026-01-31", "310")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, found := Compute(tt.lines, ComputeOptions{})
			require.Empty(t, found)
			taxes, err := MonthlyTaxes(c, "FIE000123", DefaultTerritory())
			require.NoError(t, err)
			opts := yearOptions()
			opts.Year, opts.Half, opts.InstalmentsDue, opts.GasSold, opts.Suppliers = tt.year, tt.half, nil, nil, nil
			opts.MonthlyDue = MonthlyDueOf(taxes, tt.year, tt.half)
			decls, err := BuildGas(c, opts)
			require.NoError(t, err)
			assert.NotEmpty(t, decls)
			for _, d := range decls {
				var buf bytes.Buffer
				require.NoError(t, WriteXML(&buf, d))
				validate(t, "GasNaturale.xsd", buf.Bytes())
				back, err := ReadGasXML(bytes.NewReader(buf.Bytes()))
				require.NoError(t, err)
				assert.Empty(t, cmp.Diff(d, back, decimalEqual, cmpopts.EquateEmpty()))
			}
		})
	}
}
