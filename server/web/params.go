package web

import (
	"errors"

	"github.com/bludispatcher/dispatcher/server/internal/param"
)

// errInvalidParam is returned by page helpers that record an invalid
// parameter in their param.Reader. The handler then renders the failure
// with badParam.
var errInvalidParam = errors.New("web: invalid query parameter")

// catalogKey returns the catalog key of the wording of want. A form that
// the pages define for their own checks is already a catalog key, such as
// "want.status".
func catalogKey(want param.Form) string {
	switch want {
	case param.Positive:
		return "want.positive"
	case param.Date:
		return "want.date"
	case param.DateNotBeforeFrom:
		return "want.dateAfterFrom"
	case param.Month:
		return "want.month"
	}
	// NOTE: param.NonNegative and param.Bool have no catalog key because
	// no page reads them, so they would show untranslated.
	return string(want)
}

// readPager reads page (1-based) and size, capping size at maxSize.
func readPager(p *param.Reader, defSize, maxSize int) pager {
	page, size := p.PageNumber(defSize, maxSize)
	return pager{Page: page, Size: size}
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
