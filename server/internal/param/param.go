// Package param reads the query parameters of the JSON API and the web
// pages: text, integers, booleans, dates, months, instants and pages. It
// records each invalid value as a Failure with the parameter name, the
// value and the expected Form, and leaves the wording to the caller. The
// API writes English JSON errors and the web pages write messages from
// their catalog.
package param

import (
	"math"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/server/store"
)

// Form names the expected form of a parameter value. The constants below
// are the forms that Reader checks. A caller may define forms of its own
// for the checks it makes itself, and maps every form it uses to its
// wording.
type Form string

// Forms checked by Reader.
const (
	// NonNegative is a decimal integer of 0 or more.
	NonNegative Form = "non-negative integer"
	// Positive is a decimal integer of 1 or more.
	Positive Form = "positive integer"
	// Bool is a boolean in one of the spellings of strconv.ParseBool,
	// such as true, false, 1 or 0.
	Bool Form = "boolean"
	// Date is a date as yyyy-mm-dd or dd/mm/yyyy.
	Date Form = "date"
	// DateNotBeforeFrom is a "to" date on or after the "from" date.
	DateNotBeforeFrom Form = "date not before from"
	// Month is a month as yyyy-mm, mm/yyyy or yyyymm.
	Month Form = "month"
)

// Failure is an invalid parameter value.
type Failure struct {
	Name  string // parameter name
	Value string // invalid value, trimmed unless it was passed to ID
	Want  Form   // expected form
}

// Reader reads parameters from Values and appends a Failure to Failures
// for each invalid value. It trims white space around every value and
// treats a blank value like an absent one, so both yield the default.
// On a failure a method returns the default, so a caller reads every
// parameter first and checks Failed once.
type Reader struct {
	Values   url.Values
	Failures []Failure
}

// Fail records an invalid value of a check that the caller makes itself.
func (r *Reader) Fail(name, value string, want Form) {
	r.Failures = append(r.Failures, Failure{Name: name, Value: value, Want: want})
}

// Failed reports whether any value was invalid.
func (r *Reader) Failed() bool { return len(r.Failures) > 0 }

// First returns the first failure, if there is one.
func (r *Reader) First() (Failure, bool) {
	if len(r.Failures) == 0 {
		return Failure{}, false
	}
	return r.Failures[0], true
}

// Text returns the first value of name without surrounding white space,
// or "" when name is absent.
func (r *Reader) Text(name string) string { return strings.TrimSpace(r.Values.Get(name)) }

// NonNegative reads an integer of 0 or more, def when blank.
func (r *Reader) NonNegative(name string, def int) int {
	return r.integer(name, def, 0, NonNegative)
}

// Positive reads an integer of 1 or more, def when blank.
func (r *Reader) Positive(name string, def int) int {
	return r.integer(name, def, 1, Positive)
}

func (r *Reader) integer(name string, def, lowest int, want Form) int {
	s := r.Text(name)
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lowest {
		r.Fail(name, s, want)
		return def
	}
	return n
}

// ID parses value as a positive 64-bit integer. The caller takes value
// from a path segment or from the query parameter name, and name labels
// the failure. ID returns 0 when value is invalid, blank included.
func (r *Reader) ID(name, value string) int64 {
	n, err := strconv.ParseInt(value, 10, 64)
	if err != nil || n <= 0 {
		r.Fail(name, value, Positive)
		return 0
	}
	return n
}

// Bool reads a boolean, def when blank.
func (r *Reader) Bool(name string, def bool) bool {
	s := r.Text(name)
	if s == "" {
		return def
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		r.Fail(name, s, Bool)
		return def
	}
	return b
}

// Date reads yyyy-mm-dd, the form of HTML date inputs, or dd/mm/yyyy. It
// returns the zero date when name is blank or invalid.
func (r *Reader) Date(name string) civil.Date {
	s := r.Text(name)
	if s == "" {
		return civil.Date{}
	}
	if d, err := civil.ParseISODate(s); err == nil {
		return d
	}
	if d, err := civil.ParseDate(s); err == nil {
		return d
	}
	r.Fail(name, s, Date)
	return civil.Date{}
}

// DateRange reads the dates from and to, both included. Either may be
// blank for an open bound, and a to before from fails as
// DateNotBeforeFrom.
func (r *Reader) DateRange() store.DateRange {
	dates := store.DateRange{From: r.Date("from"), To: r.Date("to")}
	if !dates.From.IsZero() && !dates.To.IsZero() && dates.To.Before(dates.From) {
		r.Fail("to", r.Text("to"), DateNotBeforeFrom)
	}
	return dates
}

// Month reads yyyy-mm, the form of HTML month inputs, mm/yyyy or yyyymm.
// It returns the zero month when name is blank or invalid.
func (r *Reader) Month(name string) civil.Month {
	s := r.Text(name)
	if s == "" {
		return civil.Month{}
	}
	if m, err := civil.ParseMonthYear(s); err == nil {
		return m
	}
	if m, err := civil.ParseCompact(s); err == nil {
		return m
	}
	if d, err := civil.ParseISODate(s + "-01"); err == nil {
		return d.MonthOf()
	}
	r.Fail(name, s, Month)
	return civil.Month{}
}

// Instant reads an RFC 3339 instant or a date. A date means its midnight
// in Europe/Rome, or with end set the midnight after it, so that an
// exclusive upper bound includes the whole day. A value that is neither
// fails as Date.
func (r *Reader) Instant(name string, end bool) time.Time {
	s := r.Text(name)
	if s == "" {
		return time.Time{}
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t
	}
	d := r.Date(name)
	if d.IsZero() {
		return time.Time{}
	}
	if end {
		d = d.AddDays(1)
	}
	return d.Midnight(civil.Rome)
}

// Page reads offset and limit, both non-negative, into a normalized
// store page. A blank or zero limit means store.DefaultLimit, and a limit
// above store.MaxLimit is capped.
func (r *Reader) Page() store.Page {
	return store.Page{Offset: r.NonNegative("offset", 0), Limit: r.NonNegative("limit", 0)}.Normalize()
}

// PageNumber reads page, a 1-based page number that defaults to 1, and
// size, the rows on a page, which defaults to defSize and is capped at
// maxSize. Both defSize and maxSize must be positive.
//
// A page whose first row, (page-1)*size, would overflow int is lowered
// to the last page that does not, which still lies past the end of any
// table. Without this the offset would wrap to a negative number, which
// the store reads as 0, and the page would show the first rows under a
// wrong page number.
func (r *Reader) PageNumber(defSize, maxSize int) (page, size int) {
	page = r.Positive("page", 1)
	size = min(r.Positive("size", defSize), maxSize)
	page = min(page, math.MaxInt/size)
	return page, size
}
