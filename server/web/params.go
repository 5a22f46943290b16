package web

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/server/store"
)

// paramError is an invalid query parameter. Want is the catalog key of
// the expected form, so the error page states it in the page language.
type paramError struct {
	Name, Value, Want string
}

func (e *paramError) Error() string {
	return fmt.Sprintf("invalid query parameter %s=%q (expected %s)", e.Name, e.Value, e.Want)
}

// params reads the query of a page and keeps the first invalid value.
type params struct {
	q   url.Values
	err *paramError
}

// fail records an invalid value; want is the catalog key of the expected
// form, such as "want.date".
func (p *params) fail(name, value, want string) {
	if p.err == nil {
		p.err = &paramError{Name: name, Value: value, Want: want}
	}
}

func (p *params) str(name string) string { return strings.TrimSpace(p.q.Get(name)) }

// int reads a positive integer, def when empty.
func (p *params) int(name string, def int) int {
	s := p.str(name)
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		p.fail(name, s, "want.positive")
		return def
	}
	return n
}

// date reads yyyy-mm-dd (the form of date inputs) or dd/mm/yyyy.
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
	p.fail(name, s, "want.date")
	return civil.Date{}
}

// dateRange reads from and to, both included.
func (p *params) dateRange() store.DateRange {
	r := store.DateRange{From: p.date("from"), To: p.date("to")}
	if !r.From.IsZero() && !r.To.IsZero() && r.To.Before(r.From) {
		p.fail("to", p.str("to"), "want.dateAfterFrom")
	}
	return r
}

// month reads yyyy-mm (the form of month inputs), mm/yyyy or yyyymm.
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
	p.fail(name, s, "want.month")
	return civil.Month{}
}

// pager reads page (1-based) and size, capping size at max.
func (p *params) pager(def, max int) pager {
	pg := pager{Page: p.int("page", 1), Size: p.int("size", def)}
	if pg.Size > max {
		pg.Size = max
	}
	return pg
}

// pager is one page of a paged table.
type pager struct {
	Page, Size, Total int
}

// Offset is the index of the page's first row.
func (pg pager) Offset() int { return (pg.Page - 1) * pg.Size }

// Pages is the number of pages, at least 1.
func (pg pager) Pages() int {
	if pg.Total <= pg.Size {
		return 1
	}
	return (pg.Total + pg.Size - 1) / pg.Size
}

// First and Last are the 1-based positions of the page's first and last
// rows, for "rows 101–200 of 10,000".
func (pg pager) First() int {
	if pg.Total == 0 {
		return 0
	}
	return pg.Offset() + 1
}

// Last is the 1-based position of the page's last row.
func (pg pager) Last() int { return min(pg.Offset()+pg.Size, pg.Total) }

// Prev is the previous page number, 0 on the first page.
func (pg pager) Prev() int {
	if pg.Page <= 1 {
		return 0
	}
	return pg.Page - 1
}

// Next is the next page number, 0 on the last page.
func (pg pager) Next() int {
	if pg.Page >= pg.Pages() {
		return 0
	}
	return pg.Page + 1
}
