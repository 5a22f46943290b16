package edi

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/bludispatcher/dispatcher/internal/civil"
)

//go:embed data/chart_of_accounts.json
var chartJSON []byte

// Account is one account of the chart.
type Account struct {
	Account     string `json:"account"`     // account code in the company's ledger
	Description string `json:"description"` // account name, printed on journal lines
}

// Chart is the chart of accounts the journal posts to: the supplier
// payable, VAT per rate, and one cost account per component group.
type Chart struct {
	Source string `json:"source"`
	// Supplier is the payable account of every distributor.
	Supplier Account `json:"supplier"`
	// Suppliers overrides Supplier per distributor VAT number.
	Suppliers map[string]Account `json:"suppliers"`
	// VAT is the input VAT account per rate, in percent ("22", "10").
	VAT []VATAccount `json:"vat"`
	// VATDefault takes rates missing from VAT.
	VATDefault Account `json:"vatDefault"`
	// Groups is the cost account per component group.
	Groups map[ComponentGroup]Account `json:"groups"`
	// Rounding takes the difference between the detail and the invoice.
	Rounding Account `json:"rounding"`
}

// VATAccount is the input VAT account of one rate.
type VATAccount struct {
	Rate string `json:"rate"` // percent, such as "22"
	Account
}

// DefaultChart returns the embedded example chart of accounts.
func DefaultChart() *Chart {
	c, err := LoadChart(strings.NewReader(string(chartJSON)))
	if err != nil {
		panic(fmt.Sprintf("edi: embedded data/chart_of_accounts.json is invalid: %v", err))
	}
	return c
}

// LoadChart reads a chart of accounts in the JSON layout of
// data/chart_of_accounts.json. Every group, the supplier, the default VAT
// and the rounding account must have an account code.
func LoadChart(r io.Reader) (*Chart, error) {
	var c Chart
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("invalid chart of accounts: %w", err)
	}
	required := map[string]Account{"supplier": c.Supplier, "vatDefault": c.VATDefault, "rounding": c.Rounding}
	for _, g := range []ComponentGroup{GroupTransport, GroupDistribution, GroupMetering, GroupSystem, GroupOther} {
		required["groups."+string(g)] = c.Groups[g]
	}
	for name, a := range required {
		if a.Account == "" {
			return nil, fmt.Errorf("invalid chart of accounts: %s has no account code", name)
		}
	}
	for _, v := range c.VAT {
		if _, err := decimal.NewFromString(v.Rate); err != nil {
			return nil, fmt.Errorf("invalid chart of accounts: VAT rate %q is not a number", v.Rate)
		}
	}
	return &c, nil
}

func (c *Chart) supplier(vat string) Account {
	if a, ok := c.Suppliers[vat]; ok {
		return a
	}
	return c.Supplier
}

func (c *Chart) vat(rate decimal.Decimal) Account {
	for _, v := range c.VAT {
		if r, err := decimal.NewFromString(v.Rate); err == nil && r.Equal(rate) {
			return v.Account
		}
	}
	return c.VATDefault
}

// JournalEntry is the double-entry posting of one invoice.
type JournalEntry struct {
	Date         civil.Date // invoice date
	Number       string     // invoice number
	SupplierVAT  string     // distributor VAT number
	SupplierName string     // distributor name
	Kind         DocumentKind
	Lines        []JournalLine
}

// JournalLine is one line of a journal entry. Exactly one of Debit and
// Credit is non-zero.
type JournalLine struct {
	Account     string
	Description string
	Debit       decimal.Decimal
	Credit      decimal.Decimal
}

// Totals returns the sums of the debit and credit columns.
func (e *JournalEntry) Totals() (debit, credit decimal.Decimal) {
	for _, l := range e.Lines {
		debit = debit.Add(l.Debit)
		credit = credit.Add(l.Credit)
	}
	return debit, credit
}

// Balanced reports whether debits equal credits.
func (e *JournalEntry) Balanced() bool {
	d, c := e.Totals()
	return d.Equal(c)
}

// posting accumulates signed amounts per account: positive is a debit.
type posting struct {
	order   []Account
	amounts map[Account]decimal.Decimal
}

func (p *posting) add(a Account, amount decimal.Decimal) {
	if p.amounts == nil {
		p.amounts = map[Account]decimal.Decimal{}
	}
	if _, ok := p.amounts[a]; !ok {
		p.order = append(p.order, a)
	}
	p.amounts[a] = p.amounts[a].Add(amount)
}

func (p *posting) lines() []JournalLine {
	var out []JournalLine
	for _, a := range p.order {
		v := p.amounts[a]
		switch {
		case v.IsPositive():
			out = append(out, JournalLine{Account: a.Account, Description: a.Description, Debit: v})
		case v.IsNegative():
			out = append(out, JournalLine{Account: a.Account, Description: a.Description, Credit: v.Neg()})
		}
	}
	return out
}

// JournalOptions are the settings of the journal builders.
type JournalOptions struct {
	// Chart is the chart of accounts. Nil means DefaultChart.
	Chart *Chart
	// Codes gives the group of each component. Nil means
	// DefaultTransportCodes.
	Codes *TransportCodes
}

func (o JournalOptions) chart() *Chart {
	if o.Chart != nil {
		return o.Chart
	}
	return DefaultChart()
}

