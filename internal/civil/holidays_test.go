package civil

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestEaster(t *testing.T) {
	tests := map[int]Date{
		2013: {2013, time.March, 31},
		2019: {2019, time.April, 21},
		2024: {2024, time.March, 31},
		2025: {2025, time.April, 20},
		2026: {2026, time.April, 5},
	}
	for year, want := range tests {
		assert.Equal(t, want, Easter(year), year)
	}
}

func TestIsNationalHoliday(t *testing.T) {
	assert.True(t, IsNationalHoliday(Date{2025, time.April, 21}), "Easter Monday 2025")
	assert.True(t, IsNationalHoliday(Date{2025, time.December, 26}))
	assert.True(t, IsNationalHoliday(Date{2025, time.June, 2}))
	assert.False(t, IsNationalHoliday(Date{2025, time.April, 20}), "Easter Sunday is not listed")
	assert.False(t, IsNationalHoliday(Date{2025, time.March, 19}))
}

func TestBandAt(t *testing.T) {
	at := func(y int, m time.Month, d, h, min int) time.Time {
		return time.Date(y, m, d, h, min, 0, 0, Rome)
	}
	tests := []struct {
		name string
		t    time.Time
		want Band
	}{
		{"weekday peak", at(2025, time.March, 5, 10, 0), F1},
		{"weekday 07:30", at(2025, time.March, 5, 7, 30), F2},
		{"weekday 18:45", at(2025, time.March, 5, 18, 45), F1},
		{"weekday 19:00", at(2025, time.March, 5, 19, 0), F2},
		{"weekday 23:00", at(2025, time.March, 5, 23, 0), F3},
		{"weekday 06:45", at(2025, time.March, 5, 6, 45), F3},
		{"saturday noon", at(2025, time.March, 8, 12, 0), F2},
		{"saturday 06:00", at(2025, time.March, 8, 6, 0), F3},
		{"sunday noon", at(2025, time.March, 9, 12, 0), F3},
		{"holiday noon", at(2025, time.April, 25, 12, 0), F3},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, BandAt(tt.t), tt.name)
	}
}
