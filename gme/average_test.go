package gme

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/internal/testref"
)

// hourlyDay builds the 24 hourly MGP rows of d with PUN equal to the hour
// number, so that band sums are easy to check by hand.
func hourlyDay(d civil.Date) []*Record {
	var out []*Record
	for h := 1; h <= civil.HoursIn(d); h++ {
		start := intervalStart(KindPrices, d, h)
		out = append(out, &Record{
			Kind: KindPrices, Element: "Prezzi", Market: "MGP", Date: d, Period: h,
			Start: start, End: start.Add(time.Hour),
			Fields: []Field{{Name: "PUN", Value: decimal.NewFromInt(int64(h)), Valid: true}},
		})
	}
	return out
}

func june2021(day int) civil.Date { return civil.Date{Year: 2021, Month: time.June, Day: day} }

// smallMonth is four days of June 2021: Tuesday 1, Wednesday 2 (Festa della
// Repubblica, a national holiday), Saturday 5 and Sunday 6.
func smallMonth() []*Record {
	var out []*Record
	for _, day := range []int{1, 2, 5, 6} {
		out = append(out, hourlyDay(june2021(day))...)
	}
	return out
}

func assertAverage(t *testing.T, want string, count int, got Average) {
	t.Helper()
	require.True(t, got.Set)
	assert.True(t, decimal.RequireFromString(want).Equal(got.Value), "want %s, got %s", want, got.Value)
	assert.Equal(t, count, got.Count)
}

// The expected values are worked out by hand with PUN = Ora:
//   - Tuesday: F1 is Ora 9–19 (sum 154, 11 hours), F2 is Ora 8 and 20–23
//     (sum 94, 5 hours), F3 is Ora 1–7 and 24 (sum 52, 8 hours).
//   - Wednesday 2 June is a holiday, so all 24 hours are F3 (sum 300).
//   - Saturday: F2 is Ora 8–23 (sum 248, 16 hours), F3 is Ora 1–7 and 24
//     (sum 52, 8 hours).
//   - Sunday: all F3 (sum 300, 24 hours).
//
// So F1 = 154/11 = 14, F2 = 342/21 = 16.285714, F3 = 704/64 = 11,
// F23 = 1046/85 = 12.305882 and Base = 1200/96 = 12.5.
func TestBandAveragerArithmeticWithHoliday(t *testing.T) {
	a := NewBandAverager(AveragerOptions{Month: june2021(1).MonthOf()})
	for _, rec := range smallMonth() {
		a.Add(rec)
	}
	// Records of another month, kind or market are ignored.
	a.Add(hourlyDay(civil.Date{Year: 2021, Month: time.July, Day: 1})[10])
	other := hourlyDay(june2021(7))[10]
	other.Market = "MI1"
	a.Add(other)
	quarter := hourlyDay(june2021(7))[10]
	quarter.Kind = KindPrices15
	a.Add(quarter)

	got := a.Result()
	assert.False(t, got.Weighted)
	assert.Equal(t, "PUN", got.Series)
	assertAverage(t, "14", 11, got.F1)
	assertAverage(t, "16.285714", 21, got.F2)
	assertAverage(t, "11", 64, got.F3)
	assertAverage(t, "12.305882", 85, got.F23)
	assertAverage(t, "12.5", 96, got.Base)
}

// With a quarter-hour curve of 0.25 kWh per quarter before noon (Ora 1–12)
// and 0.75 kWh after (Ora 13–24), each hour weighs 1 or 3 kWh. On Tuesday
// 1 June and Sunday 6 June 2021:
//   - F1 (Tuesday Ora 9–19) = (9+10+11+12 + 3×(13+…+19)) / (4 + 3×7)
//     = (42 + 336) / 25 = 15.12.
//   - F3 = Tuesday Ora 1–7 (28, 7 kWh) and Ora 24 (72, 3 kWh), plus
//     Sunday Ora 1–12 (78, 12 kWh) and Ora 13–24 (666, 36 kWh):
//     844 / 58 = 14.551724.
func TestBandAveragerWeighted(t *testing.T) {
	var intervals []Interval
	for _, d := range []civil.Date{june2021(1), june2021(6)} {
		for i, start := range civil.QuarterHours(d) {
			kWh := decimal.RequireFromString("0.25")
			if i >= 48 {
				kWh = decimal.RequireFromString("0.75")
			}
			intervals = append(intervals, Interval{Start: start, KWh: kWh})
		}
	}
	curve := NewIntervalCurve(intervals)
	a := NewBandAverager(AveragerOptions{Month: june2021(1).MonthOf(), Curve: curve})
	for _, rec := range append(hourlyDay(june2021(1)), hourlyDay(june2021(6))...) {
		a.Add(rec)
	}
	// A day without consumption data is counted as missing.
	for _, rec := range hourlyDay(june2021(2)) {
		a.Add(rec)
	}
	got := a.Result()
	assert.True(t, got.Weighted)
	assertAverage(t, "15.12", 11, got.F1)
	assertAverage(t, "14.551724", 32, got.F3)
	assert.True(t, decimal.NewFromInt(25).Equal(got.F1.KWh))
	assert.True(t, decimal.NewFromInt(58).Equal(got.F3.KWh))
	assert.Equal(t, 24, got.MissingConsumption)
}

