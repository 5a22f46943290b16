package sqlstore

import (
	"context"
	"fmt"

	"github.com/bludispatcher/dispatcher/edi"
	"github.com/bludispatcher/dispatcher/server/store"
)

var _ store.InvoiceStore = (*Store)(nil)

const invoiceSelect = `i.load_id, i.seq, i.doc_index, i.invoice_key, i.commodity, i.sender_vat, i.sender_name,
	i.recipient_vat, i.number, i.issue_date, i.issue_date_text, i.type_code, i.invoice_type, i.entry_code,
	i.period_start, i.period_end, i.taxable, i.vat, i.total, i.point_count, i.line`

func scanInvoice(row Row) (store.Invoice, error) {
	var inv store.Invoice
	var load int64
	var date, start, end string
	err := row.Scan(&load, &inv.Seq, &inv.Index, &inv.Key, &inv.Commodity, &inv.SenderVAT, &inv.SenderName,
		&inv.RecipientVAT, &inv.Number, &date, &inv.DateText, &inv.TypeCode, &inv.Type, &inv.EntryCode,
		&start, &end, &inv.Taxable, &inv.VAT, &inv.Total, &inv.PointCount, &inv.Line)
	if err != nil {
		return inv, err
	}
	inv.Load = store.LoadID(load)
	if inv.Date, err = parseStoredDate(date); err != nil {
		return inv, err
	}
	if inv.PeriodStart, err = parseStoredDate(start); err != nil {
		return inv, err
	}
	inv.PeriodEnd, err = parseStoredDate(end)
	return inv, err
}

// Invoices returns the invoices that match f; see store.InvoiceStore.
func (s *Store) Invoices(ctx context.Context, f store.InvoiceFilter) ([]store.Invoice, int, error) {
	const op = "invoices"
	var w where
	w.add("i.company_id = ?", int64(f.Company))
	if f.SenderVAT != "" {
		w.add("i.sender_vat = ?", f.SenderVAT)
	}
	if f.Load != 0 {
		w.add("i.load_id = ?", int64(f.Load))
	}
	if f.POD != "" {
		w.add(`EXISTS (SELECT 1 FROM edi_points p WHERE p.load_id = i.load_id
			AND p.invoice_seq = i.seq AND p.code = ?)`, f.POD)
	}
	addDateRange(&w, "i.issue_date", f.Dates)

	var total int
	if err := s.read.QueryRow(ctx, s.q("SELECT COUNT(*) FROM edi_invoices i"+w.String()), w.args...).Scan(&total); err != nil {
		return nil, 0, s.wrap(op, err)
	}
	page := f.Page.Normalize()
	rows, err := s.read.Query(ctx, s.q("SELECT "+invoiceSelect+" FROM edi_invoices i"+w.String()+
		" ORDER BY i.issue_date DESC, i.load_id DESC, i.seq LIMIT ? OFFSET ?"), append(w.args, page.Limit, page.Offset)...)
	if err != nil {
		return nil, 0, s.wrap(op, err)
	}
	defer rows.Close()
	var out []store.Invoice
	for rows.Next() {
		inv, err := scanInvoice(rows)
		if err != nil {
			return nil, 0, s.wrap(op, err)
		}
		out = append(out, inv)
	}
	return out, total, s.wrap(op, rows.Err())
}

// InvoicesByKey returns the invoices with an edi.InvoiceKey; see
// store.InvoiceStore.
func (s *Store) InvoicesByKey(ctx context.Context, company store.CompanyID, key string) ([]store.Invoice, error) {
	const op = "invoices by key"
	rows, err := s.read.Query(ctx, s.q("SELECT "+invoiceSelect+
		" FROM edi_invoices i WHERE i.company_id = ? AND i.invoice_key = ? ORDER BY i.load_id, i.seq"),
		int64(company), key)
	if err != nil {
		return nil, s.wrap(op, err)
	}
	defer rows.Close()
	var out []store.Invoice
	for rows.Next() {
		inv, err := scanInvoice(rows)
		if err != nil {
			return nil, s.wrap(op, err)
		}
		out = append(out, inv)
	}
	return out, s.wrap(op, rows.Err())
}

