package api

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/bludispatcher/dispatcher/internal/anomaly"
	"github.com/bludispatcher/dispatcher/server/ingest"
	"github.com/bludispatcher/dispatcher/server/store"
)

// listResponse is a page of results with the total number of matches.
type listResponse[T any] struct {
	Items  []T `json:"items"`
	Total  int `json:"total"`
	Offset int `json:"offset"`
	Limit  int `json:"limit"`
}

// companyMatches checks the optional company query parameter: a request
// may name its own company by code or id, and any other value gets 404 as
// an unknown company would.
func companyMatches(p *params, caller Principal) bool {
	c := p.str("company")
	return c == "" || c == caller.Code || c == strconv.FormatInt(int64(caller.ID), 10)
}

// listLoads serves GET /api/v1/loads?status=&flow=&from=&to=&sha256=&offset=&limit=.
// status and flow take comma-separated lists, such as flow=PDO,RFO.
func (h *handler) listLoads(w http.ResponseWriter, r *http.Request, caller Principal) {
	p := &params{q: r.URL.Query()}
	if !companyMatches(p, caller) {
		writeError(w, http.StatusNotFound, "company not found")
		return
	}
	f := store.LoadFilter{
		Company: caller.ID,
		SHA256:  strings.ToLower(p.str("sha256")),
		Started: store.TimeRange{From: p.instant("from", false), To: p.instant("to", true)},
		Page:    p.page(),
	}
	for _, code := range strings.Split(p.str("flow"), ",") {
		if code = strings.TrimSpace(code); code != "" {
			f.FlowCodes = append(f.FlowCodes, code)
		}
	}
	if s := p.str("status"); s != "" {
		for _, part := range strings.Split(s, ",") {
			st := store.LoadStatus(strings.TrimSpace(part))
			if !st.Valid() {
				p.fail("status", s, "loaded, loaded_with_anomalies, rejected or duplicate, comma-separated")
				break
			}
			f.Statuses = append(f.Statuses, st)
		}
	}
	if p.err != nil {
		writeError(w, http.StatusBadRequest, p.err.Error())
		return
	}
	loads, total, err := h.Store.ListLoads(r.Context(), f)
	if err != nil {
		h.storeError(w, r, "list loads", err)
		return
	}
	if loads == nil {
		loads = []store.Load{}
	}
	writeJSON(w, http.StatusOK, listResponse[store.Load]{Items: loads, Total: total, Offset: f.Page.Offset, Limit: f.Page.Limit})
}

// loadResponse is one load with a page of its anomalies.
type loadResponse struct {
	Load      store.Load        `json:"load"`
	Anomalies []anomaly.Anomaly `json:"anomalies"`
	// AnomalyTotal is the number of anomalies of the load; fetch the rest
	// from /api/v1/loads/{id}/anomalies with offset and limit.
	AnomalyTotal int `json:"anomalyTotal"`
}

func (h *handler) loadID(w http.ResponseWriter, r *http.Request) (store.LoadID, *params, bool) {
	p := &params{q: r.URL.Query()}
	id := p.id("id", r.PathValue("id"))
	if p.err != nil {
		// An id that is not a number names no load.
		writeError(w, http.StatusNotFound, "load not found")
		return 0, p, false
	}
	return store.LoadID(id), p, true
}

// getLoad serves GET /api/v1/loads/{id}: the entry and its first anomalies.
func (h *handler) getLoad(w http.ResponseWriter, r *http.Request, caller Principal) {
	id, p, ok := h.loadID(w, r)
	if !ok {
		return
	}
	page := p.page()
	if p.err != nil {
		writeError(w, http.StatusBadRequest, p.err.Error())
		return
	}
	load, err := h.Store.Load(r.Context(), caller.ID, id)
	if err != nil {
		h.storeError(w, r, "get load", err)
		return
	}
	anomalies, total, err := h.Store.Anomalies(r.Context(), caller.ID, id, page)
	if err != nil {
		h.storeError(w, r, "get anomalies", err)
		return
	}
	if anomalies == nil {
		anomalies = []anomaly.Anomaly{}
	}
	writeJSON(w, http.StatusOK, loadResponse{Load: load, Anomalies: anomalies, AnomalyTotal: total})
}

