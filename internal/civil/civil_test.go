package civil

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		in   string
		want Date
		ok   bool
	}{
		{"31/01/2013", Date{2013, time.January, 31}, true},
		{"29/02/2024", Date{2024, time.February, 29}, true},
		{"29/02/2023", Date{}, false},
		{"32/01/2013", Date{}, false},
		{"1/01/2013", Date{}, false},
		{"2013-01-31", Date{}, false},
		{"00/01/2013", Date{}, false},
		{"01/13/2013", Date{}, false},
		{"", Date{}, false},
	}
	for _, tt := range tests {
		got, err := ParseDate(tt.in)
		if !tt.ok {
			assert.ErrorIs(t, err, ErrSyntax, tt.in)
			continue
		}
		require.NoError(t, err, tt.in)
		assert.Equal(t, tt.want, got)
		assert.Equal(t, tt.in, got.Italian())
	}
}

func TestParseMonthYear(t *testing.T) {
	m, err := ParseMonthYear("07/2012")
	require.NoError(t, err)
	assert.Equal(t, Month{2012, time.July}, m)
	assert.Equal(t, "201207", m.Compact())
	for _, bad := range []string{"7/2012", "13/2012", "00/2012", "07-2012", "072012"} {
		_, err := ParseMonthYear(bad)
		assert.ErrorIs(t, err, ErrSyntax, bad)
	}
	c, err := ParseCompact("202007")
	require.NoError(t, err)
	assert.Equal(t, Month{2020, time.July}, c)
}

func TestQuarterHoursDST(t *testing.T) {
	tests := []struct {
		day  Date
		n    int
		kind DayKind
	}{
		{Date{2024, time.March, 31}, 92, SpringDay},
		{Date{2024, time.October, 27}, 100, AutumnDay},
		{Date{2024, time.October, 26}, 96, NormalDay},
		{Date{2013, time.January, 1}, 96, NormalDay},
		{Date{2025, time.March, 30}, 92, SpringDay},
		{Date{2025, time.October, 26}, 100, AutumnDay},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.n, QuarterHoursIn(tt.day), tt.day.String())
		assert.Equal(t, tt.kind, KindOf(tt.day), tt.day.String())
		assert.Len(t, QuarterHours(tt.day), tt.n)
	}
}

func TestAutumnRepeatedHour(t *testing.T) {
	qh := QuarterHours(Date{2024, time.October, 27})
	// 02:00 CEST is the 9th quarter-hour, 02:00 CET the 13th; both show 02:00.
	assert.Equal(t, "2024-10-27T02:00:00+02:00", qh[8].Format(time.RFC3339))
	assert.Equal(t, "2024-10-27T02:00:00+01:00", qh[12].Format(time.RFC3339))
	assert.Equal(t, "2024-10-27T23:45:00+01:00", qh[99].Format(time.RFC3339))
}

func TestSpringSkippedHour(t *testing.T) {
	qh := QuarterHours(Date{2024, time.March, 31})
	assert.Equal(t, "2024-03-31T01:45:00+01:00", qh[7].Format(time.RFC3339))
	assert.Equal(t, "2024-03-31T03:00:00+02:00", qh[8].Format(time.RFC3339))
}

func TestMonthArithmetic(t *testing.T) {
	m := Month{2024, time.January}
	assert.Equal(t, Month{2023, time.November}, m.AddMonths(-2))
	assert.Equal(t, 29, Month{2024, time.February}.Days())
	assert.Equal(t, Date{2024, time.March, 1}, Date{2024, time.February, 29}.AddDays(1))
	assert.True(t, Date{2024, time.February, 29}.Before(Date{2024, time.March, 1}))
}

func TestDateTextZeroRoundTrip(t *testing.T) {
	text, err := Date{}.MarshalText()
	require.NoError(t, err)
	assert.Equal(t, "0000-00-00", string(text))

	d := Date{Year: 2026, Month: time.March, Day: 1}
	require.NoError(t, d.UnmarshalText(text))
	assert.True(t, d.IsZero(), "the zero date reads back as zero")

	assert.Error(t, d.UnmarshalText([]byte("0000-01-01")), "only the zero text is accepted")
	assert.Error(t, d.UnmarshalText([]byte("")))
}
