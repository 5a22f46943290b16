package flows

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/internal/itnum"
)

// slotText is the test value of slot k: k thousandths, so a day's total is
// the sum of its slot numbers divided by 1000.
func slotText(k int) string { return fmt.Sprintf("0,%03d", k) }

// testCurve builds a curve element whose slots from..to carry slotText,
// skipping the slots in skip.
func testCurve(kind CurveKind, day, dst string, from, to int, skip ...int) Curve {
	c := Curve{Kind: kind, Day: V(day)}
	if dst != "" {
		c.Dst = V(dst)
	}
	skipped := map[int]bool{}
	for _, s := range skip {
		skipped[s] = true
	}
	for k := from; k <= to; k++ {
		if !skipped[k] {
			c.SetE(k, slotText(k))
		}
	}
	return c
}

func springCurve(kind CurveKind, day string) Curve {
	return testCurve(kind, day, "1", 1, 96, 9, 10, 11, 12)
}

func autumnCurves(kind CurveKind, day string) []Curve {
	return []Curve{testCurve(kind, day, "2", 1, 12), testCurve(kind, day, "3", 9, 96)}
}

func rfc(t time.Time) string { return t.Format(time.RFC3339) }

func TestTimelineNormalDay(t *testing.T) {
	m := &Measure{Curves: []Curve{testCurve(ActiveEnergy, "31", "", 1, 96)}}
	ivs, err := m.Timeline(ActiveEnergy, civil.Month{Year: 2025, Month: time.March})
	require.NoError(t, err)
	require.Len(t, ivs, 96)
	assert.Equal(t, "2025-03-31T00:00:00+02:00", rfc(ivs[0].Start))
	assert.Equal(t, "2025-03-31T23:45:00+02:00", rfc(ivs[95].Start))
	assert.Equal(t, "2025-04-01T00:00:00+02:00", rfc(ivs[95].End()))
	assert.Equal(t, "4.656", Total(ivs).String())
}

// TestTimelinePDOMonthlyDST places the monthly curves of a 1G hourly point
// (PDO) for March and October 2025, whose last Sundays (30 March and 26
// October) are the clock-change days.
func TestTimelinePDOMonthlyDST(t *testing.T) {
	tests := []struct {
		name     string
		month    civil.Month
		curves   []Curve
		day      civil.Date
		count    int
		total    string
		instants map[int]string // slot position in the day's output -> RFC 3339 start
		slots    map[int]int    // output position -> En
	}{
		{
			name:   "spring",
			month:  civil.Month{Year: 2025, Month: time.March},
			curves: []Curve{testCurve(ActiveEnergy, "29", "0", 1, 96), springCurve(ActiveEnergy, "30"), testCurve(ActiveEnergy, "31", "", 1, 96)},
			day:    civil.Date{Year: 2025, Month: time.March, Day: 30},
			count:  92,
			// 1+…+96 = 4656, less E9..E12 (9+10+11+12 = 42) = 4614.
			total:    "4.614",
			instants: map[int]string{0: "2025-03-30T00:00:00+01:00", 7: "2025-03-30T01:45:00+01:00", 8: "2025-03-30T03:00:00+02:00", 91: "2025-03-30T23:45:00+02:00"},
			slots:    map[int]int{0: 1, 7: 8, 8: 13, 91: 96},
		},
		{
			name:   "autumn",
			month:  civil.Month{Year: 2025, Month: time.October},
			curves: append(append([]Curve{testCurve(ActiveEnergy, "25", "", 1, 96)}, autumnCurves(ActiveEnergy, "26")...), testCurve(ActiveEnergy, "27", "0", 1, 96)),
			day:    civil.Date{Year: 2025, Month: time.October, Day: 26},
			count:  100,
			// Dst 2: 1+…+12 = 78. Dst 3: 9+…+96 = 4656 − 36 = 4620. Sum 4698.
			total: "4.698",
			instants: map[int]string{
				0: "2025-10-26T00:00:00+02:00", 8: "2025-10-26T02:00:00+02:00", 11: "2025-10-26T02:45:00+02:00",
				12: "2025-10-26T02:00:00+01:00", 15: "2025-10-26T02:45:00+01:00", 16: "2025-10-26T03:00:00+01:00",
				99: "2025-10-26T23:45:00+01:00",
			},
			slots: map[int]int{0: 1, 8: 9, 11: 12, 12: 9, 15: 12, 16: 13, 99: 96},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := &Measure{Element: "Misura", XSIType: "DettaglioMisuraPDOv2Type", Curves: tt.curves}
			ivs, err := m.Timeline(ActiveEnergy, tt.month)
			require.NoError(t, err)
			require.Len(t, ivs, 96+tt.count+96)

			totals := DayTotals(ivs)
			require.Len(t, totals, 3)
			assert.Equal(t, 96, totals[0].Count)
			assert.Equal(t, "4.656", totals[0].Total.String())
			assert.Equal(t, tt.day, totals[1].Day)
			assert.Equal(t, tt.count, totals[1].Count)
			assert.Equal(t, tt.total, totals[1].Total.String())
			assert.Equal(t, 96, totals[2].Count)

			var day []Interval
			for _, iv := range ivs {
				if iv.Day == tt.day {
					day = append(day, iv)
				}
			}
			require.Len(t, day, tt.count)
			for pos, want := range tt.instants {
				assert.Equal(t, want, rfc(day[pos].Start), "position %d", pos)
				assert.Equal(t, pos, day[pos].Index, "position %d", pos)
			}
			for pos, slot := range tt.slots {
				assert.Equal(t, slot, day[pos].Slot, "position %d", pos)
			}
			for i := 1; i < len(day); i++ {
				assert.Equal(t, QuarterHour, day[i].Start.Sub(day[i-1].Start), "gap before position %d", i)
			}
		})
	}
}

