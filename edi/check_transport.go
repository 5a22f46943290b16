package edi

import (
	"bytes"
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/bludispatcher/dispatcher/internal/anomaly"
)

// TransportCheckOptions are the settings of CheckTransport and
// TieToInvoice.
type TransportCheckOptions struct {
	// File is the file name put in every anomaly.
	File string
	// Tolerance is the largest difference in euro accepted between a total
	// and the sum of its parts. Zero means 0.01.
	Tolerance decimal.Decimal
	// Codes is the code table. Nil means DefaultTransportCodes.
	Codes *TransportCodes
}

func (o TransportCheckOptions) tolerance() decimal.Decimal {
	if o.Tolerance.IsZero() {
		return decimal.New(1, -2)
	}
	return o.Tolerance
}

// CheckTransport checks one transport invoice on its own. Numbers must use
// a decimal comma and dates must parse. The invoice needs a number, a date
// and a known type letter, and every point a code and charges with a
// component and an amount. The charges must add up to the taxable total,
// the VAT lines to the VAT total, and the taxable total plus VAT to the
// invoice total.
func CheckTransport(t *TransportInvoice, opts TransportCheckOptions) []Anomaly {
	r := &reporter{file: opts.File, dotDecimals: t.FromLines}
	tol := opts.tolerance()
	key := t.Number
	if t.Number == "" {
		r.missing(t.Line, key, invoiceField(t, "FNumeroFattura", "Numero"), "the invoice number")
	}
	if !t.Date.Set {
		r.missing(t.Line, key, invoiceField(t, "FDataEmissione", "DataEmissione"), "the issue date")
	}
	if t.Type == TypeUnknown {
		r.add(Anomaly{Code: CodeUnknownCode, Severity: anomaly.Warning, Line: t.Line, Key: key,
			Field: invoiceField(t, "FTipoFattura", "TipoFlusso"), Value: t.TypeCode,
			Message: "unknown invoice type letter: add it to the transport code table"})
	}

	for _, d := range []struct {
		field string
		value Date
	}{{"DataEmissione", t.Date}, {"DataScadenza", t.DueDate}, {"PeriodoDa", t.PeriodStart}, {"PeriodoA", t.PeriodEnd}} {
		r.date(key, d.field, d.value)
	}
	for _, n := range []struct {
		field string
		value Number
	}{{"TotaleImponibile", t.Taxable}, {"TotaleIVA", t.VAT}, {"Totale", t.Total}, {"ImportoBollo", t.Stamp}} {
		r.number(key, n.field, n.value, r.commaDecimals())
	}
	for _, it := range t.Items {
		r.number(key, "Imponibile", it.Taxable, r.commaDecimals())
	}
	for _, v := range t.VATLines {
		r.number(key, "AliquotaIVA", v.Rate, r.commaDecimals())
		r.number(key, "Imponibile", v.Taxable, r.commaDecimals())
		r.number(key, "Imposta", v.Tax, r.commaDecimals())
	}

	for i := range t.Points {
		checkPoint(r, t, &t.Points[i])
	}
	checkTransportTotals(r, t, tol)
	return r.list
}

func invoiceField(t *TransportInvoice, electricity, gas string) string {
	if t.Commodity == Gas {
		return gas
	}
	return electricity
}