// CycleChargeInvoices returns the cycle invoices that billed a charge key;
// see store.InvoiceStore.
func (s *Store) CycleChargeInvoices(ctx context.Context, company store.CompanyID, key string) ([]string, error) {
	const op = "cycle charge invoices"
	rows, err := s.read.Query(ctx, s.q(`SELECT DISTINCT i.number FROM edi_charges c
		JOIN edi_invoices i ON i.load_id = c.load_id AND i.seq = c.invoice_seq
		WHERE c.company_id = ? AND c.charge_key = ? AND i.invoice_type = ? ORDER BY i.number`),
		int64(company), key, edi.TypeCycle.String())
	if err != nil {
		return nil, s.wrap(op, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var number string
		if err := rows.Scan(&number); err != nil {
			return nil, s.wrap(op, err)
		}
		out = append(out, number)
	}
	return out, s.wrap(op, rows.Err())
}

// Invoice returns one invoice with its points and charges; see
// store.InvoiceStore.
func (s *Store) Invoice(ctx context.Context, company store.CompanyID, ref store.RecordRef) (store.InvoiceDetail, error) {
	const op = "invoice"
	inv, err := scanInvoice(s.read.QueryRow(ctx, s.q("SELECT "+invoiceSelect+
		" FROM edi_invoices i WHERE i.company_id = ? AND i.load_id = ? AND i.seq = ?"),
		int64(company), int64(ref.Load), ref.Seq))
	if err != nil {
		return store.InvoiceDetail{}, s.notFound(op, err)
	}
	d := store.InvoiceDetail{Invoice: inv, Points: []store.InvoicePoint{}}
	if err := s.invoicePoints(ctx, company, ref, &d); err != nil {
		return store.InvoiceDetail{}, s.wrap(op, err)
	}
	if err := s.invoiceCharges(ctx, company, ref, &d); err != nil {
		return store.InvoiceDetail{}, s.wrap(op, err)
	}
	return d, nil
}

func (s *Store) invoicePoints(ctx context.Context, company store.CompanyID, ref store.RecordRef, d *store.InvoiceDetail) error {
	rows, err := s.read.Query(ctx, s.q(`SELECT point_seq, code, line FROM edi_points
		WHERE company_id = ? AND load_id = ? AND invoice_seq = ? ORDER BY point_seq`),
		int64(company), int64(ref.Load), ref.Seq)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		p := store.InvoicePoint{Charges: []store.InvoiceCharge{}}
		if err := rows.Scan(&p.Seq, &p.Code, &p.Line); err != nil {
			return err
		}
		d.Points = append(d.Points, p)
	}
	return rows.Err()
}

func (s *Store) invoiceCharges(ctx context.Context, company store.CompanyID, ref store.RecordRef, d *store.InvoiceDetail) error {
	rows, err := s.read.Query(ctx, s.q(`SELECT point_seq, charge_seq, charge_key, component, unit, bracket,
		period_from, period_to, quantity, unit_price, amount, vat_rate, entry_code, correction_reason, line
		FROM edi_charges WHERE company_id = ? AND load_id = ? AND invoice_seq = ? ORDER BY point_seq, charge_seq`),
		int64(company), int64(ref.Load), ref.Seq)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var point int
		var c store.InvoiceCharge
		if err := rows.Scan(&point, &c.Seq, &c.Key, &c.Component, &c.Unit, &c.Bracket, &c.From, &c.To,
			&c.Quantity, &c.UnitPrice, &c.Amount, &c.VATRate, &c.EntryCode, &c.CorrectionReason, &c.Line); err != nil {
			return err
		}
		if point < 1 || point > len(d.Points) {
			return fmt.Errorf("charge %d of point %d: no such point", c.Seq, point)
		}
		d.Points[point-1].Charges = append(d.Points[point-1].Charges, c)
	}
	return rows.Err()
}
