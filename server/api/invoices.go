package api

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/bludispatcher/dispatcher/edi"
	"github.com/bludispatcher/dispatcher/server/store"
)

// MaxJournalInvoices is the largest number of invoices one journal
// request covers; a wider date range is rejected.
const MaxJournalInvoices = 5000

// invoiceRoutes adds the routes of the transport invoices.
func (h *handler) invoiceRoutes(route func(string, func(http.ResponseWriter, *http.Request, Principal))) {
	route("GET /api/v1/invoices", h.listInvoices)
	route("GET /api/v1/invoices/{load}/{seq}", h.getInvoice)
	route("GET /api/v1/invoices/{load}/{seq}/pdf", h.invoicePDF)
	route("GET /api/v1/invoices/journal.csv", h.journal)
	route("GET /api/v1/invoices/journal.xlsx", h.journal)
}

// listInvoices serves GET /api/v1/invoices?sender=&pod=&from=&to=&load=&offset=&limit=,
// with from and to on the issue date.
func (h *handler) listInvoices(w http.ResponseWriter, r *http.Request, caller Principal) {
	p := &params{q: r.URL.Query()}
	if !companyMatches(p, caller) {
		writeError(w, http.StatusNotFound, "company not found")
		return
	}
	f := store.InvoiceFilter{Company: caller.ID, SenderVAT: p.str("sender"), POD: strings.ToUpper(p.str("pod")),
		Dates: p.dateRange(), Page: p.page()}
	if s := p.str("load"); s != "" {
		f.Load = store.LoadID(p.id("load", s))
	}
	if p.err != nil {
		writeError(w, http.StatusBadRequest, p.err.Error())
		return
	}
	items, total, err := h.Store.Invoices(r.Context(), f)
	if err != nil {
		h.storeError(w, r, "list invoices", err)
		return
	}
	if items == nil {
		items = []store.Invoice{}
	}
	writeJSON(w, http.StatusOK, listResponse[store.Invoice]{Items: items, Total: total, Offset: f.Page.Offset, Limit: f.Page.Limit})
}

// invoiceRef reads the {load} and {seq} path values.
func invoiceRef(r *http.Request) (store.RecordRef, error) {
	p := &params{}
	ref := store.RecordRef{Load: store.LoadID(p.id("load", r.PathValue("load"))), Seq: int(p.id("seq", r.PathValue("seq")))}
	return ref, p.err
}

// getInvoice serves GET /api/v1/invoices/{load}/{seq}: one invoice with
// its points and charges.
func (h *handler) getInvoice(w http.ResponseWriter, r *http.Request, caller Principal) {
	ref, err := invoiceRef(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	inv, err := h.Store.Invoice(r.Context(), caller.ID, ref)
	if err != nil {
		h.storeError(w, r, "get invoice", err)
		return
	}
	writeJSON(w, http.StatusOK, inv)
}

// loadDocument reads the original file of a load back through edi.Load.
func (h *handler) loadDocument(r *http.Request, company store.CompanyID, load store.LoadID) (*edi.Document, error) {
	orig, body, err := h.Store.OpenOriginal(r.Context(), company, load)
	if err != nil {
		return nil, err
	}
	defer body.Close()
	return edi.Load(orig.Name, body, edi.LoadOptions{})
}

// transportInvoice returns the stored invoice ref and its edi form, read
// again from the original file.
func (h *handler) transportInvoice(r *http.Request, company store.CompanyID, ref store.RecordRef) (store.InvoiceDetail, *edi.TransportInvoice, error) {
	inv, err := h.Store.Invoice(r.Context(), company, ref)
	if err != nil {
		return inv, nil, err
	}
	doc, err := h.loadDocument(r, company, ref.Load)
	if err != nil {
		return inv, nil, err
	}
	all := doc.TransportInvoices()
	if inv.Index < 0 || inv.Index >= len(all) {
		return inv, nil, fmt.Errorf("invoice %d/%d: the original has %d transport invoices, not %d", ref.Load, ref.Seq, len(all), inv.Index+1)
	}
	return inv, all[inv.Index], nil
}

// invoicePDF serves GET /api/v1/invoices/{load}/{seq}/pdf: the PDF
// facsimile of the invoice, or with pod= the extract of one point.
func (h *handler) invoicePDF(w http.ResponseWriter, r *http.Request, caller Principal) {
	ref, err := invoiceRef(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	inv, t, err := h.transportInvoice(r, caller.ID, ref)
	if err != nil {
		h.storeError(w, r, "read invoice", err)
		return
	}
	name := "fattura-" + fileSafe(inv.Number)
	var buf bytes.Buffer
	if pod := strings.ToUpper(strings.TrimSpace(r.URL.Query().Get("pod"))); pod != "" {
		if !billsPoint(inv, pod) {
			writeError(w, http.StatusNotFound, "the invoice bills no point "+pod)
			return
		}
		err = edi.WritePointFacsimile(&buf, t, pod, edi.FacsimileOptions{})
		name += "-" + fileSafe(pod)
	} else {
		err = edi.WriteFacsimile(&buf, t, edi.FacsimileOptions{})
	}
	if err != nil {
		h.internal(w, r, "write invoice facsimile", err)
		return
	}
	writeFile(w, name+".pdf", "application/pdf", buf.Bytes())
}

func billsPoint(inv store.InvoiceDetail, pod string) bool {
	for _, p := range inv.Points {
		if p.Code == pod {
			return true
		}
	}
	return false
}

// fileSafe keeps letters, digits, '-' and '_' of s for a file name.
func fileSafe(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			return r
		}
		return '_'
	}, s)
}

