package accise

import (
	"bytes"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/bludispatcher/dispatcher/internal/civil"
)

// crossingSupply is billed once for June and July 2026, 30 and 31 days.
const crossingSupply = "00880000000106"

// generatedHalfYear returns the billing lines of the generated year moved
// to tax year 2026, without the corrections. It adds one civil gas bill of
// 610 m³ that runs across the edge of the two halves in its own
// municipality.
func generatedHalfYear() []Line {
	var lines []Line
	for _, l := range generatedYear() {
		if l.Kind == Correction {
			continue
		}
		l.From.Year++
		l.To.Year++
		lines = append(lines, l)
	}
	return append(lines, Line{File: "year.csv", Row: len(lines) + 2, Company: "FIE000123", Supply: crossingSupply, Customer: "CF106",
		Commodity: Gas, Use: UseCivil, Province: "FI", Municipality: "A564", ClimateZone: "D",
		From: day("2026-06-01"), To: day("2026-07-31"), Quantity: dec("610"), Kind: Invoice})
}

// halfYearOptions returns the options of one half of 2026, with the monthly
// payments due on the months of the half computed from the same lines.
func halfYearOptions(t *testing.T, c *Computation, half int) DeclareOptions {
	t.Helper()
	taxes, err := MonthlyTaxes(c, "FIE000123", DefaultTerritory())
	require.NoError(t, err)
	opts := yearOptions()
	opts.Year, opts.Half = 2026, half
	opts.InstalmentsDue = nil
	opts.MonthlyDue = MonthlyDueOf(taxes, 2026, half)
	return opts
}

func computeHalfYear(t *testing.T, lines []Line) *Computation {
	t.Helper()
	c, found := Compute(lines, ComputeOptions{})
	require.Empty(t, found)
	return c
}

func summaryRow(rows []SummaryRow, n int) (decimal.Decimal, bool) {
	for _, r := range rows {
		if r.Row == n {
			return r.Amount.Decimal, true
		}
	}
	return decimal.Zero, false
}

func TestHalfYearGasFramesTie(t *testing.T) {
	c := computeHalfYear(t, generatedHalfYear())
	for _, half := range []int{1, 2} {
		opts := halfYearOptions(t, c, half)
		decls, err := BuildGas(c, opts)
		require.NoError(t, err)
		require.Len(t, decls, 2, "half %d: one declaration per ambito", half)
		fi, pa := decls[0], decls[1]
		assert.Len(t, fi.M, 1, "half %d: Toscana levies ARISGAN", half)
		assert.Empty(t, pa.M, "half %d: Sicilia levies no ARISGAN", half)
		for _, d := range decls {
			assert.Equal(t, "GasNaturaleSemestrale", d.XMLName.Local)
			assert.Equal(t, &Period{Year: 2026, Half: half}, d.Period)
			assert.Zero(t, d.Year, "the half-year root has Periodo, not Anno")
			assert.Empty(t, d.Declarant.OfficeAddress, "the half-year frontispiece has no office")

			byChapter := map[string]decimal.Decimal{}
			for _, f := range d.I {
				byChapter[f.Chapter] = byChapter[f.Chapter].Add(frameTotal(f))
			}
			require.NotEmpty(t, d.L, "half %d", half)
			for _, l := range d.L {
				first := l.Chapter + ":"
				liquidatedRow, _ := opts.layout().Row(Gas, "L", first+"liquidated")
				dueRow, _ := opts.layout().Row(Gas, "L", first+"instalments-due")
				liquidated, ok := summaryRow(l.Rows, liquidatedRow.Row)
				require.True(t, ok, "L %s has its liquidated row", l.Chapter)
				assert.True(t, byChapter[l.Chapter].Equal(liquidated), "L %s ties to frame I", l.Chapter)

				require.Len(t, l.Payments, 6, "L %s lists the six months", l.Chapter)
				assert.Equal(t, 6*half-5, l.Payments[0].Month)
				assert.Equal(t, 6*half, l.Payments[5].Month)
				paid := decimal.Zero
				for _, p := range l.Payments {
					paid = paid.Add(p.Amount.Decimal)
				}
				due, ok := summaryRow(l.Rows, dueRow.Row)
				require.True(t, ok, "L %s has its payments row", l.Chapter)
				assert.True(t, paid.Equal(due), "L %s: payments row %s, months %s", l.Chapter, due, paid)
				// The monthly payments and the liquidation round in
				// different places, so they may differ by a few cents.
				assert.True(t, liquidated.Sub(due).Abs().LessThanOrEqual(dec("0.10")),
					"L %s: liquidated %s against payments %s", l.Chapter, liquidated, due)
			}
		}
	}
}

