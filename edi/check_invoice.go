package edi

import (
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/bludispatcher/dispatcher/internal/anomaly"
)

// CheckOptions are the settings of CheckInvoice.
type CheckOptions struct {
	// File is the file name put in every anomaly.
	File string
	// Tolerance is the largest difference in euro accepted between a total
	// and the sum of its parts. Zero means 0.01.
	Tolerance decimal.Decimal
	// Codes are the FatturaPA code lists. Nil means DefaultFatturaPACodes.
	Codes *FatturaPACodes
}

func (o CheckOptions) tolerance() decimal.Decimal {
	if o.Tolerance.IsZero() {
		return decimal.New(1, -2)
	}
	return o.Tolerance
}

func (o CheckOptions) codes() FatturaPACodes {
	if o.Codes != nil {
		return *o.Codes
	}
	return DefaultFatturaPACodes()
}

// reporter collects anomalies of one file.
type reporter struct {
	file string
	list anomaly.List
	// dotDecimals is set for transport details built from FatturaPA lines.
	dotDecimals bool
}

// commaDecimals reports whether the transport detail being checked should
// use a decimal comma.
func (r *reporter) commaDecimals() bool { return !r.dotDecimals }

func (r *reporter) add(a Anomaly) {
	a.File = r.file
	r.list = append(r.list, a)
}

// number reports an invalid number (blocking) or a decimal separator that
// is not the format's (warning).
func (r *reporter) number(key, field string, n Number, comma bool) {
	switch {
	case !n.Set:
	case n.Err != nil:
		r.add(Anomaly{Code: CodeInvalidValue, Severity: anomaly.Blocking, Line: n.Line, Key: key, Field: field,
			Value: n.Text, Message: "invalid number: " + n.Err.Error()})
	case n.Comma != comma && (n.Comma || hasSeparator(n.Text)):
		want := "a decimal dot"
		if comma {
			want = "a decimal comma"
		}
		r.add(Anomaly{Code: CodeSeparator, Severity: anomaly.Warning, Line: n.Line, Key: key, Field: field,
			Value: n.Text, Message: "the format requires " + want})
	}
}

func hasSeparator(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == '.' || s[i] == ',' {
			return true
		}
	}
	return false
}

func (r *reporter) date(key, field string, d Date) {
	if d.Set && d.Err != nil {
		r.add(Anomaly{Code: CodeInvalidValue, Severity: anomaly.Blocking, Line: d.Line, Key: key, Field: field,
			Value: d.Text, Message: "invalid date: " + d.Err.Error()})
	}
}

func (r *reporter) missing(line int, key, field, what string) {
	r.add(Anomaly{Code: CodeMissing, Severity: anomaly.Blocking, Line: line, Key: key, Field: field,
		Message: what + " is missing"})
}

// CheckInvoice checks the values and totals of every body. Numbers and
// dates must parse, and TipoDocumento and Natura must be in their code
// lists. The lines of each VAT rate must add up to the taxable amount of
// DatiRiepilogo, and the tax must be the rate applied to that amount.
// ImportoTotaleDocumento must be the taxable amount plus tax, net of
// document-level discounts and surcharges, with or without the stamp duty.
func CheckInvoice(inv *Invoice, opts CheckOptions) []Anomaly {
	r := &reporter{file: opts.File}
	codes := opts.codes()
	if inv.Version != "" && !contains(codes.Versions, inv.Version) {
		r.add(Anomaly{Code: CodeUnknownCode, Severity: anomaly.Warning, Level: anomaly.FileLevel, Line: 1,
			Field: "versione", Value: inv.Version, Message: "unknown FatturaPA version"})
	}
	for i := range inv.Bodies {
		checkBody(r, &inv.Bodies[i], codes, opts.tolerance())
	}
	return r.list
}

func checkBody(r *reporter, b *Body, codes FatturaPACodes, tol decimal.Decimal) {
	key := b.Document.Number
	doc := &b.Document
	if key == "" {
		r.missing(b.Line, key, "Numero", "the invoice number")
	}
	if !doc.Date.Set {
		r.missing(b.Line, key, "Data", "the invoice date")
	}
	if _, ok := codes.DocumentTypes[doc.Type]; !ok {
		r.add(Anomaly{Code: CodeUnknownCode, Severity: anomaly.Blocking, Line: b.Line, Key: key, Field: "TipoDocumento",
			Value: doc.Type, Message: "unknown document type"})
	}
	checkBodyValues(r, b)
	checkVATSummary(r, b, codes, tol)
	checkDocumentTotal(r, b, tol)
}

