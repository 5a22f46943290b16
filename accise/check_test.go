package accise

import (
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/internal/anomaly"
)

func yes() *bool { b := true; return &b }

func kw(s string) *decimal.Decimal { d := dec(s); return &d }

// eeLine is a valid resident dwelling line of January 2025 in Torino.
func eeLine(row int) Line {
	return Line{
		File: "in.csv", Row: row, Supply: "IT001E00000001", Commodity: Electricity, Use: UseDwelling,
		Resident: yes(), PowerKW: kw("3"), Province: "TO", Municipality: "L219",
		From: day("2025-01-01"), To: day("2025-01-31"), Quantity: dec("300"), Kind: Invoice,
	}
}

// gnLine is a valid civil gas line of 2025 in Torino.
func gnLine(row int) Line {
	return Line{
		File: "in.csv", Row: row, Supply: "00880000000001", Commodity: Gas, Use: UseCivil,
		Province: "TO", Municipality: "L219", ClimateZone: "E",
		From: day("2025-01-01"), To: day("2025-12-31"), Quantity: dec("1000"), Kind: Invoice,
	}
}

func codes(list anomaly.List) []string {
	var out []string
	for _, a := range list {
		out = append(out, a.Code)
	}
	return out
}

func runChecks(t *testing.T, lines []Line, opts CheckOptions) []string {
	t.Helper()
	c, found := Compute(lines, ComputeOptions{})
	return codes(append(found, Check(c, opts)...))
}

func TestChecks(t *testing.T) {
	tests := []struct {
		name   string
		lines  func() []Line
		opts   func(*CheckOptions)
		code   string
		absent bool
	}{
		{name: "province missing", code: CodeProvinceMissing, lines: func() []Line { l := eeLine(2); l.Province = ""; return []Line{l} }},
		{name: "province present", code: CodeProvinceMissing, absent: true, lines: func() []Line { return []Line{eeLine(2)} }},
		{name: "province unknown", code: CodeProvinceUnknown, lines: func() []Line { l := eeLine(2); l.Province = "XX"; return []Line{l} }},
		{name: "province known", code: CodeProvinceUnknown, absent: true, lines: func() []Line { return []Line{eeLine(2)} }},
		{name: "municipality present", code: CodeMunicipalityMissing, absent: true, lines: func() []Line { return []Line{eeLine(2)} }},
		{name: "municipality missing", code: CodeMunicipalityMissing, lines: func() []Line { l := eeLine(2); l.Municipality = ""; return []Line{l} }},
		{name: "municipality malformed", code: CodeMunicipalityUnknown, lines: func() []Line { l := eeLine(2); l.Municipality = "219L"; return []Line{l} }},
		{name: "municipality not listed", code: CodeMunicipalityUnknown, lines: func() []Line { return []Line{eeLine(2)} },
			opts: func(o *CheckOptions) { o.Municipalities = map[string]string{"H501": "RM"} }},
		{name: "municipality other province", code: CodeMunicipalityUnknown, lines: func() []Line { l := eeLine(2); l.Municipality = "H501"; return []Line{l} },
			opts: func(o *CheckOptions) { o.Municipalities = map[string]string{"H501": "RM"} }},
		{name: "municipality listed", code: CodeMunicipalityUnknown, absent: true, lines: func() []Line { return []Line{eeLine(2)} },
			opts: func(o *CheckOptions) { o.Municipalities = map[string]string{"L219": "TO"} }},
		{name: "resident non-dwelling", code: CodeUseInconsistent, lines: func() []Line { l := eeLine(2); l.Use = UseNonDwelling; return []Line{l} }},
		{name: "resident without power", code: CodeUseInconsistent, lines: func() []Line { l := eeLine(2); l.PowerKW = nil; return []Line{l} }},
		{name: "gas use on electricity", code: CodeUseInconsistent, lines: func() []Line { l := gnLine(2); l.Use = UseNonDwelling; return []Line{l} }},
		{name: "use consistent", code: CodeUseInconsistent, absent: true, lines: func() []Line { return []Line{eeLine(2), gnLine(3)} }},
		{name: "negative invoice", code: CodeNegativeQuantity, lines: func() []Line { l := eeLine(2); l.Quantity = dec("-5"); return []Line{l} }},
		{name: "negative credit note", code: CodeNegativeQuantity, absent: true, lines: func() []Line {
			l := eeLine(2)
			l.Quantity, l.Kind = dec("-5"), CreditNote
			return []Line{l}
		}},
		{name: "period outside year", code: CodePeriodOutsideYear, lines: func() []Line {
			l := eeLine(2)
			l.From, l.To = day("2024-01-01"), day("2024-01-31")
			return []Line{l}
		}},
		{name: "correction outside year", code: CodePeriodOutsideYear, absent: true, lines: func() []Line {
			l := eeLine(2)
			l.From, l.To, l.Kind = day("2024-01-01"), day("2024-01-31"), Correction
			return []Line{l}
		}},
		{name: "billed excise differs", code: CodeBilledExciseDiffers, lines: func() []Line { l := eeLine(2); l.BilledExcise = kw("6.81"); return []Line{l} }},
		{name: "billed excise matches", code: CodeBilledExciseDiffers, absent: true, lines: func() []Line { l := eeLine(2); l.BilledExcise = kw("5.22"); return []Line{l} }},
		{name: "billed ARISGAN differs", code: CodeBilledExciseDiffers, lines: func() []Line {
			l := gnLine(2)
			l.BilledExcise, l.BilledSurcharge = kw("156.68"), kw("25.00")
			return []Line{l}
		}},
		{name: "billed gas matches", code: CodeBilledExciseDiffers, absent: true, lines: func() []Line {
			l := gnLine(2)
			l.BilledExcise, l.BilledSurcharge = kw("156.68"), kw("25.35")
			return []Line{l}
		}},
		{name: "billed twice", code: CodeBilledTwice, lines: func() []Line { return []Line{eeLine(2), eeLine(3)} }},
		{name: "re-billed after credit", code: CodeBilledTwice, absent: true, lines: func() []Line {
			credit := eeLine(3)
			credit.Quantity, credit.Kind = dec("-300"), CreditNote
			return []Line{eeLine(2), credit, eeLine(4)}
		}},
		{name: "consumption outlier", code: CodeConsumptionOutlier, lines: func() []Line { return monthsOf("100", "110", "90", "105", "2000") }},
		{name: "consumption usual", code: CodeConsumptionOutlier, absent: true, lines: func() []Line { return monthsOf("100", "110", "90", "105", "300") }},
		{name: "outlier from history", code: CodeConsumptionOutlier, lines: func() []Line { return monthsOf("1000") },
			opts: func(o *CheckOptions) { o.History = map[string]decimal.Decimal{"IT001E00000001": dec("100")} }},
		{name: "ARISGAN in Sicily", code: CodeArisganSpecialStatute, lines: func() []Line {
			l := gnLine(2)
			l.Province, l.Municipality, l.BilledSurcharge = "PA", "G273", kw("20")
			return []Line{l}
		}},
		{name: "no ARISGAN in Sicily", code: CodeArisganSpecialStatute, absent: true, lines: func() []Line {
			l := gnLine(2)
			l.Province, l.Municipality = "PA", "G273"
			return []Line{l}
		}},
		{name: "climate zone missing", code: CodeClimateZoneMissing, lines: func() []Line {
			l := gnLine(2)
			l.Province, l.Municipality, l.ClimateZone = "GE", "D969", ""
			return []Line{l}
		}},
		{name: "climate zone not needed", code: CodeClimateZoneMissing, absent: true, lines: func() []Line {
			l := gnLine(2)
			l.ClimateZone = ""
			return []Line{l}
		}},
		{name: "gas line straddles year", code: CodePeriodOutsideYear, lines: func() []Line {
			l := gnLine(2)
			l.From = day("2024-12-01")
			return []Line{l}
		}},
		{name: "discontinuity crossed", code: CodeDiscontinuityCrossed, lines: func() []Line {
			l := eeLine(2)
			l.Use, l.Resident, l.Quantity = UseNonDwelling, nil, dec("1200001")
			return []Line{l}
		}},
		{name: "discontinuity not crossed", code: CodeDiscontinuityCrossed, absent: true, lines: func() []Line {
			l := eeLine(2)
			l.Use, l.Resident, l.Quantity = UseNonDwelling, nil, dec("1200000")
			return []Line{l}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			opts := YearCheckOptions(2025)
			if tc.opts != nil {
				tc.opts(&opts)
			}
			got := runChecks(t, tc.lines(), opts)
			if tc.absent {
				assert.NotContains(t, got, tc.code)
			} else {
				assert.Contains(t, got, tc.code)
			}
		})
	}
}

