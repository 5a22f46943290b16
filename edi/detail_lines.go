package edi

import "strings"

// pointDataTypes are the TipoDato values of AltriDatiGestionali that name
// the POD or PDR a FatturaPA line bills.
var pointDataTypes = []string{"POD", "PDR", "CODICEPOD", "CODICEPDR"}

// DetailFromLines builds a transport detail from the lines of a FatturaPA
// body, for distributors that put the per-POD detail in the invoice itself
// rather than in an attachment. A line belongs to a point when one of its
// AltriDatiGestionali has TipoDato POD or PDR and the code in
// RiferimentoTesto. The component is the first CodiceArticolo value, or
// the first word of Descrizione, and the period is
// DataInizioPeriodo–DataFinePeriodo. Lines without a point are left out.
// It reports false when no line names a point.
//
// NOTE: which AltriDatiGestionali type distributors use for the POD is not
// published; the values above are an assumption to confirm on real files.
func DetailFromLines(h *InvoiceHeader, b *Body) (*TransportInvoice, bool) {
	t := &TransportInvoice{
		Commodity: Electricity, FromLines: true, Line: b.Line,
		Flow:   FlowHeader{SenderName: h.Supplier.Name(), SenderVAT: h.Supplier.VATNumber, RecipientName: h.Customer.Name(), RecipientVAT: h.Customer.VATNumber},
		Number: b.Document.Number, Date: b.Document.Date, TypeCode: b.Document.Type, Type: linesInvoiceType(b),
		Taxable: NumberOf(b.TaxableTotal().StringFixed(2)), VAT: NumberOf(b.TaxTotal().StringFixed(2)),
		Total: NumberOf(b.GrandTotal().StringFixed(2)),
	}
	if b.Kind().IsCredit() {
		t.Entry = Credit
	}
	for _, s := range b.VATSummary {
		t.VATLines = append(t.VATLines, VATLine{Rate: s.Rate, Nature: s.Nature, Taxable: s.Taxable, Tax: s.Tax})
	}
	index := map[string]int{}
	for _, l := range b.Lines {
		code, commodity := linePoint(l)
		if code == "" {
			continue
		}
		if commodity == Gas {
			t.Commodity = Gas
		}
		i, ok := index[code]
		if !ok {
			i = len(t.Points)
			index[code] = i
			t.Points = append(t.Points, Point{Line: l.TotalPrice.Line, Code: code, Electricity: &ElectricityPoint{}})
		}
		t.Points[i].Charges = append(t.Points[i].Charges, Charge{
			Line: l.TotalPrice.Line, Component: lineComponent(l), Unit: l.Unit, From: l.PeriodStart, To: l.PeriodEnd,
			Quantity: l.Quantity, UnitPrice: l.UnitPrice, Amount: l.TotalPrice, VATRate: l.VATRate,
		})
	}
	if t.Commodity == Gas {
		for i := range t.Points {
			t.Points[i].Electricity, t.Points[i].Gas = nil, &GasPoint{}
		}
	}
	return t, len(t.Points) > 0
}

func linePoint(l Line) (string, Commodity) {
	for _, o := range l.OtherData {
		kind := strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(o.Type), " ", ""))
		if contains(pointDataTypes, kind) && strings.TrimSpace(o.Text) != "" {
			if strings.HasSuffix(kind, "PDR") {
				return strings.TrimSpace(o.Text), Gas
			}
			return strings.TrimSpace(o.Text), Electricity
		}
	}
	return "", Electricity
}

// linesInvoiceType infers the transport invoice type of a FatturaPA body:
// a correction when it is a credit or debit note, is negative, or refers to
// earlier invoices, else a cycle invoice.
func linesInvoiceType(b *Body) InvoiceType {
	if b.Kind() != KindInvoice || len(b.LinkedInvoices) > 0 {
		return TypeCorrection
	}
	return TypeCycle
}
