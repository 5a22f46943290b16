package edi

import (
	"github.com/shopspring/decimal"
)

// DocumentKind is how an invoice affects the seller's cost: a charge or a
// credit. FatturaPA types most documents TD01, and distributors send some
// corrections as TD01 with negative totals instead of TD04.
type DocumentKind uint8

const (
	// KindInvoice is a charge: TD01, TD02, TD03, TD06 and the others with a
	// non-negative total.
	KindInvoice DocumentKind = iota
	// KindCreditNote is TD04, nota di credito.
	KindCreditNote
	// KindDebitNote is TD05, nota di debito.
	KindDebitNote
	// KindNegativeInvoice is an invoice type other than TD04 whose total is
	// negative: a credit sent as an invoice.
	KindNegativeInvoice
)

// String returns a lower-case English name of the kind.
func (k DocumentKind) String() string {
	switch k {
	case KindCreditNote:
		return "credit note"
	case KindDebitNote:
		return "debit note"
	case KindNegativeInvoice:
		return "negative invoice"
	}
	return "invoice"
}

// IsCredit reports whether the document reduces the amount owed to the
// supplier.
func (k DocumentKind) IsCredit() bool { return k == KindCreditNote || k == KindNegativeInvoice }

// Kind classifies the body by TipoDocumento and by the sign of its total.
func (b *Body) Kind() DocumentKind {
	switch b.Document.Type {
	case "TD04":
		return KindCreditNote
	case "TD05":
		return KindDebitNote
	}
	if b.GrandTotal().IsNegative() {
		return KindNegativeInvoice
	}
	return KindInvoice
}

// TaxableTotal returns the sum of ImponibileImporto over DatiRiepilogo.
func (b *Body) TaxableTotal() decimal.Decimal {
	var sum decimal.Decimal
	for _, s := range b.VATSummary {
		sum = sum.Add(s.Taxable.Value)
	}
	return sum
}

// TaxTotal returns the sum of Imposta over DatiRiepilogo.
func (b *Body) TaxTotal() decimal.Decimal {
	var sum decimal.Decimal
	for _, s := range b.VATSummary {
		sum = sum.Add(s.Tax.Value)
	}
	return sum
}

// GrandTotal returns ImportoTotaleDocumento when present and valid, else the
// taxable total plus the tax total plus Arrotondamento.
func (b *Body) GrandTotal() decimal.Decimal {
	if b.Document.Total.Valid() {
		return b.Document.Total.Value
	}
	return b.TaxableTotal().Add(b.TaxTotal()).Add(b.Document.Rounding.Value)
}

// LinesTotal returns the sum of PrezzoTotale over DettaglioLinee.
func (b *Body) LinesTotal() decimal.Decimal {
	var sum decimal.Decimal
	for _, l := range b.Lines {
		sum = sum.Add(l.TotalPrice.Value)
	}
	return sum
}
