package accise

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/internal/civil"
)

func ymd(y, m, d int) civil.Date { return civil.Date{Year: y, Month: time.Month(m), Day: d} }

var eeIT = Account{Company: "IT00RMA00001A", Tax: TaxElectricity, Area: "IT"}

func TestLegacyExampleInstalments(t *testing.T) {
	ms, err := Instalments(eeIT, 2024, NewInstalments(dec("120000")), "dichiarazione 2023", ScheduleOptions{})
	require.NoError(t, err)
	require.Len(t, ms, 12)
	for _, m := range ms {
		assert.Equal(t, "10000.00", m.Amount.StringFixed(2), m.Period.String())
	}
	assert.Equal(t, ymd(2024, 8, 20), ms[7].Date, "August by the 20th")
	assert.Equal(t, ymd(2024, 1, 16), ms[0].Date)
	assert.Equal(t, ymd(2024, 3, 18), ms[2].Date, "16 March 2024 is a Saturday")
}

func TestLegacyExampleBalanceDebit(t *testing.T) {
	s, err := Settle(eeIT, 2024, 0, dec("126500"), dec("120000"), ymd(2025, 3, 10), ScheduleOptions{})
	require.NoError(t, err)
	assert.Equal(t, "6500.00", s.Debit.StringFixed(2))
	assert.True(t, s.Credit.IsZero())
	assert.Equal(t, ymd(2025, 3, 17), s.Due, "16 March 2025 is a Sunday")
	assert.Equal(t, "10541.67", s.NewInstalments[0].StringFixed(2))
	ms := s.Movements()
	require.Len(t, ms, 1)
	assert.Equal(t, MoveDue, ms[0].Kind)
	s.TenInstalments = true
	assert.Contains(t, s.Movements()[0].Note, "dieci rate", "the optional ten-instalment balance is flagged")
}

func TestLegacyExampleBalanceCredit(t *testing.T) {
	s, err := Settle(eeIT, 2024, 0, dec("114000"), dec("120000"), ymd(2025, 3, 10), ScheduleOptions{})
	require.NoError(t, err)
	assert.Equal(t, "6000.00", s.Credit.StringFixed(2))
	assert.Equal(t, "9500.00", s.NewInstalments[0].StringFixed(2))

	var l Ledger
	require.NoError(t, l.Add(s.Movements()...))
	ms, err := Instalments(eeIT, 2025, s.NewInstalments, "dichiarazione 2024", ScheduleOptions{})
	require.NoError(t, err)
	require.NoError(t, l.Add(ms...))
	plan := Plan(&l, ymd(2025, 3, 11), ymd(2025, 4, 30))
	require.Len(t, plan, 2)
	assert.Equal(t, ymd(2025, 3, 17), plan[0].Due, "16 March 2025 is a Sunday")
	assert.Equal(t, "6000.00", plan[0].CreditUsed.StringFixed(2))
	assert.Equal(t, "3500.00", plan[0].ToPay.StringFixed(2), "first instalment after the declaration")
	require.Len(t, plan[0].Offsets, 1)
	assert.Contains(t, plan[0].Offsets[0].Explanation, "residuo credito 0.00")
	assert.Equal(t, "9500.00", plan[1].ToPay.StringFixed(2), "credit fully used")
}

func TestDueDateOnHoliday(t *testing.T) {
	gas := Account{Company: "IT00RMA00001A", Tax: TaxGasCombustion, Area: "IT"}
	tests := []struct {
		name  string
		tax   Tax
		month civil.Month
		want  civil.Date
	}{
		{"gas end of August on a Sunday", gas.Tax, civil.Month{Year: 2025, Month: 8}, ymd(2025, 9, 1)},
		{"Easter Monday", TaxElectricity, civil.Month{Year: 2025, Month: 4}, ymd(2025, 4, 16)},
		{"arisgan December 27", TaxArisgan, civil.Month{Year: 2025, Month: 12}, ymd(2025, 12, 29)},
		{"gas end of May", TaxGasCombustion, civil.Month{Year: 2026, Month: 5}, ymd(2026, 6, 1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ScheduleOptions{}.DueDate(tt.tax, RegimeOf(tt.tax, tt.month.Year), tt.month)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestCalendarNationalHoliday(t *testing.T) {
	c := DefaultCalendar()
	assert.False(t, c.IsWorkingDay(ymd(2026, 6, 2)), "Festa della Repubblica")
	assert.Equal(t, ymd(2026, 4, 7), c.NextWorkingDay(ymd(2026, 4, 6)), "Easter Monday 2026")
	assert.Equal(t, ymd(2025, 12, 29), c.NextWorkingDay(ymd(2025, 12, 25)))
}

func TestOverrideInstalments(t *testing.T) {
	ms, err := Instalments(eeIT, 2025, NewInstalments(dec("120000")), "dichiarazione 2024", ScheduleOptions{})
	require.NoError(t, err)
	march := civil.Month{Year: 2025, Month: 3}
	out := OverrideInstalments(ms, map[civil.Month]decimal.Decimal{march: dec("12000")}, "nota ufficio 42")
	assert.Equal(t, "12000.00", out[2].Amount.StringFixed(2))
	assert.Equal(t, Source{Kind: SourceOffice, Ref: "nota ufficio 42"}, out[2].Source)
	assert.Contains(t, out[2].Note, "calcolata 10000.00")
	assert.Equal(t, "10000.00", ms[2].Amount.StringFixed(2), "the input is not changed")
	assert.Equal(t, "10000.00", out[3].Amount.StringFixed(2))
}

func TestInstalmentsMonthlyRegime(t *testing.T) {
	_, err := Instalments(eeIT, 2026, NewInstalments(dec("120000")), "", ScheduleOptions{})
	assert.ErrorIs(t, err, ErrRegime)
	arisgan := Account{Company: "IT00RMA00001A", Tax: TaxArisgan, Area: "BO"}
	ms, err := Instalments(arisgan, 2026, NewInstalments(dec("1200")), "dichiarazione 2025", ScheduleOptions{})
	require.NoError(t, err, "regional taxes keep their instalments")
	assert.Equal(t, ymd(2026, 12, 28), ms[11].Date, "27 December 2026 is a Sunday")
}
