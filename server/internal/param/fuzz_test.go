package param

import (
	"math"
	"net/url"
	"strings"
	"testing"

	"github.com/bludispatcher/dispatcher/internal/civil"
)

// FuzzReader feeds one value to every parameter and checks that each
// method either accepts it with a result that matches the text or records
// exactly one failure with the trimmed value.
func FuzzReader(f *testing.F) {
	for _, seed := range []string{"", " ", "0", "-1", "+7", "1e3", "2026-02-29", "2024-02-29", "29/02/2024", "2026-13",
		"12/2026", "202612", "2026-03-29T02:30:00+01:00", "true", "T", "\x00", "\xff", "9223372036854775808"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, value string) {
		trimmed := strings.TrimSpace(value)
		q := url.Values{}
		for _, name := range []string{"n", "b", "d", "m", "i", "from", "to", "offset", "limit", "page", "size"} {
			q.Set(name, value)
		}

		checks := []struct {
			name string
			read func(r *Reader) bool // reports whether the result matches the text
		}{
			{"n", func(r *Reader) bool { return r.NonNegative("n", -1) >= 0 || trimmed == "" }},
			{"n", func(r *Reader) bool { return r.Positive("n", -1) >= 1 || trimmed == "" }},
			{"n", func(r *Reader) bool { return r.ID("n", trimmed) >= 1 }},
			{"b", func(r *Reader) bool { r.Bool("b", false); return true }},
			{"d", func(r *Reader) bool { return dateMatches(r.Date("d"), trimmed) }},
			{"m", func(r *Reader) bool { return monthMatches(r.Month("m"), trimmed) }},
			{"i", func(r *Reader) bool { return !r.Instant("i", true).IsZero() || trimmed == "" }},
			{"offset", func(r *Reader) bool { p := r.Page(); return p.Offset >= 0 && p.Limit >= 1 }},
			{"page", func(r *Reader) bool {
				page, size := r.PageNumber(10, 50)
				return page >= 1 && size >= 1 && size <= 50 && page-1 <= math.MaxInt/size
			}},
		}
		for _, c := range checks {
			r := &Reader{Values: q}
			ok := c.read(r)
			if r.Failed() {
				first, _ := r.First()
				if first.Value != trimmed {
					t.Fatalf("%s=%q: failure value %q, want the trimmed value %q", c.name, value, first.Value, trimmed)
				}
				continue
			}
			if !ok {
				t.Fatalf("%s=%q: accepted without a failure, but the result does not match the text", c.name, value)
			}
		}

		r := &Reader{Values: q}
		dates := r.DateRange()
		if !r.Failed() && dates.To.Before(dates.From) {
			t.Fatalf("from=to=%q: range %v is reversed without a failure", value, dates)
		}
	})
}

// dateMatches reports whether d written in one of the accepted forms is
// s, or d is the zero date for a blank s.
func dateMatches(d civil.Date, s string) bool {
	if s == "" {
		return d.IsZero()
	}
	return d.String() == s || d.Italian() == s
}

// monthMatches reports whether m written in one of the accepted forms is
// s, or m is the zero month for a blank s.
func monthMatches(m civil.Month, s string) bool {
	if s == "" {
		return m.IsZero()
	}
	return m.String() == s || m.Italian() == s || m.Compact() == s
}