// TestTimelinePDO2GDailyDST places daily 2G files (PDO2G) of the two
// clock-change days, with Ea and Er carried side by side.
func TestTimelinePDO2GDailyDST(t *testing.T) {
	spring := &Measure{Element: "Misura", XSIType: "DettaglioMisuraPeriodico2GORType",
		Curves: []Curve{springCurve(ActiveEnergy, "30"), springCurve(ReactiveEnergy, "30")}}
	autumn := &Measure{Element: "Misura", XSIType: "DettaglioMisuraPeriodico2GORType",
		Curves: append(autumnCurves(ActiveEnergy, "26"), autumnCurves(ReactiveEnergy, "26")...)}

	tests := []struct {
		name    string
		measure *Measure
		month   civil.Month
		count   int
		total   string
		first   string
		last    string
	}{
		{"spring", spring, civil.Month{Year: 2025, Month: time.March}, 92, "4.614", "2025-03-30T00:00:00+01:00", "2025-03-30T23:45:00+02:00"},
		{"autumn", autumn, civil.Month{Year: 2025, Month: time.October}, 100, "4.698", "2025-10-26T00:00:00+02:00", "2025-10-26T23:45:00+01:00"},
	}
	for _, tt := range tests {
		for _, kind := range []CurveKind{ActiveEnergy, ReactiveEnergy} {
			t.Run(tt.name+"/"+kind.String(), func(t *testing.T) {
				ivs, err := tt.measure.Timeline(kind, tt.month)
				require.NoError(t, err)
				require.Len(t, ivs, tt.count)
				assert.Equal(t, tt.total, Total(ivs).String())
				assert.Equal(t, tt.first, rfc(ivs[0].Start))
				assert.Equal(t, tt.last, rfc(ivs[len(ivs)-1].Start))
				distinct := map[time.Time]bool{}
				for _, iv := range ivs {
					distinct[iv.Start.UTC()] = true
				}
				assert.Len(t, distinct, tt.count)
				// Both clock-change days of 2025 are Sundays: all F3.
				bands := TotalsByBand(ivs)
				assert.Equal(t, tt.total, bands.F3.String())
				assert.True(t, bands.F1.IsZero())
				assert.True(t, bands.F2.IsZero())
			})
		}
	}
}

func TestTimelineAutumnPartsFromCivil(t *testing.T) {
	day := civil.Date{Year: 2025, Month: time.October, Day: 26}
	m := &Measure{Curves: autumnCurves(ActiveEnergy, "26")}
	ivs, err := m.Timeline(ActiveEnergy, day.MonthOf())
	require.NoError(t, err)
	want := civil.QuarterHours(day)
	require.Len(t, ivs, len(want))
	for i := range want {
		assert.True(t, want[i].Equal(ivs[i].Start), "index %d: %s vs %s", i, want[i], ivs[i].Start)
	}
}

