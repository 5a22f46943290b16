package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/bludispatcher/dispatcher/server/store"
)

// searchPageSize is the default number of rows on a search page.
const searchPageSize = 100

// parseSearch reads pod, site, month, flow, load, from, to, sort and dir
// into a store filter without a page.
func parseSearch(p *params, v viewer) store.RecordFilter {
	f := store.RecordFilter{
		Company:    v.principal.ID,
		POD:        strings.ToUpper(p.str("pod")),
		Site:       p.str("site"),
		Month:      p.month("month"),
		FlowCode:   strings.ToUpper(p.str("flow")),
		Dates:      p.dateRange(),
		Sort:       store.RecordSort(p.str("sort")),
		Descending: p.str("dir") == "desc",
	}
	if s := p.str("load"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 1 {
			p.fail("load", s, "want.positive")
		}
		f.Load = store.LoadID(n)
	}
	if f.Sort == "" {
		f.Sort = store.SortByDate
	}
	if !f.Sort.Valid() {
		p.fail("sort", string(f.Sort), "want.sort")
	}
	if d := p.str("dir"); d != "" && d != "asc" && d != "desc" {
		p.fail("dir", d, "want.dir")
	}
	return f
}

// fetchPage returns the rows of one page of the search f in f's order,
// which the store sorts, and the total number of matches.
func fetchPage(ctx context.Context, st Store, f store.RecordFilter, offset, limit int) ([]store.RecordRow, int, error) {
	f.Page = store.Page{Offset: offset, Limit: limit}
	return st.SearchRecords(ctx, f)
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
		Sort:     string(q.Sort),
		Desc:     q.Descending,
	}
	rows, total, err := fetchPage(r.Context(), h.opts.Store, q, pg.Offset(), pg.Size)
	if err != nil {
		h.storeError(w, r, "search records", err)
		return
	}
	pg.Total = total
	page.Rows, page.Pager = rows, pg
	h.render(w, r, http.StatusOK, "search", page)
}
