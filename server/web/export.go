package web

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/server/api"
	"github.com/bludispatcher/dispatcher/server/internal/param"
	"github.com/bludispatcher/dispatcher/server/store"
)

// MaxExportRows bounds one export: an XLSX sheet holds 1,048,576 rows, one
// of which is the header.
const MaxExportRows = 1048575

// exportColumn is one column of the search export: the catalog key of its
// header and its value.
type exportColumn struct {
	key   string
	value func(l *locale, r *store.RecordRow) string
}

// exportColumns are the columns of the CSV and XLSX exports.
var exportColumns = []exportColumn{
	{"record.pod", func(_ *locale, r *store.RecordRow) string { return r.POD }},
	{"record.flow", func(_ *locale, r *store.RecordRow) string { return r.FlowCode }},
	{"record.family", func(l *locale, r *store.RecordRow) string { return l.T("family." + r.FamilyName) }},
	{"record.competence", func(l *locale, r *store.RecordRow) string { return l.Competence(r.Competence) }},
	{"record.date", func(l *locale, r *store.RecordRow) string { return l.Date(r.Date) }},
	{"record.monthYear", func(l *locale, r *store.RecordRow) string { return l.Ptr(r.MonthYear) }},
	{"record.measureDate", func(l *locale, r *store.RecordRow) string { return l.Ptr(r.MeasureDate) }},
	{"record.correctionType", func(l *locale, r *store.RecordRow) string { return l.Ptr(r.CorrectionType) }},
	{"record.reason", func(l *locale, r *store.RecordRow) string { return l.Ptr(r.Reason) }},
	{"record.detectionDate", func(l *locale, r *store.RecordRow) string { return l.Ptr(r.DetectionDate) }},
	{"record.serviceDate", func(l *locale, r *store.RecordRow) string { return l.Ptr(r.ServiceDate) }},
	{"record.practiceCode", func(l *locale, r *store.RecordRow) string { return l.Ptr(r.PracticeCode) }},
	{"record.startDate", func(l *locale, r *store.RecordRow) string { return l.Ptr(r.StartDate) }},
	{"record.load", func(_ *locale, r *store.RecordRow) string { return strconv.FormatInt(int64(r.Load), 10) }},
	{"record.seq", func(_ *locale, r *store.RecordRow) string { return strconv.Itoa(r.Seq) }},
	{"record.line", func(_ *locale, r *store.RecordRow) string { return strconv.Itoa(r.Line) }},
}

// forEachRow calls fn for every match of q in q's order, up to
// MaxExportRows. It reads the store one page of store.MaxLimit rows at a
// time, so memory does not grow with the export.
func forEachRow(ctx context.Context, st Store, q store.RecordFilter, fn func(*store.RecordRow) error) error {
	total := MaxExportRows
	for offset := 0; offset < total; {
		rows, n, err := fetchPage(ctx, st, q, offset, min(store.MaxLimit, total-offset))
		if err != nil {
			return err
		}
		total = min(n, MaxExportRows)
		for i := range rows {
			if err := fn(&rows[i]); err != nil {
				return err
			}
		}
		if len(rows) == 0 {
			return nil
		}
		offset += len(rows)
	}
	return nil
}

// exportName returns the download name of an export, such as
// "records-20260131-1405.csv", stamped in Europe/Rome.
func exportName(now time.Time, ext string) string {
	return "records-" + now.In(civil.Rome).Format("20060102-1504") + "." + ext
}

// exportRequest reads the search of an export request.
func (h *handler) exportRequest(w http.ResponseWriter, r *http.Request, v viewer) (store.RecordFilter, *locale, bool) {
	p := &param.Reader{Values: r.URL.Query()}
	if !companyMatches(p, v) {
		h.notFound(w, r)
		return store.RecordFilter{}, nil, false
	}
	q := parseSearch(p, v)
	if failure, ok := p.First(); ok {
		h.badParam(w, r, failure)
		return store.RecordFilter{}, nil, false
	}
	return q, h.localizer(w, r), true
}

// exportCSV serves GET /search/export.csv with the search's filters and
// order. The separator and decimal mark follow the page language, as a
// spreadsheet of that locale reads them.
func (h *handler) exportCSV(w http.ResponseWriter, r *http.Request, v viewer) {
	q, l, ok := h.exportRequest(w, r, v)
	if !ok {
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", api.ContentDisposition(exportName(h.now(), "csv")))
	cw := csv.NewWriter(w)
	if sep := []rune(l.T("format.csvSeparator")); len(sep) == 1 {
		cw.Comma = sep[0]
	}

	header := make([]string, len(exportColumns))
	for i, c := range exportColumns {
		header[i] = l.T(c.key)
	}
	// A byte-order mark makes spreadsheet programs read the file as UTF-8.
	_, _ = w.Write([]byte("\ufeff"))
	_ = cw.Write(header)

	record := make([]string, len(exportColumns))
	err := forEachRow(r.Context(), h.opts.Store, q, func(row *store.RecordRow) error {
		for i, c := range exportColumns {
			record[i] = csvSafe(c.value(l, row))
		}
		return cw.Write(record)
	})
	cw.Flush()
	if err == nil {
		err = cw.Error()
	}
	if err != nil {
		// The status line is already sent, so the client gets a cut file
		// and the server log records the error.
		h.opts.Log.Error("csv export failed", "company", v.principal.Code, "error", err)
	}
}

// csvSafe prefixes a value that a spreadsheet would run as a formula.
func csvSafe(s string) string {
	if s != "" && slices.Contains([]byte("=+-@\t\r"), s[0]) {
		return "'" + s
	}
	return s
}

// exportXLSX serves GET /search/export.xlsx, one sheet written row by row
// through excelize's stream writer.
func (h *handler) exportXLSX(w http.ResponseWriter, r *http.Request, v viewer) {
	q, l, ok := h.exportRequest(w, r, v)
	if !ok {
		return
	}
	f := excelize.NewFile()
	defer f.Close()
	sheet := l.T("export.sheet")
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		h.serverError(w, r, "xlsx export", err)
		return
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		h.serverError(w, r, "xlsx export", err)
		return
	}

	header := make([]any, len(exportColumns))
	for i, c := range exportColumns {
		header[i] = l.T(c.key)
	}
	if err := sw.SetRow("A1", header); err != nil {
		h.serverError(w, r, "xlsx export", err)
		return
	}

	n := 1
	cells := make([]any, len(exportColumns))
	err = forEachRow(r.Context(), h.opts.Store, q, func(row *store.RecordRow) error {
		n++
		for i, c := range exportColumns {
			cells[i] = c.value(l, row)
		}
		cell, err := excelize.CoordinatesToCellName(1, n)
		if err != nil {
			return err
		}
		return sw.SetRow(cell, cells)
	})
	if err == nil {
		err = sw.Flush()
	}

	if err != nil {
		h.storeError(w, r, "xlsx export", fmt.Errorf("xlsx export: %w", err))
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", api.ContentDisposition(exportName(h.now(), "xlsx")))
	if err := f.Write(w); err != nil {
		h.opts.Log.Error("xlsx export failed", "company", v.principal.Code, "error", err)
	}
}
