package accise

import (
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/internal/anomaly"
)

// halfGasLine is a civil gas bill of Firenze for the days from and to.
func halfGasLine(row int, from, to, quantity string) Line {
	return Line{File: "half.csv", Row: row, Company: "FIE000123", Supply: "00880000000201", Customer: "CF201",
		Commodity: Gas, Use: UseCivil, Province: "FI", Municipality: "D612", ClimateZone: "D",
		From: day(from), To: day(to), Quantity: dec(quantity), Kind: Invoice}
}

func halfCheckOptions(year, half int) CheckOptions {
	o := YearCheckOptions(year)
	o.From, o.To = DeclareOptions{Year: year, Half: half}.Period()
	return o
}

func TestCheckPeriodHalfYear(t *testing.T) {
	tests := []struct {
		name     string
		line     Line
		opts     CheckOptions
		severity *anomaly.Severity
		message  string
	}{
		{name: "first half in second", line: halfGasLine(2, "2026-01-01", "2026-06-30", "800"), opts: halfCheckOptions(2026, 2),
			severity: ptrSeverity(anomaly.Warning), message: "only continues the annual gas brackets; if it was billed after"},
		{name: "credit note of first half", line: func() Line {
			l := halfGasLine(2, "2026-03-01", "2026-03-31", "-50")
			l.Kind = CreditNote
			return l
		}(), opts: halfCheckOptions(2026, 2), severity: ptrSeverity(anomaly.Warning), message: "mark it as a correction"},
		{name: "second half in first", line: halfGasLine(2, "2026-07-01", "2026-12-31", "400"), opts: halfCheckOptions(2026, 1)},
		{name: "electricity of first half", line: func() Line {
			l := eeLine(2)
			l.From, l.To = day("2026-03-01"), day("2026-03-31")
			return l
		}(), opts: halfCheckOptions(2026, 2), severity: ptrSeverity(anomaly.Warning), message: "the line is not declared in this half; if"},
		{name: "inside the half", line: halfGasLine(2, "2026-07-01", "2026-12-31", "400"), opts: halfCheckOptions(2026, 2)},
		{name: "earlier year", line: halfGasLine(2, "2025-07-01", "2025-12-31", "400"), opts: halfCheckOptions(2026, 2),
			severity: ptrSeverity(anomaly.Blocking), message: "outside the declared period"},
		{name: "gas across the half", line: halfGasLine(2, "2026-06-01", "2026-07-31", "610"), opts: halfCheckOptions(2026, 2),
			severity: ptrSeverity(anomaly.Warning), message: "only its days inside are declared"},
		{name: "gas across the year", line: halfGasLine(2, "2025-12-01", "2026-01-31", "300"), opts: halfCheckOptions(2026, 1),
			severity: ptrSeverity(anomaly.Warning), message: "only its days inside are declared"},
		{name: "gas across annual year", line: halfGasLine(2, "2024-12-01", "2025-01-31", "300"), opts: YearCheckOptions(2025),
			severity: ptrSeverity(anomaly.Warning), message: "straddles the declared year, so only its days inside are declared"},
		{name: "earlier year annual", line: halfGasLine(2, "2024-01-01", "2024-06-30", "300"), opts: YearCheckOptions(2025),
			severity: ptrSeverity(anomaly.Blocking), message: "outside the declared period"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			found := checkPeriod(tt.line, tt.opts)
			if tt.severity == nil {
				assert.Empty(t, found)
				return
			}
			require.Len(t, found, 1)
			assert.Equal(t, CodePeriodOutsideYear, found[0].Code)
			assert.Equal(t, *tt.severity, found[0].Severity)
			assert.Contains(t, found[0].Message, tt.message)
		})
	}
}

func ptrSeverity(s anomaly.Severity) *anomaly.Severity { return &s }

// The second half continues the annual brackets from the first half's
// bills, so a file of the whole year declares H2 without a blocking
// anomaly and at the rates of the brackets the year has reached.
func TestHalfYearGasSecondHalfBrackets(t *testing.T) {
	lines := []Line{
		halfGasLine(2, "2026-01-01", "2026-06-30", "800"),
		halfGasLine(3, "2026-07-01", "2026-12-31", "400"),
	}
	tests := []struct {
		name  string
		half  int
		lines []Line
		want  string
	}{
		// 120 × 0.044 + 360 × 0.175 + 320 × 0.170 = 5.28 + 63.00 + 54.40
		{"first half", 1, lines, "122.68"},
		// 400 × 0.170, still in the third bracket (480 to 1560 m³)
		{"second half of the year", 2, lines, "68.00"},
		// Without the first half the brackets start again from zero:
		// 120 × 0.044 + 280 × 0.175.
		{"second half alone", 2, lines[1:], "54.28"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, found := Compute(tt.lines, ComputeOptions{})
			require.Empty(t, found)
			assert.False(t, Check(c, halfCheckOptions(2026, tt.half)).HasBlocking(), "the lines of the year are accepted")

			opts := yearOptions()
			opts.Year, opts.Half, opts.InstalmentsDue = 2026, tt.half, nil
			decls, err := BuildGas(c, opts)
			require.NoError(t, err)
			require.Len(t, decls, 1)
			liquidated := frameTotal(decls[0].I[0])
			assert.Equal(t, tt.want, liquidated.StringFixed(2))

			taxes, err := MonthlyTaxes(c, "FIE000123", DefaultTerritory())
			require.NoError(t, err)
			due := MonthlyDueOf(taxes, 2026, tt.half)[SummaryKey("IT", ChapterCombustion)]
			sum := sumMonths(due)
			assert.True(t, sum.Sub(liquidated).Abs().LessThanOrEqual(dec("0.06")),
				"monthly payments %s against liquidated %s", sum, liquidated)
		})
	}
}

func sumMonths(months map[int]decimal.Decimal) decimal.Decimal {
	sum := decimal.Zero
	for _, v := range months {
		sum = sum.Add(v)
	}
	return sum
}