func TestBandAveragerEmpty(t *testing.T) {
	got := NewBandAverager(AveragerOptions{Month: june2021(1).MonthOf()}).Result()
	assert.False(t, got.F1.Set)
	assert.False(t, got.Base.Set)
	assert.Equal(t, 0, got.Base.Count)
}

// 30 August 2021 is a Monday: F1 is Ora 9–19, F2 is Ora 8 and 20–23, F3 is
// Ora 1–7 and 24. The sums are of the PUN values printed in the file.
func TestBandAveragerSample(t *testing.T) {
	recs := readFile(t, testref.Dir(t, "sii-gme", "gme", "20210830MGPPrezzi.xml"))
	a := NewBandAverager(AveragerOptions{Month: civil.Month{Year: 2021, Month: time.August}})
	for _, rec := range recs {
		a.Add(rec)
	}
	got := a.Result()
	// F1: 143,246560 + 139,638570 + 130,594420 + 126,098350 + 124,160000 +
	// 124,160000 + 125,000000 + 130,000000 + 133,027740 + 132,331920 +
	// 138,312160 = 1446,569720 over 11 hours.
	assertAverage(t, "131.506338", 11, got.F1)
	// F2: 134,507530 + 143,467010 + 146,968570 + 141,064060 + 129,367610 =
	// 695,374780 over 5 hours.
	assertAverage(t, "139.074956", 5, got.F2)
	// F3: 114,905680 + 106,223430 + 101,964320 + 101,335950 + 104,483520 +
	// 107,385980 + 126,006710 + 123,941600 = 886,247190 over 8 hours.
	assertAverage(t, "110.780899", 8, got.F3)
	// Base: 3028,191690 over 24 hours.
	assertAverage(t, "126.174654", 24, got.Base)
}

// 26 October 2025 is a Sunday with 100 quarter-hours, all F3. Its PUN is
// 100 + 0.1×p + 0.01×(p mod 10), so the mean over p = 1…100 is
// 100 + 0.1×50.5 + 0.01×4.5 = 105.095.
func TestBandAveragerQuarterHourAutumnDay(t *testing.T) {
	recs := readFile(t, filepath.Join("testdata", "20251026MGPPrezzi15.xml"))
	month := civil.Month{Year: 2025, Month: time.October}

	hourly := NewBandAverager(AveragerOptions{Month: month})
	quarter := NewBandAverager(AveragerOptions{Month: month, Kind: KindPrices15})
	var intervals []Interval
	for _, rec := range recs {
		hourly.Add(rec)
		quarter.Add(rec)
		intervals = append(intervals, Interval{Start: rec.Start, KWh: decimal.NewFromInt(1)})
	}
	weighted := NewBandAverager(AveragerOptions{Month: month, Kind: KindPrices15, Curve: NewIntervalCurve(intervals)})
	for _, rec := range recs {
		weighted.Add(rec)
	}

	assert.False(t, hourly.Result().Base.Set, "hourly averager ignores 15-minute rows")
	got := quarter.Result()
	assert.False(t, got.F1.Set)
	assert.False(t, got.F2.Set)
	assertAverage(t, "105.095", 100, got.F3)
	assertAverage(t, "105.095", 100, got.Base)
	w := weighted.Result()
	assertAverage(t, "105.095", 100, w.F3)
	assert.True(t, decimal.NewFromInt(100).Equal(w.F3.KWh))
}