func TestTotalsByBandWeekday(t *testing.T) {
	// Monday 31 March 2025: F3 00–07 (E1..E28) and 23–24 (E93..E96), F2
	// 07–08 (E29..E32) and 19–23 (E77..E92), F1 08–19 (E33..E76).
	m := &Measure{Curves: []Curve{testCurve(ActiveEnergy, "31", "", 1, 96)}}
	ivs, err := m.Timeline(ActiveEnergy, civil.Month{Year: 2025, Month: time.March})
	require.NoError(t, err)
	bands := TotalsByBand(ivs)
	assert.Equal(t, "2.398", bands.F1.String()) // 33+…+76
	assert.Equal(t, "1.474", bands.F2.String()) // 29+…+32 = 122, 77+…+92 = 1352
	assert.Equal(t, "0.784", bands.F3.String()) // 1+…+28 = 406, 93+…+96 = 378
	assert.Equal(t, "4.656", bands.Sum().String())
	assert.Equal(t, bands.F2, bands.Get(civil.F2))
}

func TestTimelineErrors(t *testing.T) {
	march := civil.Month{Year: 2025, Month: time.March}
	bad := testCurve(ActiveEnergy, "31", "", 1, 96)
	bad.SetE(5, "1.234,567")
	bad.SetE(6, "")
	bad.SetE(7, "-0,500")
	bad.SetE(8, "0,5")
	bad.Line = 42

	springWithE10 := springCurve(ActiveEnergy, "30")
	springWithE10.SetE(10, "0,010")

	tests := []struct {
		name   string
		curves []Curve
		placed int
		slots  []int
		day    string
	}{
		{"malformed values", []Curve{bad}, 92, []int{5, 6, 7, 8}, "31"},
		{"slot absent in spring", []Curve{springWithE10}, 92, []int{10}, "30"},
		{"Dst 0 on spring day", []Curve{testCurve(ActiveEnergy, "30", "0", 1, 96)}, 0, []int{0}, "30"},
		{"Dst 2 on normal day", []Curve{testCurve(ActiveEnergy, "12", "2", 1, 12)}, 0, []int{0}, "12"},
		{"Dst out of range", []Curve{testCurve(ActiveEnergy, "12", "4", 1, 96)}, 0, []int{0}, "12"},
		{"day outside month", []Curve{testCurve(ActiveEnergy, "32", "", 1, 96)}, 0, []int{0}, "32"},
		{"day not a number", []Curve{testCurve(ActiveEnergy, "x1", "", 1, 96)}, 0, []int{0}, "x1"},
		{"slot over 96", []Curve{testCurve(ActiveEnergy, "12", "", 1, 97)}, 96, []int{97}, "12"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := &Measure{Curves: tt.curves}
			ivs, err := m.Timeline(ActiveEnergy, march)
			require.Error(t, err)
			assert.Len(t, ivs, tt.placed)
			assert.ErrorIs(t, err, ErrCurve)
			var slots []int
			for _, e := range unjoin(err) {
				var ce *CurveError
				require.ErrorAs(t, e, &ce)
				assert.Equal(t, tt.day, ce.Day)
				slots = append(slots, ce.Slot)
			}
			assert.Equal(t, tt.slots, slots)
		})
	}
}

func TestTimelineMalformedNamesPosition(t *testing.T) {
	c := testCurve(ActiveEnergy, "31", "", 1, 96)
	c.SetE(5, "1.234,567")
	c.Line = 42
	_, err := (&Measure{Curves: []Curve{c}}).Timeline(ActiveEnergy, civil.Month{Year: 2025, Month: time.March})
	require.Error(t, err)
	assert.ErrorIs(t, err, itnum.ErrSyntax)
	assert.Contains(t, err.Error(), `line 42: Ea day "31" E5="1.234,567"`)
}

func TestTimelineDuplicateDay(t *testing.T) {
	m := &Measure{Curves: []Curve{testCurve(ActiveEnergy, "03", "", 1, 96), testCurve(ActiveEnergy, "3", "", 1, 2)}}
	ivs, err := m.Timeline(ActiveEnergy, civil.Month{Year: 2025, Month: time.March})
	require.Error(t, err)
	assert.Len(t, ivs, 96)
	assert.Len(t, unjoin(err), 2)
	assert.Contains(t, err.Error(), "given twice")
}