func checkBodyValues(r *reporter, b *Body) {
	key := b.Document.Number
	doc := &b.Document
	r.date(key, "Data", doc.Date)
	r.number(key, "ImportoTotaleDocumento", doc.Total, false)
	r.number(key, "Arrotondamento", doc.Rounding, false)
	r.number(key, "ImportoBollo", doc.Stamp, false)
	for _, d := range doc.Discounts {
		r.number(key, "ScontoMaggiorazione/Importo", d.Amount, false)
		r.number(key, "ScontoMaggiorazione/Percentuale", d.Percent, false)
	}
	for _, l := range b.Lines {
		r.number(key, "Quantita", l.Quantity, false)
		r.number(key, "PrezzoUnitario", l.UnitPrice, false)
		r.number(key, "PrezzoTotale", l.TotalPrice, false)
		r.number(key, "AliquotaIVA", l.VATRate, false)
		r.date(key, "DataInizioPeriodo", l.PeriodStart)
		r.date(key, "DataFinePeriodo", l.PeriodEnd)
		if !l.TotalPrice.Set {
			r.missing(b.Line, key, "PrezzoTotale", "the amount of line "+l.Number)
		}
	}
	for _, s := range b.VATSummary {
		r.number(key, "AliquotaIVA", s.Rate, false)
		r.number(key, "ImponibileImporto", s.Taxable, false)
		r.number(key, "Imposta", s.Tax, false)
		r.number(key, "Arrotondamento", s.Rounding, false)
		r.number(key, "SpeseAccessorie", s.Ancillary, false)
	}
	for _, p := range b.Payments {
		for _, d := range p.Details {
			r.number(key, "ImportoPagamento", d.Amount, false)
			r.date(key, "DataScadenzaPagamento", d.DueDate)
		}
	}
}

// vatKey identifies a DatiRiepilogo entry: the rate, and the nature for 0%.
func vatKey(rate decimal.Decimal, nature string) string {
	return rate.StringFixed(2) + "|" + nature
}

func checkVATSummary(r *reporter, b *Body, codes FatturaPACodes, tol decimal.Decimal) {
	key := b.Document.Number
	lines := map[string]decimal.Decimal{}
	for _, l := range b.Lines {
		k := vatKey(l.VATRate.Value, l.Nature)
		lines[k] = lines[k].Add(l.TotalPrice.Value)
	}
	for _, s := range b.VATSummary {
		if s.Nature != "" && !contains(codes.Natures, s.Nature) {
			r.add(Anomaly{Code: CodeUnknownCode, Severity: anomaly.Warning, Line: s.Taxable.Line, Key: key,
				Field: "Natura", Value: s.Nature, Message: "unknown VAT nature"})
		}
		if s.Rate.Value.IsZero() && s.Nature == "" {
			r.add(Anomaly{Code: CodeVAT, Severity: anomaly.Warning, Line: s.Taxable.Line, Key: key, Field: "Natura",
				Message: "a 0% VAT summary needs a Natura code"})
		}
		k := vatKey(s.Rate.Value, s.Nature)
		sum, ok := lines[k]
		if len(b.Lines) > 0 && (ok || !s.Taxable.Value.IsZero()) {
			want := sum.Add(s.Rounding.Value).Add(s.Ancillary.Value)
			if s.Taxable.Value.Sub(want).Abs().GreaterThan(tol) {
				r.add(Anomaly{Code: CodeVAT, Severity: anomaly.Warning, Line: s.Taxable.Line, Key: key,
					Field: "ImponibileImporto", Value: s.Taxable.Text,
					Message: fmt.Sprintf("the lines at %s%% add up to %s", s.Rate.Value.StringFixed(2), want.StringFixed(2))})
			}
		}
		tax := s.Taxable.Value.Mul(s.Rate.Value).Div(decimal.NewFromInt(100)).Round(2)
		if s.Tax.Value.Sub(tax).Abs().GreaterThan(tol) {
			r.add(Anomaly{Code: CodeVAT, Severity: anomaly.Warning, Line: s.Tax.Line, Key: key, Field: "Imposta",
				Value: s.Tax.Text, Message: fmt.Sprintf("%s%% of %s is %s", s.Rate.Value.StringFixed(2),
					s.Taxable.Value.StringFixed(2), tax.StringFixed(2))})
		}
	}
}

func checkDocumentTotal(r *reporter, b *Body, tol decimal.Decimal) {
	doc := &b.Document
	if !doc.Total.Valid() || len(b.VATSummary) == 0 {
		return
	}
	base := b.TaxableTotal().Add(b.TaxTotal()).Add(doc.Rounding.Value)
	for _, d := range doc.Discounts {
		switch d.Type {
		case "SC":
			base = base.Sub(d.Amount.Value)
		case "MG":
			base = base.Add(d.Amount.Value)
		}
	}
	for _, candidate := range []decimal.Decimal{base, base.Add(doc.Stamp.Value)} {
		if doc.Total.Value.Sub(candidate).Abs().LessThanOrEqual(tol) {
			return
		}
	}
	r.add(Anomaly{Code: CodeTotals, Severity: anomaly.Warning, Line: doc.Total.Line, Key: doc.Number,
		Field: "ImportoTotaleDocumento", Value: doc.Total.Text,
		Message: fmt.Sprintf("taxable amount plus VAT is %s", base.StringFixed(2))})
}
