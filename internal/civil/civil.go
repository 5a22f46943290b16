// Package civil holds the calendar types of regulated files: civil dates
// (dd/MM/yyyy), months (MM/yyyy and yyyyMM) and the quarter-hours of an
// Italian day, resolved to instants in Europe/Rome with daylight-saving days
// of 92 and 100 quarter-hours.
package civil

import (
	"errors"
	"fmt"
	"time"
	_ "time/tzdata" // Europe/Rome must resolve on machines without a zoneinfo database.
)

// ErrSyntax is wrapped by every parse error of this package.
var ErrSyntax = errors.New("invalid date")

// ParseError describes a date or month that does not match its layout.
type ParseError struct {
	Value  string // the text exactly as read
	Layout string // the expected layout, such as "dd/MM/yyyy"
}

// Error returns the value and the expected layout.
func (e *ParseError) Error() string {
	return fmt.Sprintf("invalid date %q: want %s", e.Value, e.Layout)
}

// Unwrap returns ErrSyntax.
func (e *ParseError) Unwrap() error { return ErrSyntax }

// Rome is the Europe/Rome time zone that every Italian quarter-hour belongs to.
var Rome = mustLoad("Europe/Rome")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic("civil: time zone " + name + " missing from the embedded database: " + err.Error())
	}
	return loc
}

// Date is a calendar day with no time and no zone.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the civil date of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// ParseDate parses an Italian date "dd/MM/yyyy" (DataItaType): two-digit day
// and month, four-digit year, and a day that exists in that month.
func ParseDate(s string) (Date, error) {
	if len(s) != 10 || s[2] != '/' || s[5] != '/' {
		return Date{}, &ParseError{Value: s, Layout: "dd/MM/yyyy"}
	}
	d, ok1 := atoi(s[0:2])
	m, ok2 := atoi(s[3:5])
	y, ok3 := atoi(s[6:10])
	date := Date{y, time.Month(m), d}
	if !ok1 || !ok2 || !ok3 || !date.valid() {
		return Date{}, &ParseError{Value: s, Layout: "dd/MM/yyyy"}
	}
	return date, nil
}

// ParseISODate parses "yyyy-MM-dd".
func ParseISODate(s string) (Date, error) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return Date{}, &ParseError{Value: s, Layout: "yyyy-MM-dd"}
	}
	y, ok1 := atoi(s[0:4])
	m, ok2 := atoi(s[5:7])
	d, ok3 := atoi(s[8:10])
	date := Date{y, time.Month(m), d}
	if !ok1 || !ok2 || !ok3 || !date.valid() {
		return Date{}, &ParseError{Value: s, Layout: "yyyy-MM-dd"}
	}
	return date, nil
}

func (d Date) valid() bool {
	if d.Year < 1 || d.Month < 1 || d.Month > 12 || d.Day < 1 {
		return false
	}
	return d.Day <= DaysIn(d.Year, d.Month)
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// String returns the date as "yyyy-MM-dd".
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day) }

// Italian returns the date as "dd/MM/yyyy".
func (d Date) Italian() string { return fmt.Sprintf("%02d/%02d/%04d", d.Day, d.Month, d.Year) }

// zeroText is the text form of the zero Date.
const zeroText = "0000-00-00"

// MarshalText encodes the date as "yyyy-MM-dd".
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText decodes "yyyy-MM-dd". It also decodes "0000-00-00", which
// MarshalText writes for the zero Date, back to the zero Date, so a value
// stored without a date reads back.
func (d *Date) UnmarshalText(b []byte) error {
	if string(b) == zeroText {
		*d = Date{}
		return nil
	}
	v, err := ParseISODate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// MonthOf returns the month the date falls in.
func (d Date) MonthOf() Month { return Month{d.Year, d.Month} }

// AddDays returns the date n days later (earlier when n is negative).
func (d Date) AddDays(n int) Date {
	return DateOf(time.Date(d.Year, d.Month, d.Day+n, 12, 0, 0, 0, time.UTC))
}

// Before reports whether d is earlier than e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// After reports whether d is later than e.
func (d Date) After(e Date) bool { return d.Compare(e) > 0 }

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int {
	switch {
	case d.Year != e.Year:
		return sign(d.Year - e.Year)
	case d.Month != e.Month:
		return sign(int(d.Month) - int(e.Month))
	default:
		return sign(d.Day - e.Day)
	}
}

// Midnight returns the instant the day starts in loc.
func (d Date) Midnight(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// Weekday returns the day of the week.
func (d Date) Weekday() time.Weekday {
	return time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC).Weekday()
}

// Month is a calendar month with no zone.
type Month struct {
	Year  int
	Month time.Month
}

// ParseMonthYear parses "MM/yyyy" (MeseAnnoItaType).
func ParseMonthYear(s string) (Month, error) {
	if len(s) != 7 || s[2] != '/' {
		return Month{}, &ParseError{Value: s, Layout: "MM/yyyy"}
	}
	m, ok1 := atoi(s[0:2])
	y, ok2 := atoi(s[3:7])
	if !ok1 || !ok2 || m < 1 || m > 12 || y < 1 {
		return Month{}, &ParseError{Value: s, Layout: "MM/yyyy"}
	}
	return Month{y, time.Month(m)}, nil
}

// ParseCompact parses "yyyyMM", the month token of file names.
func ParseCompact(s string) (Month, error) {
	if len(s) != 6 {
		return Month{}, &ParseError{Value: s, Layout: "yyyyMM"}
	}
	y, ok1 := atoi(s[0:4])
	m, ok2 := atoi(s[4:6])
	if !ok1 || !ok2 || m < 1 || m > 12 || y < 1 {
		return Month{}, &ParseError{Value: s, Layout: "yyyyMM"}
	}
	return Month{y, time.Month(m)}, nil
}

// String returns the month as "yyyy-MM".
func (m Month) String() string { return fmt.Sprintf("%04d-%02d", m.Year, m.Month) }

// Italian returns the month as "MM/yyyy".
func (m Month) Italian() string { return fmt.Sprintf("%02d/%04d", m.Month, m.Year) }

// Compact returns the month as "yyyyMM".
func (m Month) Compact() string { return fmt.Sprintf("%04d%02d", m.Year, m.Month) }

// IsZero reports whether m is the zero Month.
func (m Month) IsZero() bool { return m == Month{} }

// MarshalText encodes the month as "yyyy-MM".
func (m Month) MarshalText() ([]byte, error) { return []byte(m.String()), nil }

// First returns the first day of the month.
func (m Month) First() Date { return Date{m.Year, m.Month, 1} }

// Last returns the last day of the month.
func (m Month) Last() Date { return Date{m.Year, m.Month, DaysIn(m.Year, m.Month)} }

// Days returns the number of days in the month.
func (m Month) Days() int { return DaysIn(m.Year, m.Month) }

// AddMonths returns the month n months later (earlier when n is negative).
func (m Month) AddMonths(n int) Month {
	t := time.Date(m.Year, m.Month+time.Month(n), 1, 12, 0, 0, 0, time.UTC)
	return Month{t.Year(), t.Month()}
}

// Index returns a number that grows by one each month, for differences.
func (m Month) Index() int { return m.Year*12 + int(m.Month) - 1 }

// Contains reports whether d falls in m.
func (m Month) Contains(d Date) bool { return d.Year == m.Year && d.Month == m.Month }

// DaysIn returns the number of days of a month.
func DaysIn(year int, month time.Month) int {
	return time.Date(year, month+1, 0, 12, 0, 0, 0, time.UTC).Day()
}

func atoi(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, len(s) > 0
}

func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}
