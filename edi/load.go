package edi

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path"

	"github.com/shopspring/decimal"

	"github.com/bludispatcher/dispatcher/internal/anomaly"
)

// Document is one received file, read and checked: a FatturaPA invoice
// (plain or signed) with the transport details found in its attachments,
// or a transport detail flow on its own.
type Document struct {
	// Name is the file name without folders.
	Name string
	// Signed reports whether a CMS signature layer was removed.
	Signed bool
	// Invoice is the FatturaPA document; nil for a detail flow.
	Invoice *Invoice
	// Details holds, for each FatturaPA body, the transport details read
	// from its attachments or, when it has none, built from its lines by
	// DetailFromLines (Details[i] belongs to Invoice.Bodies[i]).
	Details [][]*TransportInvoice
	// Transport holds the invoices of a detail flow file; empty for
	// FatturaPA.
	Transport []*TransportInvoice
	// Anomalies are the findings of CheckInvoice, CheckTransport and
	// TieToInvoice.
	Anomalies []Anomaly
}

// LoadOptions are the settings of Load.
type LoadOptions struct {
	// Codes is the transport code table. Nil means DefaultTransportCodes.
	Codes *TransportCodes
	// Tolerance is the rounding difference in euro the checks accept.
	// Zero means 0.01.
	Tolerance decimal.Decimal
}

// Load reads a file as received: FatturaPA XML, signed .p7m (DER, BER or
// base64), or an electricity or gas detail flow. It runs the checks that
// need nothing but the file and returns the document with its anomalies.
// The error is set only when the file cannot be read at all. A partly bad
// file yields what could be read, with the reason as a blocking anomaly.
func Load(name string, r io.Reader, opts LoadOptions) (*Document, error) {
	doc := &Document{Name: path.Base(name)}
	data, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", doc.Name, err)
	}
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("%s: %w: more than %d bytes", doc.Name, ErrTooLarge, MaxFileSize)
	}
	content, signed, err := Unwrap(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", doc.Name, err)
	}
	doc.Signed = signed
	codes := opts.Codes
	if codes == nil {
		codes = DefaultTransportCodes()
	}
	if rootName(content) == "FatturaElettronica" {
		return doc, doc.loadInvoice(content, codes, opts)
	}
	return doc, doc.loadDetail(content, codes, opts)
}

func (doc *Document) loadInvoice(content []byte, codes *TransportCodes, opts LoadOptions) error {
	inv, err := ReadInvoice(bytes.NewReader(content))
	if inv == nil {
		return fmt.Errorf("%s: %w", doc.Name, err)
	}
	doc.Invoice = inv
	if err != nil {
		doc.fileError(err)
	}
	doc.Anomalies = append(doc.Anomalies, CheckInvoice(inv, CheckOptions{File: doc.Name, Tolerance: opts.Tolerance})...)
	topts := TransportCheckOptions{File: doc.Name, Tolerance: opts.Tolerance, Codes: codes}
	doc.Details = make([][]*TransportInvoice, len(inv.Bodies))
	for i := range inv.Bodies {
		b := &inv.Bodies[i]
		details, anomalies := DetailsFromInvoice(b, codes, doc.Name)
		doc.Anomalies = append(doc.Anomalies, anomalies...)
		if len(details) == 0 {
			// The lines are the detail, so tying them to the body is moot.
			if d, ok := DetailFromLines(&inv.Header, b); ok {
				doc.Details[i] = []*TransportInvoice{d}
				doc.Anomalies = append(doc.Anomalies, CheckTransport(d, topts)...)
			}
			continue
		}
		doc.Details[i] = details
		for _, d := range details {
			doc.Anomalies = append(doc.Anomalies, CheckTransport(d, topts)...)
			doc.Anomalies = append(doc.Anomalies, TieToInvoice(d, b, topts)...)
		}
	}
	return nil
}

func (doc *Document) loadDetail(content []byte, codes *TransportCodes, opts LoadOptions) error {
	invs, err := ReadDetail(bytes.NewReader(content), codes)
	if len(invs) == 0 && err != nil {
		return fmt.Errorf("%s: %w", doc.Name, err)
	}
	if err != nil {
		doc.fileError(err)
	}
	doc.Transport = invs
	topts := TransportCheckOptions{File: doc.Name, Tolerance: opts.Tolerance, Codes: codes}
	for _, t := range invs {
		doc.Anomalies = append(doc.Anomalies, CheckTransport(t, topts)...)
	}
	return nil
}

// fileError records a read error that came after some invoices were read.
func (doc *Document) fileError(err error) {
	line := 0
	var pe *ParseError
	if errors.As(err, &pe) {
		line = pe.Line
	}
	doc.Anomalies = append(doc.Anomalies, Anomaly{Code: CodeInvalidValue, Severity: anomaly.Blocking,
		Level: anomaly.FileLevel, File: doc.Name, Line: line, Message: "the rest of the file cannot be read: " + err.Error()})
}

// TransportInvoices returns every transport invoice of the document: the
// attached details of a FatturaPA file, or the invoices of a detail flow.
func (doc *Document) TransportInvoices() []*TransportInvoice {
	out := append([]*TransportInvoice{}, doc.Transport...)
	for _, d := range doc.Details {
		out = append(out, d...)
	}
	return out
}

// Journal returns one journal entry per FatturaPA body (split by group from
// its attached detail when there is exactly one), or per invoice of a
// detail flow.
func (doc *Document) Journal(opts JournalOptions) []JournalEntry {
	var out []JournalEntry
	if doc.Invoice != nil {
		for i := range doc.Invoice.Bodies {
			var detail *TransportInvoice
			if len(doc.Details[i]) == 1 {
				detail = doc.Details[i][0]
			}
			out = append(out, JournalForInvoice(&doc.Invoice.Header, &doc.Invoice.Bodies[i], detail, opts))
		}
	}
	for _, t := range doc.Transport {
		out = append(out, JournalForTransport(t, opts))
	}
	return out
}

// rootName returns the local name of the first element of an XML
// document, or "" when there is none.
func rootName(content []byte) string {
	d := newXMLDecoder(bytes.NewReader(content))
	start, err := nextStart(d, "")
	if err != nil {
		return ""
	}
	return start.Name.Local
}
