package sqlstore

import (
	"context"
	"fmt"

	"github.com/bludispatcher/dispatcher/edi"
	"github.com/bludispatcher/dispatcher/internal/anomaly"
	"github.com/bludispatcher/dispatcher/server/store"
)

// The invoice tables join dataTables, so that their buffered rows are
// flushed at commit and deleted when a load ends rejected.
func init() {
	dataTables = append(dataTables, "edi_invoices", "edi_points", "edi_charges")
}

var _ store.InvoiceTx = (*loadTx)(nil)

var invoiceCols = []string{"load_id", "seq", "company_id", "doc_index", "invoice_key", "commodity",
	"sender_vat", "sender_name", "recipient_vat", "number", "issue_date", "issue_date_text", "type_code",
	"invoice_type", "entry_code", "period_start", "period_end", "taxable", "vat", "total", "point_count", "line"}

var invoicePointCols = []string{"load_id", "invoice_seq", "point_seq", "company_id", "code", "line"}

var invoiceChargeCols = []string{"load_id", "invoice_seq", "point_seq", "charge_seq", "company_id",
	"charge_key", "component", "unit", "bracket", "period_from", "period_to", "quantity", "unit_price",
	"amount", "vat_rate", "entry_code", "correction_reason", "line"}

// AddInvoice stores one transport invoice; see store.InvoiceTx.
func (t *loadTx) AddInvoice(ctx context.Context, inv *edi.TransportInvoice, index int, list anomaly.List) (bool, error) {
	if inv == nil {
		return false, fmt.Errorf("store %s: add invoice: %w: nil invoice", t.s.d.Name(), store.ErrInvalid)
	}
	return t.addDomainRow(ctx, "add invoice", list, func(seq int) error {
		row := []any{int64(t.id), seq, int64(t.info.Company), index, edi.InvoiceKey(inv),
			inv.Commodity.String(), inv.Flow.SenderVAT, inv.Flow.SenderName, inv.Flow.RecipientVAT,
			inv.Number, validDate(inv.Date), inv.Date.Text, inv.TypeCode, inv.Type.String(), inv.EntryCode,
			validDate(inv.PeriodStart), validDate(inv.PeriodEnd), inv.Taxable.Text, inv.VAT.Text,
			inv.Total.Text, len(inv.Points), inv.Line}
		if err := t.add(ctx, "edi_invoices", invoiceCols, row); err != nil {
			return err
		}
		for i := range inv.Points {
			if err := t.addInvoicePoint(ctx, inv, seq, i); err != nil {
				return err
			}
		}
		return nil
	})
}

func (t *loadTx) addInvoicePoint(ctx context.Context, inv *edi.TransportInvoice, invoiceSeq, i int) error {
	p := &inv.Points[i]
	row := []any{int64(t.id), invoiceSeq, i + 1, int64(t.info.Company), p.Code, p.Line}
	if err := t.add(ctx, "edi_points", invoicePointCols, row); err != nil {
		return err
	}
	for j := range p.Charges {
		c := &p.Charges[j]
		row := []any{int64(t.id), invoiceSeq, i + 1, j + 1, int64(t.info.Company), edi.ChargeKey(inv, p, c),
			c.Component, c.Unit, c.Bracket, c.From.Text, c.To.Text, c.Quantity.Text, c.UnitPrice.Text,
			c.Amount.Text, c.VATRate.Text, c.EntryCode, c.CorrectionReason, c.Line}
		if err := t.add(ctx, "edi_charges", invoiceChargeCols, row); err != nil {
			return err
		}
	}
	return nil
}

// validDate returns the date as yyyy-mm-dd, or "" when absent or invalid.
func validDate(d edi.Date) string {
	if !d.Valid() {
		return ""
	}
	return dateText(d.Value)
}
