package accise

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/internal/civil"
)

func TestCalendarExtraClosedDay(t *testing.T) {
	c, err := LoadCalendar(strings.NewReader(`{"source": "test", "closed_weekdays": ["Saturday", "Sunday"],
		"extra_closed_days": [{"date": "2026-03-31", "reason": "test closure", "source": "test"}]}`))
	require.NoError(t, err)
	assert.False(t, c.IsWorkingDay(ymd(2026, 3, 31)))
	assert.Equal(t, ymd(2026, 4, 1), c.NextWorkingDay(ymd(2026, 3, 31)))
	due, err := ScheduleOptions{Calendar: c}.DueDate(TaxGasCombustion, RegimeMonthly, civil.Month{Year: 2026, Month: 3})
	require.NoError(t, err)
	assert.Equal(t, ymd(2026, 4, 1), due)
}

func TestLoadCalendarInvalidWeekday(t *testing.T) {
	_, err := LoadCalendar(strings.NewReader(`{"closed_weekdays": ["Sabato"]}`))
	assert.ErrorContains(t, err, "Sabato")
}

func TestEmbeddedPaymentData(t *testing.T) {
	for _, tax := range Taxes {
		_, err := DefaultPaymentRules().Rule(tax, RegimeOf(tax, 2025))
		assert.NoError(t, err, "2025 %s", tax)
		_, err = DefaultPaymentRules().Rule(tax, RegimeOf(tax, 2026))
		assert.NoError(t, err, "2026 %s", tax)
	}
	codes := DefaultF24Codes()
	assert.Equal(t, 6, codes.RowsPerForm.Value)
	assert.Equal(t, "single-source", codes.RowsPerForm.Confidence)
	assert.NotEmpty(t, DefaultCalendar().Source)
}

func TestCompensateTwiceOffsetsNothing(t *testing.T) {
	l := reportLedger(t)
	require.NotEmpty(t, Compensate(l))
	assert.Empty(t, Compensate(WithOffsets(l)), "recorded offsets are not repeated")
}
