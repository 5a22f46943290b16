package web

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/bludispatcher/dispatcher/server/store"
)

// Page sizes of the record search.
const (
	searchPageSize = 100
	// sortLimit is the largest result that can be sorted by a column other
	// than the date: the store returns records in date order, so the
	// page sorts at most one store page (store.MaxLimit rows) in memory.
	sortLimit = store.MaxLimit
)

// sortKeys are the columns the search can sort by; "date" is the store's
// own order (date, POD, load, position).
var sortKeys = map[string]func(a, b *store.RecordRow) int{
	"date": nil,
	"pod":  func(a, b *store.RecordRow) int { return strings.Compare(a.POD, b.POD) },
	"flow": func(a, b *store.RecordRow) int { return strings.Compare(a.FlowCode, b.FlowCode) },
	"competence": func(a, b *store.RecordRow) int {
		return strings.Compare(a.Competence, b.Competence)
	},
	"load": func(a, b *store.RecordRow) int {
		if c := int(a.Load - b.Load); c != 0 {
			return c
		}
		return a.Seq - b.Seq
	},
}

// searchQuery is a parsed search: the store filter and the order.
type searchQuery struct {
	filter store.RecordFilter
	sort   string
	desc   bool
}

// parseSearch reads pod, site, month, flow, load, from, to, sort and dir.
func parseSearch(p *params, v viewer) searchQuery {
	q := searchQuery{
		filter: store.RecordFilter{
			Company:  v.principal.ID,
			POD:      strings.ToUpper(p.str("pod")),
			Site:     p.str("site"),
			Month:    p.month("month"),
			FlowCode: strings.ToUpper(p.str("flow")),
			Dates:    p.dateRange(),
		},
		sort: p.str("sort"),
		desc: p.str("dir") == "desc",
	}
	if s := p.str("load"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 1 {
			p.fail("load", s, "want.positive")
		}
		q.filter.Load = store.LoadID(n)
	}
	if q.sort == "" {
		q.sort = "date"
	}
	if _, ok := sortKeys[q.sort]; !ok {
		p.fail("sort", q.sort, "want.sort")
	}
	if d := p.str("dir"); d != "" && d != "asc" && d != "desc" {
		p.fail("dir", d, "want.dir")
	}
	return q
}

// searchResult is one page of a search.
type searchResult struct {
	rows  []store.RecordRow
	total int
	// unsorted reports that the result was too large to sort by the
	// requested column, so it is in date order.
	unsorted bool
}

// fetchPage returns the rows of one page in the requested order. The date
// order pages in the store, both ways; other orders sort up to sortLimit
// matches in memory.
func fetchPage(ctx context.Context, st Store, q searchQuery, offset, limit int) (searchResult, error) {
	f := q.filter
	if q.sort != "date" {
		f.Page = store.Page{Offset: 0, Limit: sortLimit}
		rows, total, err := st.SearchRecords(ctx, f)
		if err != nil {
			return searchResult{}, err
		}
		if total <= sortLimit {
			sortRows(rows, q)
			return searchResult{rows: window(rows, offset, limit), total: total}, nil
		}
		q.sort = "date"
		res, err := fetchPage(ctx, st, q, offset, limit)
		res.unsorted = true
		return res, err
	}

	if !q.desc {
		f.Page = store.Page{Offset: offset, Limit: limit}
		rows, total, err := st.SearchRecords(ctx, f)
		return searchResult{rows: rows, total: total}, err
	}

	// Descending: count first, then read the mirrored window and reverse it.
	f.Page = store.Page{Offset: 0, Limit: 1}
	_, total, err := st.SearchRecords(ctx, f)
	if err != nil || offset >= total {
		return searchResult{total: total}, err
	}
	end := total - offset
	start := max(end-limit, 0)
	f.Page = store.Page{Offset: start, Limit: end - start}
	rows, total, err := st.SearchRecords(ctx, f)
	slices.Reverse(rows)
	return searchResult{rows: rows, total: total}, err
}

// sortRows sorts rows by q's column, keeping the date order among equals.
func sortRows(rows []store.RecordRow, q searchQuery) {
	cmp := sortKeys[q.sort]
	slices.SortStableFunc(rows, func(a, b store.RecordRow) int {
		c := cmp(&a, &b)
		if q.desc {
			c = -c
		}
		return c
	})
}

func window[T any](s []T, offset, limit int) []T {
	if offset >= len(s) {
		return nil
	}
	return s[offset:min(offset+limit, len(s))]
}

// searchPage is the data of the search page.
type searchPage struct {
	basePage
	Query    map[string]string
	RawQuery map[string][]string
	Rows     []store.RecordRow
	Pager    pager
	Sort     string
	Desc     bool
	Unsorted bool
}

// search serves GET /search?pod=&site=&month=&flow=&load=&from=&to=&sort=&dir=&page=&size=.
func (h *handler) search(w http.ResponseWriter, r *http.Request, v viewer) {
	p := &params{q: r.URL.Query()}
	if !companyMatches(p, v) {
		h.notFound(w, r)
		return
	}
	q := parseSearch(p, v)
	pg := p.pager(searchPageSize, maxTablePageSize)
	if p.err != nil {
		h.badParam(w, r, p.err)
		return
	}
	page := searchPage{
		basePage: h.base(w, r, v, "search.title", "search"),
		Query:    flatQuery(r),
		RawQuery: r.URL.Query(),
		Sort:     q.sort,
		Desc:     q.desc,
	}
	res, err := fetchPage(r.Context(), h.opts.Store, q, pg.Offset(), pg.Size)
	if err != nil {
		h.storeError(w, r, "search records", err)
		return
	}
	pg.Total = res.total
	page.Rows, page.Unsorted, page.Pager = res.rows, res.unsorted, pg
	h.render(w, r, http.StatusOK, "search", page)
}
