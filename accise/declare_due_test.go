package accise

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// An ambito with payments due but no billing line in the period still gets
// a declaration whose summary frame turns the payments into a credit.
func TestGasDueWithoutLines(t *testing.T) {
	firstHalf := []Line{halfGasLine(2, "2026-01-01", "2026-06-30", "100")}
	tests := []struct {
		name        string
		year, half  int
		monthly     map[string]map[int]decimal.Decimal
		instalments map[string]decimal.Decimal
		// credits are the balance credits of every frame L, by ambito code
		// and chapter.
		credits map[string]string
	}{
		{name: "empty second half", year: 2026, half: 2,
			monthly: map[string]map[int]decimal.Decimal{SummaryKey("IT", ChapterCombustion): {7: dec("100.00")}},
			credits: map[string]string{"FI/1421": "100.00"}},
		{name: "other ambito", year: 2026, half: 1,
			monthly: map[string]map[int]decimal.Decimal{SummaryKey("CA", ChapterVehicle): {2: dec("50.00")}},
			credits: map[string]string{"FI/1421": "0.00", "CA/1412": "50.00"}},
		{name: "annual instalments", year: 2025,
			instalments: map[string]decimal.Decimal{SummaryKey("PA", ChapterCombustion): dec("10.00")},
			credits:     map[string]string{"PA/1421": "10.00"}},
		{name: "annual province key", year: 2025,
			instalments: map[string]decimal.Decimal{SummaryKey("TO", ChapterCombustion): dec("10.00")},
			credits:     map[string]string{}},
		{name: "zero due", year: 2026, half: 2,
			monthly: map[string]map[int]decimal.Decimal{SummaryKey("CA", ChapterCombustion): {7: dec("0")}},
			credits: map[string]string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := computeHalfYear(t, firstHalf)
			opts := yearOptions()
			opts.Year, opts.Half, opts.GasSold, opts.Suppliers = tt.year, tt.half, nil, nil
			opts.InstalmentsDue, opts.MonthlyDue = tt.instalments, tt.monthly
			decls, err := BuildGas(c, opts)
			require.NoError(t, err)

			credits := map[string]string{}
			for _, d := range decls {
				for _, l := range d.L {
					row, _ := opts.layout().Row(Gas, "L", l.Chapter+":balance-credit")
					credit, _ := summaryRow(l.Rows, row.Row)
					credits[l.Ambito+"/"+l.Chapter] = credit.StringFixed(2)
				}
				var buf bytes.Buffer
				require.NoError(t, WriteXML(&buf, d))
				validate(t, "GasNaturale.xsd", buf.Bytes())
				back, err := ReadGasXML(bytes.NewReader(buf.Bytes()))
				require.NoError(t, err)
				assert.Empty(t, cmp.Diff(d, back, decimalEqual, cmpopts.EquateEmpty()))
			}
			assert.Equal(t, tt.credits, credits)
		})
	}
}

func TestElectricityDueWithoutLines(t *testing.T) {
	c := computeHalfYear(t, []Line{halfGasLine(2, "2026-01-01", "2026-06-30", "100")})
	opts := yearOptions()
	opts.Year, opts.Half, opts.InstalmentsDue, opts.Suppliers = 2026, 1, nil, nil
	opts.MonthlyDue = map[string]map[int]decimal.Decimal{SummaryKey("IT", "1411"): {1: dec("30.00")}}
	decls, err := BuildElectricity(c, opts)
	require.NoError(t, err)
	require.Len(t, decls, 1)
	d := decls[0]
	require.Len(t, d.Q, 1)
	assert.Equal(t, "FI", d.Q[0].Ambito)
	assert.Empty(t, d.P, "no province has electricity")
	row, _ := opts.layout().Row(Electricity, "Q", "balance-credit")
	credit, ok := summaryRow(d.Q[0].Rows, row.Row)
	require.True(t, ok)
	assert.Equal(t, "30.00", credit.StringFixed(2))

	var buf bytes.Buffer
	require.NoError(t, WriteXML(&buf, d))
	validate(t, "EnergiaElettrica.xsd", buf.Bytes())
}
