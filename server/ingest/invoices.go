package ingest

import (
	"context"
	"fmt"

	"github.com/bludispatcher/dispatcher/edi"
	"github.com/bludispatcher/dispatcher/internal/anomaly"
	"github.com/bludispatcher/dispatcher/server/store"
)

// KindInvoices is the kind of the distributors' transport invoices.
const KindInvoices = "invoices"

// Flow codes of invoice loads in the load log.
const (
	// FlowCodeFatturaPA is a FatturaPA invoice, plain or signed.
	FlowCodeFatturaPA = "FatturaPA"
	// FlowCodeTransportDetail is an electricity or gas transport detail
	// flow received on its own.
	FlowCodeTransportDetail = "TransportDetail"
)

// InvoiceLoader loads transport invoices: FatturaPA files (.xml, signed
// .p7m) with the per-POD detail found in their attachments or lines, and
// electricity or gas detail flows (.xml). It stores every transport
// invoice of a file with its points and charges. The load log gets the
// anomalies of four checks: the file checks of edi.Load, the recipient
// check, the checks against the company's registry and curves
// (edi.CheckAgainstData), and the duplicate checks against earlier loads.
//
// When the company has a VAT number configured, a file addressed to
// another VAT number is rejected with rule other-company. The recipient
// is the FatturaPA CessionarioCommittente, or the one in a detail flow's
// header. A transport invoice whose detail names another recipient is
// rejected alone. The original is kept in both cases.
//
// An invoice whose edi.InvoiceKey (sender VAT number and invoice number)
// a committed load already stored is a blocking duplicate and is not
// stored again. A charge of a cycle invoice whose edi.ChargeKey another
// stored cycle invoice already billed is a warning.
type InvoiceLoader struct {
	// Store reads the earlier invoices, the registry and the curves.
	Store store.Store
	// Options configure edi.Load.
	Options edi.LoadOptions
	// Check sets the tolerances of the energy check; File, Company,
	// Registry and Metered are filled in for each file.
	Check edi.DataCheckOptions
}

// Kind returns "invoices".
func (l *InvoiceLoader) Kind() string { return KindInvoices }

// Extensions returns .xml, .p7m and .zip; each .xml or .p7m entry of a
// zip loads as one file.
func (l *InvoiceLoader) Extensions() []string { return []string{".xml", ".p7m", ".zip"} }

// WholeFile reports true: edi.Load reads the file as received.
func (l *InvoiceLoader) WholeFile(string) bool { return true }

// Load reads, checks and stores the invoices of one file.
func (l *InvoiceLoader) Load(ctx context.Context, company Company, doc Document, tx store.LoadTx) error {
	dt, err := domainTx(tx)
	if err != nil {
		return err
	}
	it, ok := tx.(store.InvoiceTx)
	if !ok {
		return fmt.Errorf("ingest: the store's load transaction %T cannot store invoices", tx)
	}
	d, err := edi.Load(doc.Name, doc.Body, l.Options)
	if err != nil {
		return tx.AddAnomalies(ctx, anomaly.List{unreadableInvoice(doc, err)})
	}
	dt.SetFlowCode(FlowCodeTransportDetail)
	if d.Invoice != nil {
		dt.SetFlowCode(FlowCodeFatturaPA)
	}
	if err := tx.AddAnomalies(ctx, d.Anomalies); err != nil {
		return err
	}
	if a, ok := otherCompanyFile(company, doc, d); ok {
		// The load is rejected, so checking its invoices against this
		// company's registry and earlier invoices would only add noise.
		return tx.AddAnomalies(ctx, anomaly.List{a})
	}
	if err := tx.AddAnomalies(ctx, bodiesWithoutDetail(doc, d)); err != nil {
		return err
	}

	check := l.Check
	check.File = doc.Name
	check.Company = company.Code
	check.Registry = StoreRegistry{Store: l.Store, Company: company.ID}
	check.Metered = StoreMeteredEnergy{Store: l.Store, Company: company.ID}
	inFile := edi.NewDuplicateFinder()
	for i, inv := range d.TransportInvoices() {
		if err := ctx.Err(); err != nil {
			return err
		}
		if a, ok := otherCompanyInvoice(company, doc.Name, inv); ok {
			// The invoice is rejected, so it skips the other checks.
			if _, err := it.AddInvoice(ctx, inv, i, anomaly.List{a}); err != nil {
				return err
			}
			continue
		}
		dups, err := l.duplicates(ctx, company, doc.Name, inv)
		if err != nil {
			return err
		}
		for _, a := range inFile.Add(inv, doc.Name) {
			// One invoice repeated inside the file: reject that invoice,
			// not the whole file.
			a.Level = anomaly.RecordLevel
			dups = append(dups, a)
		}
		if _, err := it.AddInvoice(ctx, inv, i, dups); err != nil {
			return err
		}
		found, err := edi.CheckAgainstData(ctx, inv, check)
		if err != nil {
			return fmt.Errorf("check invoice %s against the data of company %s: %w", inv.Number, company.Code, err)
		}
		if err := tx.AddAnomalies(ctx, found); err != nil {
			return err
		}
	}
	return nil
}