func TestHalfYearGasCrossingBill(t *testing.T) {
	c := computeHalfYear(t, generatedHalfYear())
	total := decimal.Zero
	for _, half := range []int{1, 2} {
		decls, err := BuildGas(c, halfYearOptions(t, c, half))
		require.NoError(t, err)
		var rows []GasBilledRow
		for _, g := range decls[0].G {
			if g.Municipality == "A564" {
				rows = g.Rows
			}
		}
		require.NotEmpty(t, rows, "half %d declares the crossing bill", half)
		sum := decimal.Zero
		for _, r := range rows {
			sum = sum.Add(r.Quantity.Decimal)
		}
		want := map[int]string{1: "300.000", 2: "310.000"}[half]
		assert.Equal(t, want, sum.StringFixed(3), "half %d: 30 or 31 of 61 days", half)
		total = total.Add(sum)
	}
	assert.Equal(t, "610.000", total.StringFixed(3))
}

func TestHalfYearGasCorrections(t *testing.T) {
	lines := generatedHalfYear()
	lines = append(lines, Line{File: "year.csv", Row: 900, Company: "FIE000123", Supply: "00880000000101", Commodity: Gas, Use: UseCivil,
		Province: "FI", Municipality: "D612", ClimateZone: "D", From: day("2025-10-01"), To: day("2025-12-31"), Quantity: dec("-100"), Kind: Correction})
	c := computeHalfYear(t, lines)
	opts := halfYearOptions(t, c, 1)
	decls, err := BuildGas(c, opts)
	require.NoError(t, err)
	fi := decls[0]
	require.Len(t, fi.H, 1)
	credit, _ := opts.layout().Row(Gas, "H", "credit:civil")
	assert.Equal(t, credit.Row, fi.H[0].Rows[0].Row)
	assert.Equal(t, "4.40", fi.H[0].Rows[0].Total.StringFixed(2), "100 m³ at 0.044: the supply has no other bill for 2025")

	var combustion SummaryFrame
	for _, l := range fi.L {
		if l.Chapter == ChapterCombustion {
			combustion = l
		}
	}
	row, _ := opts.layout().Row(Gas, "L", "1421:balance-credit")
	balance, ok := summaryRow(combustion.Rows, row.Row)
	require.True(t, ok, "the credit note of 2025 turns the balance to a credit")
	assert.True(t, balance.Sub(dec("4.40")).Abs().LessThanOrEqual(dec("0.10")), "credit %s", balance)
}

func TestHalfYearGasXML(t *testing.T) {
	c := computeHalfYear(t, generatedHalfYear())
	for _, half := range []int{1, 2} {
		decls, err := BuildGas(c, halfYearOptions(t, c, half))
		require.NoError(t, err)
		for _, d := range decls {
			var buf bytes.Buffer
			require.NoError(t, WriteXML(&buf, d))
			validate(t, "GasNaturale.xsd", buf.Bytes())
			assert.Contains(t, buf.String(), "<GasNaturaleSemestrale xmlns=\""+GasNamespace+"\">")
			golden(t, "half2026_gn_"+d.L[0].Ambito+"_H"+string(rune('0'+half))+".xml", buf.Bytes())

			back, err := ReadGasXML(bytes.NewReader(buf.Bytes()))
			require.NoError(t, err)
			assert.Empty(t, cmp.Diff(d, back, decimalEqual, cmpopts.EquateEmpty()))
		}
	}
}

func TestHalfYearGasSettlementDue(t *testing.T) {
	c := computeHalfYear(t, generatedHalfYear())
	for half, want := range map[int]string{1: "2026-09-30", 2: "2027-03-31"} {
		opts := halfYearOptions(t, c, half)
		decls, err := BuildGas(c, opts)
		require.NoError(t, err)
		settlements, err := GasSettlements("FIE000123", decls, opts, day(want), ScheduleOptions{})
		require.NoError(t, err)
		require.NotEmpty(t, settlements)
		for _, s := range settlements {
			if s.Account.Tax.Regional() {
				continue
			}
			assert.Equal(t, half, s.Half)
			assert.Equal(t, day(want), s.Due, "half %d, %s", half, s.Account)
			assert.False(t, s.InstalmentsDue.IsZero(), "%s: the monthly payments are due", s.Account)
		}
	}
}

func TestHalfYearGasRegime(t *testing.T) {
	c := computeHalfYear(t, generatedHalfYear())
	monthly := map[string]map[int]decimal.Decimal{SummaryKey("IT", ChapterCombustion): {1: dec("10")}}
	tests := []struct {
		name string
		opts DeclareOptions
	}{
		{"half-year before 2026", DeclareOptions{Year: 2025, Half: 1, SeatProvince: "FI"}},
		{"annual from 2026", DeclareOptions{Year: 2026, SeatProvince: "FI"}},
		{"half 3", DeclareOptions{Year: 2026, Half: 3, SeatProvince: "FI"}},
		{"monthly payments in annual", DeclareOptions{Year: 2025, SeatProvince: "FI", MonthlyDue: monthly}},
		{"month outside the half", DeclareOptions{Year: 2026, Half: 2, SeatProvince: "FI", MonthlyDue: monthly}},
		{"instalments and monthly payments", DeclareOptions{Year: 2026, Half: 1, SeatProvince: "FI", MonthlyDue: monthly,
			InstalmentsDue: map[string]decimal.Decimal{SummaryKey("IT", ChapterCombustion): dec("10")}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := BuildGas(c, tt.opts)
			assert.ErrorIs(t, err, ErrRegime)
		})
	}
	_, err := BuildGas(c, DeclareOptions{Year: 2026, Half: 1, SeatProvince: "FI", MonthlyDue: monthly})
	assert.NoError(t, err)
}

