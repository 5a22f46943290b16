package siireport

import (
	"context"
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/internal/itnum"
	"github.com/bludispatcher/dispatcher/server/store"
	"github.com/bludispatcher/dispatcher/sii"
)

// BillingRegistry is the sii.BillingRegistry of one company over the
// store: the validity of each POD's registry entries and, when billing
// pushed the supply point, its distributor, dispatching user, commercial
// counterparty and technical data.
//
// NOTE: the supply point's dispatching contract is not compared. The
// extract's DP column may carry it, but the SII does not publish what DP
// means.
type BillingRegistry struct {
	Store   Store
	Company store.CompanyID
}

// BillingPoints returns the registry entries valid in month as points.
func (b BillingRegistry) BillingPoints(ctx context.Context, month civil.Month) ([]sii.BillingPoint, error) {
	entries, err := b.Store.RegistryEntriesIn(ctx, b.Company, month)
	if err != nil {
		return nil, err
	}
	out := make([]sii.BillingPoint, 0, len(entries))
	for _, e := range entries {
		p := sii.BillingPoint{POD: e.POD, SupplyStart: e.ValidFrom, SupplyEnd: e.ValidTo}
		sp, err := b.Store.SupplyPoint(ctx, b.Company, e.POD)
		switch {
		case err == nil:
			p.DistributorVAT = sp.DistributorVAT
			p.UdDVAT, p.CounterpartyVAT = sp.UdDVAT, sp.CounterpartyVAT
			addTechnical(&p, sp.Technical)
		case !errors.Is(err, store.ErrNotFound):
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// addTechnical copies the technical data of a supply point into p. The
// registry service accepts only powers that itnum.ParseLoose reads, so a
// power it cannot read is one stored by other means and is left out.
func addTechnical(p *sii.BillingPoint, t store.SupplyTechnical) {
	p.Treatment, p.Voltage, p.MeterType = t.Treatment, t.Voltage, t.MeterType
	if t.ContractedPower == "" {
		return
	}
	if d, err := itnum.ParseLoose(t.ContractedPower); err == nil {
		p.CommittedPower = decimal.NullDecimal{Decimal: d, Valid: true}
	}
}

// Compared reports whether the registry can be compared on a difference:
// the supply dates always, and the distributor, dispatching user,
// commercial counterparty, treatment, voltage, power and meter type when
// billing gave them. The registry records the meter
// generation (1G or 2G), so a meter type differs only when the
// generation of the extract's code differs.
func Compared(d sii.FieldDifference) bool {
	switch d.Field {
	case sii.ColSupplyStart, sii.ColSupplyEnd:
		return true
	case sii.ColDistributorVAT, sii.ColUdDVAT, sii.ColCounterpartyVAT,
		sii.ColTreatment, sii.ColVoltage, sii.ColCommittedPower:
		return d.Billing != ""
	case sii.ColMeterType:
		return d.Billing != "" && MeterGeneration(d.SII) != d.Billing
	}
	return false
}

// MeterGeneration returns the generation of an RCU TIPO_MISURATORE code:
// 2G for G, 1G for E and O, and the code itself for any other value.
//
// NOTE: the SII publishes no code list for TIPO_MISURATORE, so this
// mapping is an assumption: G for second-generation meters, E and O for
// first-generation electronic ones.
func MeterGeneration(code string) string {
	switch strings.ToUpper(strings.TrimSpace(code)) {
	case "G":
		return "2G"
	case "E", "O":
		return "1G"
	}
	return code
}

// SiteRegistry is the sii.SiteRegistry of one company over the supply
// points and sites that billing pushed to the store.
type SiteRegistry struct {
	Store   Store
	Company store.CompanyID
}

// SiteMunicipality returns the municipality ISTAT code, name and
// province of the site of pod. It looks the supply point up by pod, then
// by its first 14 characters, so a 14-character pod also finds a point
// that billing stored with a fifteenth. The ok result is false when
// billing pushed no supply point or site for it, or a site with neither
// municipality name nor code. When several stored points share the first
// 14 characters, it fails with store.ErrAmbiguous rather than pick one.
func (s SiteRegistry) SiteMunicipality(ctx context.Context, pod string) (sii.Municipality, bool, error) {
	sp, err := s.Store.SupplyPoint(ctx, s.Company, pod)
	key := sii.PODKey(pod)
	if errors.Is(err, store.ErrNotFound) && utf8.ValidString(key) && utf8.RuneCountInString(key) == sii.PODKeyLength {
		sp, err = s.Store.SupplyPointByPODKey(ctx, s.Company, key)
	}
	if errors.Is(err, store.ErrNotFound) {
		return sii.Municipality{}, false, nil
	}
	if err != nil {
		return sii.Municipality{}, false, err
	}
	site, err := s.Store.Site(ctx, s.Company, sp.Site)
	if errors.Is(err, store.ErrNotFound) {
		return sii.Municipality{}, false, nil
	}
	if err != nil {
		return sii.Municipality{}, false, err
	}
	if site.Municipality == "" && site.MunicipalityCode == "" {
		return sii.Municipality{}, false, nil
	}
	return sii.Municipality{ISTATCode: site.MunicipalityCode, Name: site.Municipality, Province: site.Province}, true, nil
}