func checkPoint(r *reporter, t *TransportInvoice, p *Point) {
	if p.Code == "" {
		r.missing(p.Line, t.Number, invoiceField(t, "DCodicePod", "CodicePDR"), "the point code")
	}
	if len(p.Charges) == 0 {
		r.missing(p.Line, p.Code, invoiceField(t, "Corrispettivi", "Importi"), "the charges of the point")
	}
	if e := p.Electricity; e != nil {
		r.number(p.Code, "DDTTensione", e.Voltage, true)
		r.number(p.Code, "DDTPotenzaImpegnata", e.CommittedPower, true)
		r.number(p.Code, "DDTPotenzaDisponibile", e.AvailablePower, true)
	}
	if g := p.Gas; g != nil {
		r.number(p.Code, "CoefficienteC", g.CoefficientC, true)
		r.number(p.Code, "ProgrAnnoSolare", g.AnnualQuantity, true)
	}
	for i := range p.Charges {
		c := &p.Charges[i]
		if c.Component == "" {
			r.missing(c.Line, p.Code, invoiceField(t, "DComponente", "ComponenteTariffaria"), "the component")
		}
		if !c.Amount.Set {
			r.missing(c.Line, p.Code, invoiceField(t, "DImporto", "Imponibile"), "the amount of "+c.Component)
		}
		r.number(p.Code, "Quantita", c.Quantity, r.commaDecimals())
		r.number(p.Code, "PrezzoUnitario", c.UnitPrice, r.commaDecimals())
		r.number(p.Code, "Importo", c.Amount, r.commaDecimals())
		r.number(p.Code, "AliquotaIVA", c.VATRate, r.commaDecimals())
		r.date(p.Code, "PeriodoDa", c.From)
		r.date(p.Code, "PeriodoA", c.To)
		if c.From.Valid() && c.To.Valid() && c.To.Value.Before(c.From.Value) {
			r.add(Anomaly{Code: CodeInvalidValue, Severity: anomaly.Blocking, Line: c.Line, Key: p.Code,
				Field: "PeriodoA", Value: c.To.Text, Message: "the period ends before it starts on " + c.From.Text})
		}
	}
}

func checkTransportTotals(r *reporter, t *TransportInvoice, tol decimal.Decimal) {
	key := t.Number
	if t.Taxable.Valid() && len(t.Points) > 0 {
		if sum := t.DetailTotal(); sum.Sub(t.Taxable.Value).Abs().GreaterThan(tol) {
			r.add(Anomaly{Code: CodeTotals, Severity: anomaly.Warning, Line: t.Taxable.Line, Key: key,
				Field: "TotaleImponibile", Value: t.Taxable.Text,
				Message: fmt.Sprintf("the charges of the points add up to %s", sum.StringFixed(2))})
		}
	}
	if t.Taxable.Valid() && len(t.Items) > 0 {
		var sum decimal.Decimal
		for _, it := range t.Items {
			sum = sum.Add(it.Taxable.Value)
		}
		if sum.Sub(t.Taxable.Value).Abs().GreaterThan(tol) {
			r.add(Anomaly{Code: CodeTotals, Severity: anomaly.Warning, Line: t.Taxable.Line, Key: key,
				Field: "TotaleImponibile", Value: t.Taxable.Text,
				Message: fmt.Sprintf("the billed categories add up to %s", sum.StringFixed(2))})
		}
	}
	if t.VAT.Valid() && len(t.VATLines) > 0 && t.VATLines[0].Tax.Set {
		var sum decimal.Decimal
		for _, v := range t.VATLines {
			sum = sum.Add(v.Tax.Value)
		}
		if sum.Sub(t.VAT.Value).Abs().GreaterThan(tol) {
			r.add(Anomaly{Code: CodeVAT, Severity: anomaly.Warning, Line: t.VAT.Line, Key: key, Field: "TotaleIVA",
				Value: t.VAT.Text, Message: fmt.Sprintf("the VAT lines add up to %s", sum.StringFixed(2))})
		}
	}
	if t.Taxable.Valid() && t.VAT.Valid() && t.Total.Valid() {
		sum := t.Taxable.Value.Add(t.VAT.Value)
		if sum.Sub(t.Total.Value).Abs().GreaterThan(tol) && sum.Add(t.Stamp.Value).Sub(t.Total.Value).Abs().GreaterThan(tol) {
			r.add(Anomaly{Code: CodeTotals, Severity: anomaly.Warning, Line: t.Total.Line, Key: key, Field: "Totale",
				Value: t.Total.Text, Message: fmt.Sprintf("taxable amount plus VAT is %s", sum.StringFixed(2))})
		}
	}
}

