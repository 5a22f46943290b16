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
	"github.com/bludispatcher/dispatcher/server/internal/param"
	"github.com/bludispatcher/dispatcher/server/store"
)

// paramError is an invalid query parameter, returned to the client as 400.
type paramError struct {
	param.Failure
}

func (e *paramError) Error() string {
	return fmt.Sprintf("invalid query parameter %s=%q: want %s", e.Name, e.Value, formText(e.Want))
}

// formText returns the English wording of want. A form that the API
// defines for its own checks is already that wording.
func formText(want param.Form) string {
	switch want {
	case param.NonNegative:
		return "a non-negative integer"
	case param.Positive:
		return "a positive integer"
	case param.Bool:
		return "true or false"
	case param.Date:
		return "a date as yyyy-mm-dd or dd/mm/yyyy"
	case param.DateNotBeforeFrom:
		return "a date not before from"
	case param.Month:
		return "a month as yyyy-mm, mm/yyyy or yyyymm"
	}
	return string(want)
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
			return &paramError{param.Failure{Name: strconv.Quote(name), Want: "a parameter name of " + wantText}}
		}
		for _, v := range values {
			if !isText(v) {
				return &paramError{param.Failure{Name: name, Value: v, Want: wantText}}
			}
		}
	}
	return nil
}

func isText(s string) bool {
	return utf8.ValidString(s) && strings.IndexByte(s, 0) < 0
}

// params reads query parameters with a param.Reader and keeps the first
// failure in err. Handlers and tests build it as a literal with q alone.
type params struct {
	q      url.Values
	err    error
	reader *param.Reader
}

// read returns the reader of q, made on first use.
func (p *params) read() *param.Reader {
	if p.reader == nil {
		p.reader = &param.Reader{Values: p.q}
	}
	return p.reader
}

// keep sets err to the first failure once there is one.
func (p *params) keep() {
	if f, ok := p.read().First(); ok && p.err == nil {
		p.err = &paramError{f}
	}
}

// fail records an invalid value. want is the English wording of the
// expected form.
func (p *params) fail(name, value, want string) {
	p.read().Fail(name, value, param.Form(want))
	p.keep()
}

func (p *params) str(name string) string { return p.read().Text(name) }

func (p *params) int(name string, def int) int {
	n := p.read().NonNegative(name, def)
	p.keep()
	return n
}

func (p *params) bool(name string, def bool) bool {
	b := p.read().Bool(name, def)
	p.keep()
	return b
}

func (p *params) page() store.Page {
	page := p.read().Page()
	p.keep()
	return page
}

func (p *params) date(name string) civil.Date {
	d := p.read().Date(name)
	p.keep()
	return d
}

func (p *params) dateRange() store.DateRange {
	dates := p.read().DateRange()
	p.keep()
	return dates
}

func (p *params) month(name string) civil.Month {
	m := p.read().Month(name)
	p.keep()
	return m
}

func (p *params) instant(name string, end bool) time.Time {
	t := p.read().Instant(name, end)
	p.keep()
	return t
}

func (p *params) id(name, value string) int64 {
	n := p.read().ID(name, value)
	p.keep()
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
