package api

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/server/store"
)

// paramError is an invalid query parameter, returned to the client as 400.
type paramError struct {
	name, value, want string
}

func (e *paramError) Error() string {
	return fmt.Sprintf("invalid query parameter %s=%q: want %s", e.name, e.value, e.want)
}

// wantText is the paramError.want of a value that is not text.
const wantText = "valid UTF-8 text without NUL bytes"

// CheckText returns an error for a request path, query parameter name or
// value that is not valid UTF-8 or contains a NUL byte. PostgreSQL text
// rejects both, so such a request would otherwise fail as a 500. The web
// pages run the same check.
func CheckText(r *http.Request) error {
	if !isText(r.URL.Path) {
		return fmt.Errorf("invalid path %q: want %s", r.URL.Path, wantText)
	}
	for name, values := range r.URL.Query() {
		if !isText(name) {
			return &paramError{name: strconv.Quote(name), value: "", want: "a parameter name of " + wantText}
		}
		for _, v := range values {
			if !isText(v) {
				return &paramError{name: name, value: v, want: wantText}
			}
		}
	}
	return nil
}

func isText(s string) bool {
	return utf8.ValidString(s) && strings.IndexByte(s, 0) < 0
}

// params reads query parameters and keeps the first error.
type params struct {
	q   url.Values
	err error
}

func (p *params) fail(name, value, want string) {
	if p.err == nil {
		p.err = &paramError{name, value, want}
	}
}

func (p *params) str(name string) string { return strings.TrimSpace(p.q.Get(name)) }

func (p *params) int(name string, def int) int {
	s := p.str(name)
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		p.fail(name, s, "a non-negative integer")
		return def
	}
	return n
}

func (p *params) bool(name string, def bool) bool {
	s := p.str(name)
	if s == "" {
		return def
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		p.fail(name, s, "true or false")
		return def
	}
	return b
}

func (p *params) page() store.Page {
	return store.Page{Offset: p.int("offset", 0), Limit: p.int("limit", 0)}.Normalize()
}

// date reads yyyy-mm-dd or dd/mm/yyyy.
func (p *params) date(name string) civil.Date {
	s := p.str(name)
	if s == "" {
		return civil.Date{}
	}
	if d, err := civil.ParseISODate(s); err == nil {
		return d
	}
	if d, err := civil.ParseDate(s); err == nil {
		return d
	}
	p.fail(name, s, "a date as yyyy-mm-dd or dd/mm/yyyy")
	return civil.Date{}
}

func (p *params) dateRange() store.DateRange {
	r := store.DateRange{From: p.date("from"), To: p.date("to")}
	if !r.From.IsZero() && !r.To.IsZero() && r.To.Before(r.From) {
		p.fail("to", p.str("to"), "a date not before from")
	}
	return r
}

// month reads yyyy-mm, mm/yyyy or yyyymm.
func (p *params) month(name string) civil.Month {
	s := p.str(name)
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
	p.fail(name, s, "a month as yyyy-mm, mm/yyyy or yyyymm")
	return civil.Month{}
}

// instant reads an RFC 3339 instant or a date (midnight in Europe/Rome;
// with end set, the midnight after it, so the day is included).
func (p *params) instant(name string, end bool) time.Time {
	s := p.str(name)
	if s == "" {
		return time.Time{}
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t
	}
	d := p.date(name)
	if d.IsZero() {
		return time.Time{}
	}
	if end {
		d = d.AddDays(1)
	}
	return d.Midnight(civil.Rome)
}

func (p *params) id(name, value string) int64 {
	n, err := strconv.ParseInt(value, 10, 64)
	if err != nil || n <= 0 {
		p.fail(name, value, "a positive integer")
		return 0
	}
	return n
}

// bearerToken returns the token of an Authorization header of the Bearer
// scheme. The scheme name is case-insensitive (RFC 7235, section 2.1), so
// "bearer TOKEN" is accepted as well.
func bearerToken(header string) (string, bool) {
	scheme, token, ok := strings.Cut(header, " ")
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return "", false
	}
	return token, true
}
