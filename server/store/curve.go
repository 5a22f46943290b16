package store

import (
	"time"

	"github.com/bludispatcher/dispatcher/internal/civil"
)

// SlotStart returns the start instant of attribute En of a curve element
// of day, given the element's Dst part (0 when absent). It returns false
// when En has no instant on that day.
//
// The metering flows write the daylight-saving days this way:
//   - Dst 0: E1..E96 are the quarter-hours of a normal day in order.
//   - Dst 1, spring day: E1..E8 are 00:00–02:00, E9..E12 stay absent because
//     02:00–03:00 does not exist, and E13..E96 are 03:00–24:00.
//   - Dst 2, autumn day, first element: E1..E12 are 00:00–03:00 in summer
//     time, the repeated hour 02:00–03:00 being E9..E12.
//   - Dst 3, autumn day, second element: E9..E12 are the repeated hour in
//     winter time and E13..E96 are 03:00–24:00.
func SlotStart(day civil.Date, dst, n int) (time.Time, bool) {
	if n < 1 {
		return time.Time{}, false
	}
	kind := civil.KindOf(day)
	index := -1
	switch {
	case dst == 0:
		// NOTE: a Dst 0 element on a change day (legacy files with up to
		// E100) is mapped in lived order; no standard fixes that layout.
		if n <= civil.QuarterHoursIn(day) {
			index = n - 1
		}
	case dst == 1 && kind == civil.SpringDay:
		if n <= 8 {
			index = n - 1
		} else if n >= 13 && n <= 96 {
			index = n - 5
		}
	case dst == 2 && kind == civil.AutumnDay:
		if n <= 12 {
			index = n - 1
		}
	case dst == 3 && kind == civil.AutumnDay:
		if n >= 9 && n <= 96 {
			index = n + 3
		}
	}
	if index < 0 {
		return time.Time{}, false
	}
	return civil.QuarterHourStart(day, index).UTC(), true
}
