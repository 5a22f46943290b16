package web

import (
	"context"
	"net/http"
	"strings"

	"github.com/bludispatcher/dispatcher/server/internal/param"
	"github.com/bludispatcher/dispatcher/server/store"
)

// searchPageSize is the default number of rows on a search page.
const searchPageSize = 100

// parseSearch reads pod, site, month, flow, load, from, to, sort and dir
// into a store filter without a page.
func parseSearch(p *param.Reader, v viewer) store.RecordFilter {
	f := store.RecordFilter{
		Company:    v.principal.ID,
		POD:        strings.ToUpper(p.Text("pod")),
		Site:       p.Text("site"),
		Month:      p.Month("month"),
		FlowCode:   strings.ToUpper(p.Text("flow")),
		Dates:      p.DateRange(),
		Sort:       store.RecordSort(p.Text("sort")),
		Descending: p.Text("dir") == "desc",
	}
	if s := p.Text("load"); s != "" {
		f.Load = store.LoadID(p.ID("load", s))
	}
	if f.Sort == "" {
		f.Sort = store.SortByDate
	}
	if !f.Sort.Valid() {
		p.Fail("sort", string(f.Sort), "want.sort")
	}
	if d := p.Text("dir"); d != "" && d != "asc" && d != "desc" {
		p.Fail("dir", d, "want.dir")
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
	p := &param.Reader{Values: r.URL.Query()}
	if !companyMatches(p, v) {
		h.notFound(w, r)
		return
	}
	q := parseSearch(p, v)
	pg := readPager(p, searchPageSize, maxTablePageSize)
	if failure, ok := p.First(); ok {
		h.badParam(w, r, failure)
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