// journal serves GET /api/v1/invoices/journal.csv and journal.xlsx with
// from and to on the issue date: the journal entries of the files whose
// stored invoices were issued in the range, each entry once.
func (h *handler) journal(w http.ResponseWriter, r *http.Request, caller Principal) {
	p := &params{q: r.URL.Query()}
	if !companyMatches(p, caller) {
		writeError(w, http.StatusNotFound, "company not found")
		return
	}
	f := store.InvoiceFilter{Company: caller.ID, SenderVAT: p.str("sender"), Dates: p.dateRange(),
		Page: store.Page{Limit: MaxJournalInvoices}}
	if p.err != nil {
		writeError(w, http.StatusBadRequest, p.err.Error())
		return
	}

	invoices, total, err := h.Store.Invoices(r.Context(), f)
	if err != nil {
		h.storeError(w, r, "list invoices", err)
		return
	}
	if total > MaxJournalInvoices {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("the date range contains %d invoices, more than the maximum of %d: narrow from and to", total, MaxJournalInvoices))
		return
	}
	entries, err := h.journalEntries(r, caller.ID, invoices, f.Dates)
	if err != nil {
		h.storeError(w, r, "build journal", err)
		return
	}

	var buf bytes.Buffer
	name, contentType := "prima-nota.csv", "text/csv; charset=utf-8"
	if strings.HasSuffix(r.URL.Path, ".xlsx") {
		name, contentType = "prima-nota.xlsx", XLSXContentType
		err = edi.WriteJournalXLSX(&buf, entries)
	} else {
		err = edi.WriteJournalCSV(&buf, entries)
	}
	if err != nil {
		h.internal(w, r, "write journal", err)
		return
	}
	writeFile(w, name, contentType, buf.Bytes())
}

// journalEntries reads each load of invoices once and keeps its journal
// entries dated in days, without repeating an entry of the same supplier,
// number and date.
func (h *handler) journalEntries(r *http.Request, company store.CompanyID, invoices []store.Invoice, days store.DateRange) ([]edi.JournalEntry, error) {
	seenLoad := map[store.LoadID]bool{}
	seenEntry := map[string]bool{}
	var out []edi.JournalEntry
	for i := len(invoices) - 1; i >= 0; i-- { // oldest first
		load := invoices[i].Load
		if seenLoad[load] {
			continue
		}
		seenLoad[load] = true
		doc, err := h.loadDocument(r, company, load)
		if err != nil {
			return nil, errors.Join(fmt.Errorf("load %d", load), err)
		}
		for _, e := range doc.Journal(edi.JournalOptions{}) {
			key := e.SupplierVAT + "|" + e.Number + "|" + e.Date.String()
			if seenEntry[key] || !inRange(e, days) {
				continue
			}
			seenEntry[key] = true
			out = append(out, e)
		}
	}
	return out, nil
}

func inRange(e edi.JournalEntry, days store.DateRange) bool {
	if !days.From.IsZero() && e.Date.Before(days.From) {
		return false
	}
	return days.To.IsZero() || !e.Date.After(days.To)
}
