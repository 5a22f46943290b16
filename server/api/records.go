package api

import (
	"net/http"
	"strings"

	"github.com/bludispatcher/dispatcher/server/store"
)

// searchRecords serves GET /api/v1/records with the filters pod, site,
// month, flow, load, from, to (competence dates), sort (date, pod, flow,
// competence or load), order (asc or desc), offset and limit.
func (h *handler) searchRecords(w http.ResponseWriter, r *http.Request, caller Principal) {
	p := &params{q: r.URL.Query()}
	if !companyMatches(p, caller) {
		writeError(w, http.StatusNotFound, "company not found")
		return
	}
	f := store.RecordFilter{
		Company:  caller.ID,
		POD:      strings.ToUpper(p.str("pod")),
		Site:     p.str("site"),
		Month:    p.month("month"),
		FlowCode: p.str("flow"),
		Dates:    p.dateRange(),
		Page:     p.page(),
	}
	if s := p.str("load"); s != "" {
		f.Load = store.LoadID(p.id("load", s))
	}
	f.Sort, f.Descending = p.recordSort()
	if p.err != nil {
		writeError(w, http.StatusBadRequest, p.err.Error())
		return
	}
	rows, total, err := h.Store.SearchRecords(r.Context(), f)
	if err != nil {
		h.storeError(w, r, "search records", err)
		return
	}
	if rows == nil {
		rows = []store.RecordRow{}
	}
	writeJSON(w, http.StatusOK, listResponse[store.RecordRow]{Items: rows, Total: total, Offset: f.Page.Offset, Limit: f.Page.Limit})
}

// recordSort reads sort, one of store.RecordSorts (date when empty), and
// order, asc (the default) or desc.
func (p *params) recordSort() (store.RecordSort, bool) {
	sort := store.RecordSort(p.str("sort"))
	if !sort.Valid() {
		p.fail("sort", string(sort), "date, pod, flow, competence or load")
	}
	order := p.str("order")
	if order != "" && order != "asc" && order != "desc" {
		p.fail("order", order, "asc or desc")
	}
	return sort, order == "desc"
}

// podResponse is one per-POD view.
type podResponse[T any] struct {
	POD   string `json:"pod"`
	Items []T    `json:"items"`
}

func pod(r *http.Request) string { return strings.ToUpper(strings.TrimSpace(r.PathValue("pod"))) }

// answerPOD writes a per-POD view, or the error that produced it.
func answerPOD[T any](h *handler, w http.ResponseWriter, r *http.Request, op string, items []T, err error) {
	if err != nil {
		h.storeError(w, r, op, err)
		return
	}
	if items == nil {
		items = []T{}
	}
	writeJSON(w, http.StatusOK, podResponse[T]{POD: pod(r), Items: items})
}

// readings serves GET /api/v1/pods/{pod}/readings?from=&to=.
func (h *handler) readings(w http.ResponseWriter, r *http.Request, caller Principal) {
	p := &params{q: r.URL.Query()}
	dates := p.dateRange()
	if p.err != nil {
		writeError(w, http.StatusBadRequest, p.err.Error())
		return
	}
	items, err := h.Store.Readings(r.Context(), caller.ID, pod(r), dates)
	answerPOD(h, w, r, "readings", items, err)
}

// curve serves GET /api/v1/pods/{pod}/curve?from=&to=&all=: the
// quarter-hour days with the real start instant of every slot. Without
// all=true only the newest load's version of each day is returned.
func (h *handler) curve(w http.ResponseWriter, r *http.Request, caller Principal) {
	p := &params{q: r.URL.Query()}
	dates := p.dateRange()
	all := p.bool("all", false)
	if p.err == nil && (dates.From.IsZero() || dates.To.IsZero()) {
		p.fail("from", p.str("from"), "both from and to, such as from=2026-01-01&to=2026-01-31")
	}
	if p.err == nil && dates.From.AddDays(MaxCurveDays).Before(dates.To) {
		p.fail("to", p.str("to"), "a range of at most 366 days")
	}
	if p.err != nil {
		writeError(w, http.StatusBadRequest, p.err.Error())
		return
	}
	items, err := h.Store.Curve(r.Context(), caller.ID, pod(r), dates, !all)
	answerPOD(h, w, r, "curve", items, err)
}

// MaxCurveDays bounds the day range of one curve request, so one response
// stays within a few tens of megabytes.
const MaxCurveDays = 366

// consumptions serves GET /api/v1/pods/{pod}/consumptions?from=&to=.
func (h *handler) consumptions(w http.ResponseWriter, r *http.Request, caller Principal) {
	p := &params{q: r.URL.Query()}
	dates := p.dateRange()
	if p.err != nil {
		writeError(w, http.StatusBadRequest, p.err.Error())
		return
	}
	items, err := h.Store.Consumptions(r.Context(), caller.ID, pod(r), dates)
	answerPOD(h, w, r, "consumptions", items, err)
}

// corrections serves GET /api/v1/pods/{pod}/corrections?current=: every
// correction with the record it replaced, or with current=true only the
// newest of each competence and TipoRettifica.
func (h *handler) corrections(w http.ResponseWriter, r *http.Request, caller Principal) {
	p := &params{q: r.URL.Query()}
	current := p.bool("current", false)
	if p.err != nil {
		writeError(w, http.StatusBadRequest, p.err.Error())
		return
	}
	items, err := h.Store.Corrections(r.Context(), caller.ID, pod(r), current)
	answerPOD(h, w, r, "corrections", items, err)
}

// switching serves GET /api/v1/pods/{pod}/switching.
func (h *handler) switching(w http.ResponseWriter, r *http.Request, caller Principal) {
	items, err := h.Store.Switching(r.Context(), caller.ID, pod(r))
	answerPOD(h, w, r, "switching", items, err)
}

// technical serves GET /api/v1/pods/{pod}/technical.
func (h *handler) technical(w http.ResponseWriter, r *http.Request, caller Principal) {
	items, err := h.Store.Technical(r.Context(), caller.ID, pod(r))
	answerPOD(h, w, r, "technical", items, err)
}