func TestTimelineSkipsOtherKinds(t *testing.T) {
	m := &Measure{Curves: []Curve{testCurve(ReactiveEnergy, "03", "", 1, 96)}}
	ivs, err := m.Timeline(ActiveEnergy, civil.Month{Year: 2025, Month: time.March})
	require.NoError(t, err)
	assert.Empty(t, ivs)
	var nilMeasure *Measure
	ivs, err = nilMeasure.Timeline(ActiveEnergy, civil.Month{Year: 2025, Month: time.March})
	assert.NoError(t, err)
	assert.Empty(t, ivs)
}

func TestRecordCurveMonth(t *testing.T) {
	r := &Record{MonthYear: V("10/2025")}
	m, err := r.CurveMonth()
	require.NoError(t, err)
	assert.Equal(t, civil.Month{Year: 2025, Month: time.October}, m)

	r = &Record{MeasureDate: V("26/10/2025")}
	m, err = r.CurveMonth()
	require.NoError(t, err)
	assert.Equal(t, civil.Month{Year: 2025, Month: time.October}, m)

	_, err = (&Record{}).CurveMonth()
	assert.Error(t, err)
}

func TestDayTotalsEmpty(t *testing.T) {
	assert.Empty(t, DayTotals(nil))
	assert.True(t, Total(nil).Equal(decimal.Zero))
}

// unjoin returns the errors joined by errors.Join, flattened one level.
func unjoin(err error) []error {
	var out []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			out = append(out, unjoin(e)...)
		}
		return out
	}
	return []error{err}
}

func ExampleMeasure_Timeline() {
	c := Curve{Kind: ActiveEnergy, Day: V("26"), Dst: V("3")}
	c.SetE(9, "1,250")
	c.SetE(13, "0,750")
	m := &Measure{Curves: []Curve{c}}
	ivs, err := m.Timeline(ActiveEnergy, civil.Month{Year: 2025, Month: time.October})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, iv := range ivs {
		fmt.Println(iv.Start.Format(time.RFC3339), iv.Slot, iv.Text)
	}
	// Output:
	// 2025-10-26T02:00:00+01:00 9 1,250
	// 2025-10-26T03:00:00+01:00 13 0,750
}

func FuzzCurveIntervals(f *testing.F) {
	f.Add("26", "2", 9, "1,250", 2025, 10)
	f.Add("30", "1", 13, "0,000", 2025, 3)
	f.Add("31", "", 96, "999999,999", 2025, 3)
	f.Add("1", "3", 8, "-0,500", 2024, 2)
	f.Fuzz(func(t *testing.T, day, dst string, slot int, text string, year, month int) {
		if len(day) > 8 || len(dst) > 8 || len(text) > 32 || year < 1 || year > 9999 || month < 1 || month > 12 {
			return
		}
		c := Curve{Kind: ActiveEnergy, Day: V(day)}
		if dst != "" {
			c.Dst = V(dst)
		}
		c.SetE(1, "0,100")
		if slot >= 1 && slot <= MaxSlots {
			c.SetE(slot, text)
		}
		m := civil.Month{Year: year, Month: time.Month(month)}
		ivs, err := c.Intervals(m)
		if len(ivs) > 2 {
			t.Fatalf("%d intervals from two attributes", len(ivs))
		}
		for _, iv := range ivs {
			if iv.Index < 0 || iv.Index >= 100 || !m.Contains(iv.Day) {
				t.Fatalf("interval %+v outside its day or month", iv)
			}
		}
		if err != nil && !errors.Is(err, ErrCurve) {
			t.Fatalf("error %v does not wrap ErrCurve", err)
		}
	})
}

func BenchmarkTimelineMonth(b *testing.B) {
	m := &Measure{}
	for day := 1; day <= 31; day++ {
		if day == 30 {
			m.Curves = append(m.Curves, springCurve(ActiveEnergy, "30"))
			continue
		}
		m.Curves = append(m.Curves, testCurve(ActiveEnergy, fmt.Sprintf("%02d", day), "", 1, 96))
	}
	march := civil.Month{Year: 2025, Month: time.March}
	b.ReportAllocs()
	for b.Loop() {
		ivs, err := m.Timeline(ActiveEnergy, march)
		if err != nil || len(ivs) != 30*96+92 {
			b.Fatalf("%d intervals, %v", len(ivs), err)
		}
	}
}
