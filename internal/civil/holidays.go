package civil

import "time"

// IsNationalHoliday reports whether d is an Italian national holiday (Law
// 260/1949 and later amendments): 1 and 6 January, Easter Monday, 25 April,
// 1 May, 2 June, 15 August, 1 November, 8, 25 and 26 December. Easter Sunday
// is always a Sunday and is not listed.
func IsNationalHoliday(d Date) bool {
	switch {
	case d.Month == time.January && (d.Day == 1 || d.Day == 6),
		d.Month == time.April && d.Day == 25,
		d.Month == time.May && d.Day == 1,
		d.Month == time.June && d.Day == 2,
		d.Month == time.August && d.Day == 15,
		d.Month == time.November && d.Day == 1,
		d.Month == time.December && (d.Day == 8 || d.Day == 25 || d.Day == 26):
		return true
	}
	return d == Easter(d.Year).AddDays(1)
}

// Easter returns Easter Sunday of the Gregorian calendar (anonymous
// Gregorian algorithm, also known as Meeus/Jones/Butcher).
func Easter(year int) Date {
	a := year % 19
	b := year / 100
	c := year % 100
	d := b / 4
	e := b % 4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i := c / 4
	k := c % 4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return Date{year, time.Month(month), day}
}

// Band is an ARERA time-of-use band.
type Band uint8

const (
	// F1 is peak: Monday to Friday 08:00–19:00, national holidays excluded.
	F1 Band = 1
	// F2 is mid-level: Monday to Friday 07:00–08:00 and 19:00–23:00,
	// Saturday 07:00–23:00, national holidays excluded.
	F2 Band = 2
	// F3 is off-peak: Monday to Saturday 00:00–07:00 and 23:00–24:00, and all
	// of Sundays and national holidays.
	F3 Band = 3
)

// String returns "F1", "F2" or "F3".
func (b Band) String() string {
	switch b {
	case F1:
		return "F1"
	case F2:
		return "F2"
	case F3:
		return "F3"
	}
	return "F?"
}

// BandAt returns the ARERA band (delibera 181/06 and its updates) of the
// instant t, read on the Europe/Rome wall clock.
func BandAt(t time.Time) Band {
	local := t.In(Rome)
	d := DateOf(local)
	wd := local.Weekday()
	hour := local.Hour()
	if wd == time.Sunday || IsNationalHoliday(d) {
		return F3
	}
	if hour < 7 || hour >= 23 {
		return F3
	}
	if wd == time.Saturday {
		return F2
	}
	if hour >= 8 && hour < 19 {
		return F1
	}
	return F2
}