func (o JournalOptions) codes() *TransportCodes {
	if o.Codes != nil {
		return o.Codes
	}
	return DefaultTransportCodes()
}

// JournalForInvoice posts a FatturaPA body: costs per component group, VAT
// per rate from DatiRiepilogo, and the supplier payable for the taxable
// amount plus VAT. detail, when not nil, is the transport detail of the
// body and gives the split by group. Otherwise each line's group comes from
// its first CodiceArticolo value, or from the first word of Descrizione.
// Any difference between the split and the DatiRiepilogo taxable amount goes
// to the rounding account, so the entry always balances. A TD04 credit note
// with positive amounts is posted with the sides swapped.
func JournalForInvoice(h *InvoiceHeader, b *Body, detail *TransportInvoice, opts JournalOptions) JournalEntry {
	chart, codes := opts.chart(), opts.codes()
	sign := decimal.NewFromInt(1)
	if b.Kind() == KindCreditNote && !b.TaxableTotal().IsNegative() {
		sign = sign.Neg()
	}

	var p posting
	taxable := b.TaxableTotal().Mul(sign)
	split := decimal.Zero
	if detail != nil {
		for i := range detail.Points {
			for _, c := range detail.Points[i].Charges {
				a := chart.Groups[codes.Group(detail.Commodity, c.Component)]
				p.add(a, c.Amount.Value)
				split = split.Add(c.Amount.Value)
			}
		}
	} else {
		for _, l := range b.Lines {
			a := chart.Groups[codes.Group(Electricity, lineComponent(l))]
			amount := l.TotalPrice.Value.Mul(sign)
			p.add(a, amount)
			split = split.Add(amount)
		}
	}
	p.add(chart.Rounding, taxable.Sub(split))

	tax := decimal.Zero
	for _, s := range b.VATSummary {
		amount := s.Tax.Value.Mul(sign)
		p.add(chart.vat(s.Rate.Value), amount)
		tax = tax.Add(amount)
	}
	p.add(chart.supplier(h.Supplier.VATNumber), taxable.Add(tax).Neg())
	return JournalEntry{Date: b.Document.Date.Value, Number: b.Document.Number, SupplierVAT: h.Supplier.VATNumber,
		SupplierName: h.Supplier.Name(), Kind: b.Kind(), Lines: p.lines()}
}

func lineComponent(l Line) string {
	if len(l.ItemCodes) > 0 && l.ItemCodes[0].Value != "" {
		return l.ItemCodes[0].Value
	}
	if f := strings.Fields(l.Description); len(f) > 0 {
		return f[0]
	}
	return ""
}

// JournalForTransport posts a transport detail flow on its own, for gas
// flows and electricity details that arrive without their FatturaPA
// invoice. Costs come from the charges, VAT from the electricity VAT lines
// or, for gas, from each billed category at the rate of its VAT code,
// rounded to the cent per code. The supplier payable is TotaleImponibile
// plus TotaleIVA as written, and the rounding account takes any
// difference, so the entry always balances.
func JournalForTransport(t *TransportInvoice, opts JournalOptions) JournalEntry {
	chart, codes := opts.chart(), opts.codes()
	var p posting
	for i := range t.Points {
		for _, c := range t.Points[i].Charges {
			p.add(chart.Groups[codes.Group(t.Commodity, c.Component)], c.Amount.Value)
		}
	}
	vat := transportVAT(t)
	rates := make([]string, 0, len(vat))
	for rate := range vat {
		rates = append(rates, rate)
	}
	sort.Strings(rates) // map order would change the line order between runs
	for _, rate := range rates {
		p.add(chart.vat(decimal.RequireFromString(rate)), vat[rate])
	}
	payable := t.Taxable.Value.Add(t.VAT.Value)
	var sum decimal.Decimal
	for _, a := range p.order {
		sum = sum.Add(p.amounts[a])
	}
	p.add(chart.Rounding, payable.Sub(sum))
	p.add(chart.supplier(t.Flow.SenderVAT), payable.Neg())
	kind := KindInvoice
	if payable.IsNegative() {
		kind = KindNegativeInvoice
	}
	return JournalEntry{Date: t.Date.Value, Number: t.Number, SupplierVAT: t.Flow.SenderVAT,
		SupplierName: t.Flow.SenderName, Kind: kind, Lines: p.lines()}
}

// transportVAT returns the VAT per rate of a detail, keyed by the rate
// written as a decimal string.
func transportVAT(t *TransportInvoice) map[string]decimal.Decimal {
	out := map[string]decimal.Decimal{}
	rates := map[string]decimal.Decimal{}
	for _, v := range t.VATLines {
		if v.Tax.Set {
			out[v.Rate.Value.String()] = out[v.Rate.Value.String()].Add(v.Tax.Value)
			continue
		}
		rates[v.Code] = v.Rate.Value
	}
	if len(rates) == 0 {
		return out
	}
	perCode := map[string]decimal.Decimal{}
	for _, it := range t.Items {
		perCode[it.VATCode] = perCode[it.VATCode].Add(it.Taxable.Value)
	}
	for code, taxable := range perCode {
		rate := rates[code]
		out[rate.String()] = out[rate.String()].Add(taxable.Mul(rate).Div(decimal.NewFromInt(100)).Round(2))
	}
	return out
}