// monthsOf returns consecutive months of 2025 of one resident dwelling.
func monthsOf(kwh ...string) []Line {
	var out []Line
	for i, q := range kwh {
		l := eeLine(i + 2)
		m := l.From.MonthOf().AddMonths(i)
		l.From, l.To, l.Quantity = m.First(), m.Last(), dec(q)
		out = append(out, l)
	}
	return out
}

func TestCheckAnomalyFields(t *testing.T) {
	l := eeLine(7)
	l.Province = "XX"
	c, _ := Compute([]Line{l}, ComputeOptions{})
	found := Check(c, YearCheckOptions(2025))
	require.Len(t, found, 1)
	a := found[0]
	assert.Equal(t, "in.csv", a.File)
	assert.Equal(t, 7, a.Line)
	assert.Equal(t, "IT001E00000001", a.Key)
	assert.Equal(t, "provincia", a.Field)
	assert.Equal(t, "XX", a.Value)
	assert.Equal(t, Blocking, a.Severity)
	assert.Contains(t, a.Message, "two-letter code")
}

func TestComputeSplitsLineByMonth(t *testing.T) {
	l := eeLine(2)
	l.Use, l.Resident = UseNonDwelling, nil
	l.From, l.To, l.Quantity = day("2025-01-01"), day("2025-02-28"), dec("590")
	l.BilledExcise = kw("7.38")
	c, found := Compute([]Line{l}, ComputeOptions{})
	require.Empty(t, found)
	require.Len(t, c.Months, 2)
	assert.Equal(t, "310", c.Months[0].KWh.String())
	assert.Equal(t, "280", c.Months[1].KWh.String())
	assert.Equal(t, "3.88", c.Months[0].Billed.StringFixed(2))
	assert.Empty(t, Check(c, YearCheckOptions(2025)))
}

func TestBilledNeedsEveryLine(t *testing.T) {
	first := eeLine(2)
	first.Quantity, first.BilledExcise = dec("200"), kw("1.14")
	second := eeLine(3)
	second.Quantity, second.Kind = dec("100"), CreditNote
	c, found := Compute([]Line{first, second}, ComputeOptions{})
	require.Empty(t, found)
	require.Len(t, c.Months, 1)
	assert.Nil(t, c.Months[0].Billed)
	assert.NotContains(t, codes(Check(c, YearCheckOptions(2025))), CodeBilledExciseDiffers)
}