// getAnomalies serves GET /api/v1/loads/{id}/anomalies?offset=&limit=.
func (h *handler) getAnomalies(w http.ResponseWriter, r *http.Request, caller Principal) {
	id, p, ok := h.loadID(w, r)
	if !ok {
		return
	}
	page := p.page()
	if p.err != nil {
		writeError(w, http.StatusBadRequest, p.err.Error())
		return
	}
	anomalies, total, err := h.Store.Anomalies(r.Context(), caller.ID, id, page)
	if err != nil {
		h.storeError(w, r, "get anomalies", err)
		return
	}
	if anomalies == nil {
		anomalies = []anomaly.Anomaly{}
	}
	writeJSON(w, http.StatusOK, listResponse[anomaly.Anomaly]{Items: anomalies, Total: total, Offset: page.Offset, Limit: page.Limit})
}

// getOriginal serves GET /api/v1/loads/{id}/original with the file's exact
// bytes under its original name.
func (h *handler) getOriginal(w http.ResponseWriter, r *http.Request, caller Principal) {
	id, _, ok := h.loadID(w, r)
	if !ok {
		return
	}
	orig, body, err := h.Store.OpenOriginal(r.Context(), caller.ID, id)
	if err != nil {
		h.storeError(w, r, "open original", err)
		return
	}
	defer body.Close()
	w.Header().Set("Content-Type", contentType(orig.Name))
	w.Header().Set("Content-Disposition", ContentDisposition(orig.Name))
	w.Header().Set("Content-Length", strconv.FormatInt(orig.Size, 10))
	w.Header().Set("X-Content-SHA256", orig.SHA256)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if _, err := io.Copy(w, body); err != nil {
		h.Log.Error("original download failed", "company", caller.Code, "load", id, "name", orig.Name, "error", err)
	}
}

func contentType(name string) string {
	lower := strings.ToLower(name)
	switch {
	case strings.HasSuffix(lower, ".xml"):
		return "application/xml"
	case strings.HasSuffix(lower, ".zip"):
		return "application/zip"
	}
	return "application/octet-stream"
}

// ContentDisposition returns an attachment header for name: a quoted ASCII
// fallback with unsafe characters replaced by "_", and the exact name in
// the RFC 5987 filename* form.
func ContentDisposition(name string) string {
	var ascii strings.Builder
	for _, r := range name {
		switch {
		case r == '"' || r == '\\' || r == '/' || r < 0x20 || r == 0x7f || r > 0x7e:
			ascii.WriteByte('_')
		default:
			ascii.WriteRune(r)
		}
	}
	fallback := ascii.String()
	if fallback == "" {
		fallback = "original"
	}
	v := mime.FormatMediaType("attachment", map[string]string{"filename": fallback})
	if fallback != name {
		v += "; filename*=UTF-8''" + pathEscape(name)
	}
	return v
}

// pathEscape percent-encodes every byte outside the RFC 5987 attr-char set.
func pathEscape(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

// scan serves POST /api/v1/scan: it scans the company's inboxes now and
// returns the report once the scan has finished.
func (h *handler) scan(w http.ResponseWriter, r *http.Request, caller Principal) {
	if h.Scan == nil {
		writeError(w, http.StatusNotImplemented, "scanning is not enabled on this server")
		return
	}
	report, err := h.Scan(r.Context(), caller.ID)
	if errors.Is(err, store.ErrNotFound) {
		writeError(w, http.StatusNotFound, "the company has no inboxes on this server")
		return
	}
	if err != nil {
		h.internal(w, r, fmt.Sprintf("scan company %s", caller.Code), err)
		return
	}
	if report.Files == nil {
		report.Files = []ingest.FileReport{}
	}
	writeJSON(w, http.StatusOK, report)
}
