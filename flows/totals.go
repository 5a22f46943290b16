package flows

import (
	"github.com/shopspring/decimal"

	"github.com/bludispatcher/dispatcher/internal/civil"
)

// DayTotal is the sum of the quarter-hours of one day.
type DayTotal struct {
	// Day is the civil day.
	Day civil.Date
	// Count is the number of quarter-hours summed: 96 for a complete normal
	// day, 92 in spring, 100 in autumn.
	Count int
	// Total is the exact sum, in the unit of the curve.
	Total decimal.Decimal
}

// DayTotals sums intervals per day, in the order the days first appear
// (day order for the output of Measure.Timeline).
func DayTotals(intervals []Interval) []DayTotal {
	var out []DayTotal
	index := make(map[civil.Date]int)
	for _, iv := range intervals {
		i, ok := index[iv.Day]
		if !ok {
			i = len(out)
			index[iv.Day] = i
			out = append(out, DayTotal{Day: iv.Day})
		}
		out[i].Count++
		out[i].Total = out[i].Total.Add(iv.Value)
	}
	return out
}

// BandTotals are the sums of a curve per ARERA time-of-use band. They are
// computed from the curve, so they cover F1..F3 only: the F4..F6 registers
// of 2G meters are programmable bands kept apart in Registers.
type BandTotals struct {
	F1, F2, F3 decimal.Decimal
}

// Get returns the total of band b, or zero for a band outside F1..F3.
func (t BandTotals) Get(b civil.Band) decimal.Decimal {
	switch b {
	case civil.F1:
		return t.F1
	case civil.F2:
		return t.F2
	case civil.F3:
		return t.F3
	}
	return decimal.Decimal{}
}

// Sum returns F1 + F2 + F3.
func (t BandTotals) Sum() decimal.Decimal { return t.F1.Add(t.F2).Add(t.F3) }

// TotalsByBand sums intervals per band, each placed by civil.BandAt on its
// start instant.
func TotalsByBand(intervals []Interval) BandTotals {
	var t BandTotals
	for _, iv := range intervals {
		switch civil.BandAt(iv.Start) {
		case civil.F1:
			t.F1 = t.F1.Add(iv.Value)
		case civil.F2:
			t.F2 = t.F2.Add(iv.Value)
		default:
			t.F3 = t.F3.Add(iv.Value)
		}
	}
	return t
}

// Total returns the exact sum of the intervals.
func Total(intervals []Interval) decimal.Decimal {
	var sum decimal.Decimal
	for _, iv := range intervals {
		sum = sum.Add(iv.Value)
	}
	return sum
}
