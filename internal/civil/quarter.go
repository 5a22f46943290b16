package civil

import "time"

// DayKind tells how long an Italian day is.
type DayKind uint8

const (
	// NormalDay has 24 hours (96 quarter-hours).
	NormalDay DayKind = iota
	// SpringDay is the last Sunday of March: clocks go from 02:00 to 03:00,
	// so the day has 23 hours (92 quarter-hours).
	SpringDay
	// AutumnDay is the last Sunday of October: clocks go back from 03:00 to
	// 02:00, so the day has 25 hours (100 quarter-hours).
	AutumnDay
)

// KindOf returns whether d is a normal, spring or autumn day in Europe/Rome.
func KindOf(d Date) DayKind {
	switch QuarterHoursIn(d) {
	case 92:
		return SpringDay
	case 100:
		return AutumnDay
	}
	return NormalDay
}

// QuarterHoursIn returns the number of quarter-hours of d in Europe/Rome:
// 96, or 92 and 100 on daylight-saving change days.
func QuarterHoursIn(d Date) int {
	start := d.Midnight(Rome)
	end := d.AddDays(1).Midnight(Rome)
	return int(end.Sub(start) / (15 * time.Minute))
}

// QuarterHourStart returns the instant the i-th quarter-hour (0-based, in
// the order they are lived) of d starts in Europe/Rome. On the autumn day the
// repeated hour comes twice, first in summer time and then in winter time.
func QuarterHourStart(d Date, i int) time.Time {
	return d.Midnight(Rome).Add(time.Duration(i) * 15 * time.Minute)
}

// QuarterHours returns the start instants of every quarter-hour of d in
// Europe/Rome: 96 on a normal day, 92 in spring, 100 in autumn.
func QuarterHours(d Date) []time.Time {
	n := QuarterHoursIn(d)
	start := d.Midnight(Rome)
	out := make([]time.Time, n)
	for i := range out {
		out[i] = start.Add(time.Duration(i) * 15 * time.Minute)
	}
	return out
}

// HoursIn returns the number of hours of d in Europe/Rome: 24, or 23 and 25 on
// daylight-saving change days.
func HoursIn(d Date) int { return QuarterHoursIn(d) / 4 }
