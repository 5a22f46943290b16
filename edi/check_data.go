package edi

import (
	"context"
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/bludispatcher/dispatcher/internal/anomaly"
	"github.com/bludispatcher/dispatcher/internal/civil"
)

// Registry reports whether a POD or PDR was supplied by a company, according
// to the seller's own registry. The server implements it over its store.
type Registry interface {
	// Supplied reports whether point belonged to company for every day from
	// from to to, both included.
	Supplied(ctx context.Context, company, point string, from, to civil.Date) (bool, error)
}

// MeteredEnergy returns the active energy loaded from the metering flows.
// The server implements it over its store.
type MeteredEnergy interface {
	// MeteredEnergy returns the kWh metered for pod from from to to, both
	// included, and false when no metering data covers the period.
	MeteredEnergy(ctx context.Context, company, pod string, from, to civil.Date) (decimal.Decimal, bool, error)
}

// DataCheckOptions are the settings of CheckAgainstData.
type DataCheckOptions struct {
	// File is the file name put in every anomaly.
	File string
	// Company is the seller the invoice was billed to.
	Company string
	// Registry checks the points; nil skips the check.
	Registry Registry
	// Metered gives the metered energy; nil skips the energy check.
	Metered MeteredEnergy
	// EnergyComponent is the electricity component whose quantity is the
	// billed energy of a POD, summed over its brackets. Empty means TRAS,
	// which every withdrawal point pays on all its kWh.
	EnergyComponent string
	// RelativeTolerance is the accepted difference between billed and
	// metered energy as a fraction of the metered energy. Zero means 0.01.
	RelativeTolerance decimal.Decimal
	// AbsoluteTolerance is the accepted difference in kWh. Zero means 1.
	// The larger of the two tolerances applies.
	AbsoluteTolerance decimal.Decimal
}

func (o DataCheckOptions) energyComponent() string {
	if o.EnergyComponent == "" {
		return "TRAS"
	}
	return o.EnergyComponent
}

// CheckAgainstData checks an invoice against the seller's data. Every
// point must be in the registry for the periods billed. On electricity
// cycle invoices, the energy billed for each POD and period must also match
// the metered energy within the tolerance. Corrections are skipped, because
// they bill differences against earlier invoices. Errors of the Registry or
// MeteredEnergy stop the check and are returned.
func CheckAgainstData(ctx context.Context, t *TransportInvoice, opts DataCheckOptions) ([]Anomaly, error) {
	r := &reporter{file: opts.File}
	for i := range t.Points {
		p := &t.Points[i]
		from, to, ok := pointPeriod(p)
		if !ok {
			continue
		}
		if opts.Registry != nil {
			supplied, err := opts.Registry.Supplied(ctx, opts.Company, p.Code, from, to)
			if err != nil {
				return r.list, fmt.Errorf("registry lookup of %s: %w", p.Code, err)
			}
			if !supplied {
				r.add(Anomaly{Code: CodeRegistry, Severity: anomaly.Blocking, Line: p.Line, Key: p.Code,
					Field: invoiceField(t, "DCodicePod", "CodicePDR"), Value: p.Code,
					Message: fmt.Sprintf("not supplied by %s for the whole period %s to %s", opts.Company, from, to)})
			}
		}
		if opts.Metered != nil && t.Commodity == Electricity && t.Type == TypeCycle {
			if err := checkEnergy(ctx, r, t, p, opts); err != nil {
				return r.list, err
			}
		}
	}
	return r.list, nil
}

// pointPeriod returns the first and last day billed for a point.
func pointPeriod(p *Point) (from, to civil.Date, ok bool) {
	for _, c := range p.Charges {
		if !c.From.Valid() || !c.To.Valid() {
			continue
		}
		if !ok || c.From.Value.Before(from) {
			from = c.From.Value
		}
		if !ok || c.To.Value.After(to) {
			to = c.To.Value
		}
		ok = true
	}
	return from, to, ok
}

type period struct{ from, to civil.Date }

