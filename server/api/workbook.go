package api

import (
	"bytes"
	"net/http"
	"strconv"

	"github.com/bludispatcher/dispatcher/server/store"
	"github.com/bludispatcher/dispatcher/server/workbook"
)

// xlsxType is the media type of an XLSX workbook.
const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// workbookRoutes adds GET /api/v1/workbook.
func (h *handler) workbookRoutes(route func(string, func(http.ResponseWriter, *http.Request, Principal))) {
	route("GET /api/v1/workbook", h.getWorkbook)
}

// getWorkbook serves GET /api/v1/workbook?load=ID or ?month=yyyy-mm: the
// consumption workbook of one load or of one competence month.
func (h *handler) getWorkbook(w http.ResponseWriter, r *http.Request, caller Principal) {
	p := &params{q: r.URL.Query()}
	sel := workbook.Selection{Company: caller.ID, Month: p.month("month")}
	if s := p.str("load"); s != "" {
		sel.Load = store.LoadID(p.id("load", s))
	}
	if p.err == nil && (sel.Load == 0) == sel.Month.IsZero() {
		p.fail("load", p.str("load"), "exactly one of load and month")
	}
	if p.err != nil {
		writeError(w, http.StatusBadRequest, p.err.Error())
		return
	}
	var buf bytes.Buffer
	name, err := workbook.Write(r.Context(), h.Store, sel, &buf)
	if err != nil {
		h.storeError(w, r, "workbook", err)
		return
	}
	w.Header().Set("Content-Type", xlsxType)
	w.Header().Set("Content-Disposition", ContentDisposition(name))
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if _, err := w.Write(buf.Bytes()); err != nil {
		h.Log.Error("workbook download failed", "company", caller.Code, "name", name, "error", err)
	}
}
