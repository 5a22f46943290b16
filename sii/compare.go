package sii

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/bludispatcher/dispatcher/internal/civil"
)

// BillingPoint is one point of delivery as the seller's billing registry
// holds it.
type BillingPoint struct {
	POD             string              // COD_POD
	DistributorVAT  string              // PIVA_DISTR
	UdDVAT          string              // PIVA_UDD: dispatching user
	CounterpartyVAT string              // PIVA_CC: commercial counterparty
	SupplyStart     civil.Date          // DATA_INIZIO_FORNITURA
	SupplyEnd       civil.Date          // DATA_FINE_FORNITURA; zero when open-ended
	Treatment       string              // TRATTAMENTO
	Voltage         string              // TENSIONE
	CommittedPower  decimal.NullDecimal // POTCONTRIMP, kW
	MeterType       string              // TIPO_MISURATORE
}

// BillingRegistry is any source of the billing registry: the server's
// store, a file export, a vendor's API.
type BillingRegistry interface {
	// BillingPoints returns the points that billing holds as supplied on at
	// least one day of month.
	BillingPoints(ctx context.Context, month civil.Month) ([]BillingPoint, error)
}

// FieldDifference is one field on which the SII and billing disagree for a
// point present in both.
type FieldDifference struct {
	POD     string // PODKey of the point
	Field   string // RCU column name, such as "PIVA_UDD"
	SII     string // value in the RCU extract, normalised
	Billing string // value in the billing registry, normalised
}

// DistributorComparison is the comparison of one distributor's points.
// Points in both sources count under the distributor the SII gives; a
// different distributor in billing shows as a PIVA_DISTR difference.
type DistributorComparison struct {
	DistributorVAT  string // PIVA_DISTR
	DistributorName string // RAGIONE_SOCIALE_DISTR, from the extract when known
	SIICount        int    // points of the distributor in the extract
	BillingCount    int    // points of the distributor in billing
	OnlyInSII       []*RCURecord
	OnlyInBilling   []BillingPoint
	Differences     []FieldDifference
}

// Comparison is the result of Compare for one month.
type Comparison struct {
	Month        civil.Month
	Distributors []DistributorComparison // sorted by DistributorVAT
	// CRPP are the points of the extract that carry CRPP coefficients, in
	// extract order, for procurement.
	CRPP []*RCURecord
}

// Compare matches the RCU records supplied in month with the points of
// the billing registry, by PODKey. A record counts as supplied in month
// when its supply starts before the month ends (or has no start) and ends
// after the month starts (or has no end). The same rule filters billing
// points. When a POD appears twice on one side, the first one is used.
func Compare(ctx context.Context, month civil.Month, records []*RCURecord, registry BillingRegistry) (*Comparison, error) {
	points, err := registry.BillingPoints(ctx, month)
	if err != nil {
		return nil, fmt.Errorf("sii: read billing registry for %s: %w", month, err)
	}
	cmp := &Comparison{Month: month}
	groups := map[string]*DistributorComparison{}
	group := func(vat string) *DistributorComparison {
		vat = normalizeVAT(vat)
		g := groups[vat]
		if g == nil {
			g = &DistributorComparison{DistributorVAT: vat}
			groups[vat] = g
		}
		return g
	}

	billing := map[string]BillingPoint{}
	var billingOrder []string
	for _, p := range points {
		key := PODKey(p.POD)
		if _, dup := billing[key]; dup || !suppliedIn(month, p.SupplyStart, p.SupplyEnd) {
			continue
		}
		billing[key] = p
		billingOrder = append(billingOrder, key)
		group(p.DistributorVAT).BillingCount++
	}

	inSII := map[string]bool{}
	for _, rec := range records {
		key := rec.Key()
		if inSII[key] || !suppliedIn(month, rec.SupplyStart, rec.SupplyEnd) {
			continue
		}
		inSII[key] = true
		g := group(rec.DistributorVAT)
		g.SIICount++
		if g.DistributorName == "" {
			g.DistributorName = rec.DistributorName
		}
		if rec.CRPP != nil {
			cmp.CRPP = append(cmp.CRPP, rec)
		}
		p, ok := billing[key]
		if !ok {
			g.OnlyInSII = append(g.OnlyInSII, rec)
			continue
		}
		g.Differences = append(g.Differences, differences(rec, p)...)
	}
	for _, key := range billingOrder {
		if !inSII[key] {
			p := billing[key]
			g := group(p.DistributorVAT)
			g.OnlyInBilling = append(g.OnlyInBilling, p)
		}
	}

	for _, g := range groups {
		cmp.Distributors = append(cmp.Distributors, *g)
	}
	sort.Slice(cmp.Distributors, func(i, j int) bool {
		return cmp.Distributors[i].DistributorVAT < cmp.Distributors[j].DistributorVAT
	})
	return cmp, nil
}

// suppliedIn reports whether a supply from start to end (either zero when
// unknown or open) covers at least one day of month.
func suppliedIn(month civil.Month, start, end civil.Date) bool {
	if !start.IsZero() && start.After(month.Last()) {
		return false
	}
	return end.IsZero() || !end.Before(month.First())
}

// differences lists the compared fields on which rec and p disagree.
func differences(rec *RCURecord, p BillingPoint) []FieldDifference {
	pairs := []struct{ field, sii, billing string }{
		{ColDistributorVAT, normalizeVAT(rec.DistributorVAT), normalizeVAT(p.DistributorVAT)},
		{ColUdDVAT, normalizeVAT(rec.UdDVAT), normalizeVAT(p.UdDVAT)},
		{ColCounterpartyVAT, normalizeVAT(rec.CounterpartyVAT), normalizeVAT(p.CounterpartyVAT)},
		{ColSupplyStart, dateText(rec.SupplyStart), dateText(p.SupplyStart)},
		{ColSupplyEnd, dateText(rec.SupplyEnd), dateText(p.SupplyEnd)},
		{ColTreatment, normalizeText(rec.Treatment), normalizeText(p.Treatment)},
		{ColVoltage, normalizeText(rec.Voltage), normalizeText(p.Voltage)},
		{ColCommittedPower, numberText(rec.CommittedPower), numberText(p.CommittedPower)},
		{ColMeterType, normalizeText(rec.MeterType), normalizeText(p.MeterType)},
	}
	var out []FieldDifference
	for _, pair := range pairs {
		if pair.sii != pair.billing {
			out = append(out, FieldDifference{POD: rec.Key(), Field: pair.field, SII: pair.sii, Billing: pair.billing})
		}
	}
	return out
}

// normalizeVAT trims and upper-cases a VAT number or fiscal code, and
// left-pads a numeric one shorter than 11 digits with the zeros that
// spreadsheets drop.
func normalizeVAT(s string) string {
	s = normalizeText(s)
	if s != "" && len(s) < 11 && digitsOnly(s) {
		s = strings.Repeat("0", 11-len(s)) + s
	}
	return s
}

func normalizeText(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

func dateText(d civil.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.Italian()
}

func numberText(n decimal.NullDecimal) string {
	if !n.Valid {
		return ""
	}
	return n.Decimal.String()
}

// StaticRegistry is a BillingRegistry held in memory, for points read
// from a file export or built by a caller.
type StaticRegistry []BillingPoint

// BillingPoints returns every point of the registry; Compare applies the
// month filter.
func (s StaticRegistry) BillingPoints(context.Context, civil.Month) ([]BillingPoint, error) {
	return s, nil
}
