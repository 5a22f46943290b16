package accise

import (
	"bytes"
	"math"
	"strconv"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
)

// comparisonSheet writes the control report of the generated year and
// returns the rows of its comparison sheet as maps from header to cell.
func comparisonSheet(t *testing.T, opts DeclareOptions) ([]map[string]string, []*ElectricityDeclaration, []*GasDeclaration) {
	t.Helper()
	c := computeYear(t)
	ee, err := BuildElectricity(c, opts)
	require.NoError(t, err)
	gn, err := BuildGas(c, opts)
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, WriteReport(&buf, ReportInput{Computation: c, Electricity: ee, Gas: gn, Options: opts}))
	f, err := excelize.OpenReader(&buf)
	require.NoError(t, err)
	defer f.Close()
	sheet, err := f.GetRows(SheetComparison)
	require.NoError(t, err)
	require.NotEmpty(t, sheet)
	var out []map[string]string
	for _, r := range sheet[1:] {
		row := map[string]string{}
		for i, name := range sheet[0] {
			if i < len(r) {
				row[name] = r[i]
			}
		}
		out = append(out, row)
	}
	return out, ee, gn
}

// xmlLiquidated returns the accisa liquidata of each declaration by
// product, ambito code and chapter, as frames Q and L write it.
func xmlLiquidated(t *testing.T, ee []*ElectricityDeclaration, gn []*GasDeclaration) map[string]decimal.Decimal {
	t.Helper()
	out := map[string]decimal.Decimal{}
	qRow, ok := DefaultLayout().Row(Electricity, "Q", "liquidated")
	require.True(t, ok)
	for _, d := range ee {
		for _, q := range d.Q {
			amount, found := summaryAmount(q, qRow.Row)
			require.True(t, found, "Q of %s", q.Ambito)
			out["EE/"+q.Ambito+"/"+q.Chapter] = amount
		}
	}
	for _, d := range gn {
		for _, l := range d.L {
			lRow, ok := DefaultLayout().Row(Gas, "L", l.Chapter+":liquidated")
			require.True(t, ok)
			amount, found := summaryAmount(l, lRow.Row)
			require.True(t, found, "L %s of %s", l.Chapter, l.Ambito)
			out["GN/"+l.Ambito+"/"+l.Chapter] = amount
		}
	}
	return out
}

func TestReportComparisonIncludesCorrections(t *testing.T) {
	sheet, ee, gn := comparisonSheet(t, yearOptions())
	want := xmlLiquidated(t, ee, gn)
	require.NotEmpty(t, want)

	got := map[string]decimal.Decimal{}
	items := map[string]bool{}
	for _, r := range sheet {
		items[r["Prodotto"]+"/"+r["Voce"]] = true
		if r["Voce"] == ItemRounding {
			assert.Less(t, math.Abs(cellFloat(t, r["Accisa calcolata"])), 0.01*float64(provinceLines(t, sheet, r)),
				"rounding of %s %s %s stays within a cent per line", r["Prodotto"], r["Provincia"], r["Capitolo"])
		}
		if r["Provincia"] != AreaTotal {
			continue
		}
		amount, err := decimal.NewFromString(r["Accisa calcolata"])
		require.NoError(t, err, "row %v", r)
		got[r["Prodotto"]+"/"+r["Ambito"]+"/"+r["Capitolo"]] = amount
	}
	assert.ElementsMatch(t, keysOf(want), keysOf(got), "one total row per product, ambito and chapter")
	for k, w := range want {
		assert.Equal(t, w.StringFixed(2), got[k].StringFixed(2), "total %s", k)
	}
	for _, item := range []string{"EE/" + ItemCorrectionsDebit, "EE/" + ItemCorrectionsCredit, "GN/" + ItemCorrectionsDebit, "GN/" + ItemCorrectionsCredit} {
		assert.True(t, items[item], "row %s", item)
	}
}

func TestReportComparisonAmbitoCodes(t *testing.T) {
	for _, seat := range []string{"FI", "TO"} {
		opts := yearOptions()
		opts.SeatProvince = seat
		opts.Declarant.OfficeProvince = seat
		sheet, ee, gn := comparisonSheet(t, opts)
		codes := map[string]bool{}
		for _, d := range ee {
			for _, q := range d.Q {
				codes[q.Ambito] = true
			}
		}
		for _, d := range gn {
			for _, l := range d.L {
				codes[l.Ambito] = true
			}
		}
		require.True(t, codes[seat], "the seat's ambito is coded %s", seat)
		for _, r := range sheet {
			assert.True(t, codes[r["Ambito"]], "seat %s: ambito %q of %s %s is not a code of the XML", seat, r["Ambito"], r["Prodotto"], r["Provincia"])
		}
	}
}

// provinceLines returns the supply-months or lines counted in the rows of
// the same product, province and chapter as r.
func provinceLines(t *testing.T, sheet []map[string]string, r map[string]string) int {
	t.Helper()
	n := 0
	for _, o := range sheet {
		if o["Prodotto"] == r["Prodotto"] && o["Provincia"] == r["Provincia"] && o["Capitolo"] == r["Capitolo"] {
			count, err := strconv.Atoi(o["Mesi o righe"])
			require.NoError(t, err)
			n += count
		}
	}
	return n
}

func cellFloat(t *testing.T, cell string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(cell, 64)
	require.NoError(t, err)
	return v
}

func keysOf(m map[string]decimal.Decimal) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