// TieToInvoice checks that a transport detail matches the FatturaPA body
// that bills it: same number, same taxable total, and for each VAT rate the
// same taxable amount in the detail and in DatiRiepilogo. A TD04 credit note
// written with positive amounts ties to a detail with negative ones.
func TieToInvoice(t *TransportInvoice, b *Body, opts TransportCheckOptions) []Anomaly {
	r := &reporter{file: opts.File}
	tol := opts.tolerance()
	key := t.Number
	if t.Number != b.Document.Number {
		r.add(Anomaly{Code: CodeTie, Severity: anomaly.Blocking, Line: t.Line, Key: key, Field: "Numero",
			Value: b.Document.Number, Message: fmt.Sprintf("the detail bills invoice %q, not %q", t.Number, b.Document.Number)})
	}

	sign := decimal.NewFromInt(1)
	if b.Kind() == KindCreditNote && !b.TaxableTotal().IsNegative() {
		sign = sign.Neg()
	}
	invoiceTaxable := b.TaxableTotal().Mul(sign)
	if detail := t.DetailTotal(); detail.Sub(invoiceTaxable).Abs().GreaterThan(tol) {
		r.add(Anomaly{Code: CodeTie, Severity: anomaly.Blocking, Line: t.Line, Key: key, Field: "ImponibileImporto",
			Value: invoiceTaxable.StringFixed(2),
			Message: fmt.Sprintf("the detail charges add up to %s but the FatturaPA taxable amount is %s",
				detail.StringFixed(2), invoiceTaxable.StringFixed(2))})
	}

	detailByRate, ok := detailTaxableByRate(t)
	if !ok {
		return r.list
	}
	invoiceByRate := map[string]decimal.Decimal{}
	for _, s := range b.VATSummary {
		k := s.Rate.Value.StringFixed(2)
		invoiceByRate[k] = invoiceByRate[k].Add(s.Taxable.Value.Mul(sign))
	}
	for _, rate := range unionKeys(detailByRate, invoiceByRate) {
		d, i := detailByRate[rate], invoiceByRate[rate]
		if d.Sub(i).Abs().GreaterThan(tol) {
			r.add(Anomaly{Code: CodeTie, Severity: anomaly.Blocking, Line: t.Line, Key: key, Field: "DatiRiepilogo",
				Value: rate, Message: fmt.Sprintf("at %s%% VAT the detail bills %s and DatiRiepilogo %s",
					rate, d.StringFixed(2), i.StringFixed(2))})
		}
	}
	return r.list
}

// detailTaxableByRate groups the charges by their VAT rate, or uses the VAT
// lines of the detail when charges carry no rate. It reports false when
// neither gives rates.
func detailTaxableByRate(t *TransportInvoice) (map[string]decimal.Decimal, bool) {
	out := map[string]decimal.Decimal{}
	complete := true
	for i := range t.Points {
		for _, c := range t.Points[i].Charges {
			if !c.VATRate.Valid() {
				complete = false
				continue
			}
			k := c.VATRate.Value.StringFixed(2)
			out[k] = out[k].Add(c.Amount.Value)
		}
	}
	if complete && len(out) > 0 {
		return out, true
	}
	out = map[string]decimal.Decimal{}
	for _, v := range t.VATLines {
		if !v.Taxable.Valid() {
			return nil, false
		}
		k := v.Rate.Value.StringFixed(2)
		out[k] = out[k].Add(v.Taxable.Value)
	}
	return out, len(out) > 0
}

func unionKeys(a, b map[string]decimal.Decimal) []string {
	var out []string
	for k := range a {
		out = append(out, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			out = append(out, k)
		}
	}
	sortStrings(out)
	return out
}

// DetailsFromInvoice reads the transport details attached to a FatturaPA
// body: every attachment that is, once decoded and unzipped, an electricity
// or gas detail flow. Attachments that cannot be decoded are reported;
// other attachments (PDF copies, CSV) are skipped.
func DetailsFromInvoice(b *Body, codes *TransportCodes, file string) ([]*TransportInvoice, []Anomaly) {
	var out []*TransportInvoice
	r := &reporter{file: file}
	for i := range b.Attachments {
		a := &b.Attachments[i]
		content, err := a.Content()
		if err != nil {
			r.add(Anomaly{Code: CodeAttachment, Severity: anomaly.Warning, Line: b.Line, Key: b.Document.Number,
				Field: "Allegati", Value: a.Name, Message: err.Error()})
			continue
		}
		invs, err := ReadDetail(bytes.NewReader(content), codes)
		if err != nil {
			if isNotDetail(err) {
				continue
			}
			r.add(Anomaly{Code: CodeAttachment, Severity: anomaly.Warning, Line: b.Line, Key: b.Document.Number,
				Field: "Allegati", Value: a.Name, Message: "invalid transport detail: " + err.Error()})
		}
		out = append(out, invs...)
	}
	return out, r.list
}