// duplicates reports an invoice that a committed load already stored and
// the cycle charges that other stored cycle invoices billed.
func (l *InvoiceLoader) duplicates(ctx context.Context, company Company, file string, inv *edi.TransportInvoice) (anomaly.List, error) {
	var out anomaly.List
	earlier, err := l.Store.InvoicesByKey(ctx, company.ID, edi.InvoiceKey(inv))
	if err != nil {
		return nil, err
	}
	if len(earlier) > 0 {
		out = append(out, anomaly.Anomaly{Code: edi.CodeDuplicate, Rule: "duplicate-invoice", Severity: anomaly.Blocking,
			Level: anomaly.RecordLevel, File: file, Line: inv.Line, Key: inv.Number, Field: "FNumeroFattura",
			Value: inv.Number, Message: fmt.Sprintf("invoice %s of %s is already stored from load %d: it is not stored again",
				inv.Number, inv.Flow.SenderVAT, earlier[0].Load)})
		return out, nil
	}
	if inv.Type != edi.TypeCycle {
		return out, nil
	}
	for i := range inv.Points {
		p := &inv.Points[i]
		for j := range p.Charges {
			c := &p.Charges[j]
			numbers, err := l.Store.CycleChargeInvoices(ctx, company.ID, edi.ChargeKey(inv, p, c))
			if err != nil {
				return nil, err
			}
			for _, n := range numbers {
				if n == inv.Number {
					continue
				}
				out = append(out, anomaly.Anomaly{Code: edi.CodeDuplicate, Rule: "duplicate-charge", Severity: anomaly.Warning,
					Level: anomaly.RecordLevel, File: file, Line: c.Line, Key: p.Code, Field: "DComponente", Value: c.Component,
					Message: fmt.Sprintf("%s for %s to %s is already billed by stored cycle invoice %s", c.Component, c.From.Text, c.To.Text, n)})
				break
			}
		}
	}
	return out, nil
}

// unreadableInvoice turns an error of edi.Load into a blocking file-level
// anomaly.
// bodiesWithoutDetail warns about each FatturaPA body that yields no
// transport invoice: it has no detail attachment and no POD in its lines,
// so it is not stored and the invoice list, facsimile and journal omit it.
func bodiesWithoutDetail(doc Document, d *edi.Document) anomaly.List {
	if d.Invoice == nil {
		return nil
	}
	var list anomaly.List
	for i, b := range d.Invoice.Bodies {
		if i < len(d.Details) && len(d.Details[i]) > 0 {
			continue
		}
		list = append(list, anomaly.Anomaly{Code: edi.CodeMissing, Rule: "transport-detail", Severity: anomaly.Warning,
			Level: anomaly.RecordLevel, File: doc.Name, Line: b.Line, Key: b.Document.Number, Field: "DettaglioPOD",
			Message: fmt.Sprintf("invoice %s has no transport detail (no detail attachment and no POD in its lines), "+
				"so it is not stored: the invoice list, facsimile and journal omit it", b.Document.Number)})
	}
	return list
}

func unreadableInvoice(doc Document, err error) anomaly.Anomaly {
	return anomaly.Anomaly{Code: edi.CodeInvalidValue, Rule: RuleUnreadable, Severity: anomaly.Blocking,
		Level: anomaly.FileLevel, File: doc.Name, Message: "the file cannot be read: " + err.Error()}
}
