package web

import (
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/bludispatcher/dispatcher/internal/anomaly"
	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/server/api"
	"github.com/bludispatcher/dispatcher/server/internal/param"
	"github.com/bludispatcher/dispatcher/server/store"
)

// Page sizes of the load log and of a load's anomalies.
const (
	loadPageSize     = 50
	anomalyPageSize  = 100
	maxTablePageSize = 1000
)

// loadStatuses are the statuses offered by the status filter.
var loadStatuses = []store.LoadStatus{store.StatusLoaded, store.StatusLoadedWithAnomalies, store.StatusRejected, store.StatusDuplicate}

// loadLogPage is the data of the load log.
type loadLogPage struct {
	basePage
	Query    map[string]string
	RawQuery map[string][]string
	Statuses []store.LoadStatus
	Loads    []store.Load
	Pager    pager
}

// companyMatches checks the optional company filter as the API does: a
// viewer may name its own company by code or id, and any other value gets
// 404 as an unknown company would.
func companyMatches(p *param.Reader, v viewer) bool {
	c := p.Text("company")
	return c == "" || c == v.principal.Code || c == strconv.FormatInt(int64(v.principal.ID), 10)
}

// loadLog serves GET /loads?company=&status=&flow=&from=&to=&page=&size=.
func (h *handler) loadLog(w http.ResponseWriter, r *http.Request, v viewer) {
	p := &param.Reader{Values: r.URL.Query()}
	if !companyMatches(p, v) {
		h.notFound(w, r)
		return
	}
	dates := p.DateRange()
	f := store.LoadFilter{
		Company:  v.principal.ID,
		FlowCode: strings.ToUpper(p.Text("flow")),
		Started:  store.TimeRange{From: midnight(dates.From, 0), To: midnight(dates.To, 1)},
	}
	if s := p.Text("status"); s != "" {
		st := store.LoadStatus(s)
		if !st.Valid() {
			p.Fail("status", s, "want.status")
		}
		f.Statuses = []store.LoadStatus{st}
	}
	pg := readPager(p, loadPageSize, maxTablePageSize)
	if failure, ok := p.First(); ok {
		h.badParam(w, r, failure)
		return
	}

	f.Page = store.Page{Offset: pg.Offset(), Limit: pg.Size}
	loads, total, err := h.opts.Store.ListLoads(r.Context(), f)
	if err != nil {
		h.storeError(w, r, "list loads", err)
		return
	}
	pg.Total = total
	page := loadLogPage{
		basePage: h.base(w, r, v, "loads.title", "loads"),
		Query:    flatQuery(r),
		RawQuery: r.URL.Query(),
		Statuses: loadStatuses,
		Loads:    loads,
		Pager:    pg,
	}
	h.render(w, r, http.StatusOK, "loads", page)
}

// midnight returns the Europe/Rome midnight days after d, or the zero time
// for the zero date.
func midnight(d civil.Date, days int) (t time.Time) {
	if d.IsZero() {
		return t
	}
	return d.AddDays(days).Midnight(civil.Rome)
}

// flatQuery returns the first value of each query parameter, for form
// fields that show the current filter.
func flatQuery(r *http.Request) map[string]string {
	out := map[string]string{}
	for k, v := range r.URL.Query() {
		if len(v) > 0 {
			out[k] = v[0]
		}
	}
	return out
}

// loadDetailPage is the data of one load with a page of its anomalies.
type loadDetailPage struct {
	basePage
	Load      store.Load
	Anomalies []anomaly.Anomaly
	Pager     pager
	RawQuery  map[string][]string
}

// loadID reads the {id} path value; anything but a positive integer names
// no load.
func loadID(r *http.Request) (store.LoadID, bool) {
	n, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return store.LoadID(n), err == nil && n > 0
}

// loadDetail serves GET /loads/{id}?page=&size=.
func (h *handler) loadDetail(w http.ResponseWriter, r *http.Request, v viewer) {
	id, ok := loadID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	p := &param.Reader{Values: r.URL.Query()}
	pg := readPager(p, anomalyPageSize, maxTablePageSize)
	if failure, ok := p.First(); ok {
		h.badParam(w, r, failure)
		return
	}

	load, err := h.opts.Store.Load(r.Context(), v.principal.ID, id)
	if err != nil {
		h.storeError(w, r, "get load", err)
		return
	}
	anomalies, total, err := h.opts.Store.Anomalies(r.Context(), v.principal.ID, id, store.Page{Offset: pg.Offset(), Limit: pg.Size})
	if err != nil {
		h.storeError(w, r, "get anomalies", err)
		return
	}
	pg.Total = total
	page := loadDetailPage{
		basePage:  h.base(w, r, v, "load.title", "loads"),
		Load:      load,
		Anomalies: anomalies,
		Pager:     pg,
		RawQuery:  r.URL.Query(),
	}
	h.render(w, r, http.StatusOK, "load", page)
}

// original serves GET /loads/{id}/original: the file's exact bytes under
// its own name, as the API's download does.
func (h *handler) original(w http.ResponseWriter, r *http.Request, v viewer) {
	id, ok := loadID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	orig, body, err := h.opts.Store.OpenOriginal(r.Context(), v.principal.ID, id)
	if err != nil {
		h.storeError(w, r, "open original", err)
		return
	}
	defer body.Close()
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", api.ContentDisposition(orig.Name))
	w.Header().Set("Content-Length", strconv.FormatInt(orig.Size, 10))
	w.Header().Set("X-Content-SHA256", orig.SHA256)
	if _, err := io.Copy(w, body); err != nil {
		h.opts.Log.Error("original download failed", "company", v.principal.Code, "load", id, "name", orig.Name, "error", err)
	}
}