func TestHalfYearGasWithoutMonthlyPayments(t *testing.T) {
	c := computeHalfYear(t, generatedHalfYear())
	opts := yearOptions()
	opts.Year, opts.Half = 2026, 1
	opts.InstalmentsDue = map[string]decimal.Decimal{SummaryKey("IT", ChapterCombustion): dec("1000.00")}
	decls, err := BuildGas(c, opts)
	require.NoError(t, err)
	for _, l := range decls[0].L {
		assert.Empty(t, l.Payments, "L %s lists no month without MonthlyDue", l.Chapter)
		if l.Chapter == ChapterCombustion {
			row, _ := opts.layout().Row(Gas, "L", "1421:instalments-due")
			due, ok := summaryRow(l.Rows, row.Row)
			require.True(t, ok)
			assert.Equal(t, "1000.00", due.StringFixed(2))
		}
	}
}

func TestMonthlyDueOf(t *testing.T) {
	ordinary := Account{Company: "X", Tax: TaxGasCombustion, Area: "IT"}
	taxes := []MonthlyTax{
		{Account: ordinary, Month: civil.Month{Year: 2026, Month: 6}, Amount: dec("10.00")},
		{Account: ordinary, Month: civil.Month{Year: 2026, Month: 7}, Amount: dec("20.00")},
		{Account: ordinary, Month: civil.Month{Year: 2025, Month: 6}, Amount: dec("40.00")},
		{Account: Account{Company: "X", Tax: TaxArisgan, Area: "FI"}, Month: civil.Month{Year: 2026, Month: 6}, Amount: dec("5.00")},
	}
	got := MonthlyDueOf(taxes, 2026, 1)
	want := map[string]map[int]decimal.Decimal{"IT/1421": {6: dec("10.00")}}
	assert.Empty(t, cmp.Diff(want, got, decimalEqual))
}

func TestHalfYearGasLayout(t *testing.T) {
	annual, half := DefaultLayout(), DefaultLayout().HalfYear()
	for _, key := range []string{"civil-1-C", "industrial-2"} {
		a, ok := annual.Row(Gas, "G", key)
		require.True(t, ok)
		h, ok := half.Row(Gas, "G", key)
		require.True(t, ok)
		assert.Equal(t, a.Row, h.Row, "%s keeps its number", key)
		assert.NotContains(t, h.Label, "civili", key)
		assert.NotContains(t, h.Label, "industriali", key)
		assert.Equal(t, "provisional", h.Status, key)
	}
	g, _ := half.Row(Gas, "G", "civil-1-C")
	assert.Contains(t, g.Label, "usi domestici")
	i, _ := half.Row(Gas, "I", "industrial-1")
	assert.Contains(t, i.Label, "usi non domestici")
	l, _ := half.Row(Gas, "L", "1421:instalments-due")
	assert.Contains(t, l.Label, "versamenti mensili")
	e, ok := half.Row(Gas, "E", "gn-exempt")
	assert.True(t, ok, "frames without a half-year version keep the annual one")
	assert.Equal(t, 1, e.Row)
	assert.Nil(t, half.GasHalfYear)
	assert.NotEmpty(t, annual.GasHalfYear, "HalfYear leaves the default layout alone")
}

// The control report splits a bill across the edge of the half as BuildGas
// does, so its rounding rows stay within a cent per line.
func TestHalfYearGasReportRounding(t *testing.T) {
	c := computeHalfYear(t, generatedHalfYear())
	opts := halfYearOptions(t, c, 1)
	gas, err := BuildGas(c, opts)
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, WriteReport(&buf, ReportInput{Computation: c, Gas: gas, Options: opts}))
	f, err := excelize.OpenReader(&buf)
	require.NoError(t, err)
	defer f.Close()
	rows, err := f.GetRows(SheetComparison)
	require.NoError(t, err)
	require.NotEmpty(t, rows)
	var sheet []map[string]string
	for _, r := range rows[1:] {
		row := map[string]string{}
		for i, name := range rows[0] {
			if i < len(r) {
				row[name] = r[i]
			}
		}
		sheet = append(sheet, row)
	}
	rounding := 0
	for _, r := range sheet {
		if r["Prodotto"] != "GN" || r["Voce"] != ItemRounding {
			continue
		}
		rounding++
		assert.Less(t, math.Abs(cellFloat(t, r["Accisa calcolata"])), 0.01*float64(provinceLines(t, sheet, r)),
			"rounding of %s %s", r["Provincia"], r["Capitolo"])
	}
	assert.LessOrEqual(t, rounding, 4, "at most one rounding row per province and chapter")
}