func checkEnergy(ctx context.Context, r *reporter, t *TransportInvoice, p *Point, opts DataCheckOptions) error {
	billed := map[period]decimal.Decimal{}
	var order []period
	for _, c := range p.Charges {
		if c.Component != opts.energyComponent() || !c.From.Valid() || !c.To.Valid() {
			continue
		}
		k := period{c.From.Value, c.To.Value}
		if _, seen := billed[k]; !seen {
			order = append(order, k)
		}
		billed[k] = billed[k].Add(c.Quantity.Value)
	}
	for _, k := range order {
		metered, found, err := opts.Metered.MeteredEnergy(ctx, opts.Company, p.Code, k.from, k.to)
		if err != nil {
			return fmt.Errorf("metered energy of %s: %w", p.Code, err)
		}
		if !found {
			r.add(Anomaly{Code: CodeEnergy, Severity: anomaly.Warning, Line: p.Line, Key: p.Code, Field: "DQuantita",
				Value: billed[k].String(), Message: fmt.Sprintf("no metering data loaded for %s to %s", k.from, k.to)})
			continue
		}
		if diff := billed[k].Sub(metered).Abs(); diff.GreaterThan(energyTolerance(metered, opts)) {
			r.add(Anomaly{Code: CodeEnergy, Severity: anomaly.Warning, Line: p.Line, Key: p.Code, Field: "DQuantita",
				Value: billed[k].String(), Message: fmt.Sprintf("billed %s kWh for %s to %s but %s kWh were metered",
					billed[k].String(), k.from, k.to, metered.String())})
		}
	}
	return nil
}

func energyTolerance(metered decimal.Decimal, opts DataCheckOptions) decimal.Decimal {
	rel, abs := opts.RelativeTolerance, opts.AbsoluteTolerance
	if rel.IsZero() {
		rel = decimal.New(1, -2)
	}
	if abs.IsZero() {
		abs = decimal.NewFromInt(1)
	}
	return decimal.Max(abs, metered.Abs().Mul(rel))
}

// DuplicateFinder finds invoices and charges billed twice across the
// invoices given to Add, in any order. It keeps one small key per charge,
// so memory grows with the number of charges seen.
type DuplicateFinder struct {
	invoices map[string]string // sender|number → where first seen
	charges  map[string]string // sender|point|component|bracket|from|to → invoice
}

// InvoiceKey returns the identity of an invoice for duplicate detection:
// the sender's VAT number and the invoice number. A store that keeps
// invoices across loads can index this key.
func InvoiceKey(t *TransportInvoice) string { return t.Flow.SenderVAT + "|" + t.Number }

// ChargeKey returns the identity of a charge for duplicate detection: the
// sender, the point, the component, the bracket and the period as written.
func ChargeKey(t *TransportInvoice, p *Point, c *Charge) string {
	return fmt.Sprintf("%s|%s|%s|%s|%s|%s", t.Flow.SenderVAT, p.Code, c.Component, c.Bracket, c.From.Text, c.To.Text)
}

// NewDuplicateFinder returns an empty finder.
func NewDuplicateFinder() *DuplicateFinder {
	return &DuplicateFinder{invoices: map[string]string{}, charges: map[string]string{}}
}

// Add records the invoice and reports an invoice number already seen from
// the same sender, and cycle-invoice charges of the same point, component,
// bracket and period already billed by another cycle invoice. Corrections
// and further services are expected to bill periods again, so only their
// invoice number is checked.
func (d *DuplicateFinder) Add(t *TransportInvoice, file string) []Anomaly {
	r := &reporter{file: file}
	invKey := InvoiceKey(t)
	if first, ok := d.invoices[invKey]; ok {
		r.add(Anomaly{Code: CodeDuplicate, Severity: anomaly.Blocking, Level: anomaly.FileLevel, Line: t.Line,
			Key: t.Number, Field: invoiceField(t, "FNumeroFattura", "Numero"), Value: t.Number,
			Message: "invoice already received in " + first})
		return r.list
	}
	d.invoices[invKey] = file
	if t.Type != TypeCycle {
		return r.list
	}
	for i := range t.Points {
		p := &t.Points[i]
		for _, c := range p.Charges {
			k := ChargeKey(t, p, &c)
			if other, ok := d.charges[k]; ok && other != t.Number {
				r.add(Anomaly{Code: CodeDuplicate, Severity: anomaly.Warning, Line: c.Line, Key: p.Code,
					Field: invoiceField(t, "DComponente", "ComponenteTariffaria"), Value: c.Component,
					Message: fmt.Sprintf("%s for %s to %s already billed by invoice %s", c.Component, c.From.Text, c.To.Text, other)})
				continue
			}
			d.charges[k] = t.Number
		}
	}
	return r.list
}
