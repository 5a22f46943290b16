package accise

import (
	"fmt"
	"sort"

	"github.com/shopspring/decimal"

	"github.com/bludispatcher/dispatcher/internal/civil"
)

// Class is the tax class of a portion of a quantity. Each class maps to one
// frame row through the layout table (data/layout.json).
type Class string

// Electricity classes.
const (
	// ClassResident is taxed kWh of a dwelling of residence.
	ClassResident Class = "resident"
	// ClassResidentExempt is the exempt part of a resident dwelling with
	// contracted power up to 3 kW.
	ClassResidentExempt Class = "resident-exempt"
	// ClassRecovered is kWh recovered to taxation (recuperati a tassazione)
	// when a resident month exceeds its recovery threshold.
	ClassRecovered Class = "recovered"
	// ClassOtherDwelling is kWh of a dwelling that is not the residence or
	// has more than 3 kW.
	ClassOtherDwelling Class = "other-dwelling"
	// ClassSlice is the first 200,000 kWh of a non-dwelling month of at most
	// 1,200,000 kWh.
	ClassSlice Class = "slice"
	// ClassAboveSlice is the part above 200,000 kWh of such a month.
	ClassAboveSlice Class = "above-slice"
	// ClassCappedSlice is the first 200,000 kWh of a month above
	// 1,200,000 kWh.
	ClassCappedSlice Class = "capped-slice"
	// ClassAboveCap is the rest of a month above 1,200,000 kWh, taxed with
	// a fixed amount.
	ClassAboveCap Class = "above-cap"
	// ClassElectricityExempt is exempt electricity (frame L).
	ClassElectricityExempt Class = "ee-exempt"
	// ClassElectricityExcluded is electricity excluded from excise or sold
	// to resellers (frame J).
	ClassElectricityExcluded Class = "ee-excluded"
)

// Portion is the part of a quantity taxed in one class at one rate.
type Portion struct {
	// Class selects the frame row.
	Class Class
	// Location is "C" or "M" for civil gas brackets, empty otherwise.
	Location string
	// Quantity is in kWh or m³.
	Quantity decimal.Decimal
	// Rate is in €/kWh or €/m³; zero for exempt and fixed-amount portions.
	Rate decimal.Decimal
	// Fixed is the fixed amount of an amount-only portion (the 4,820.00 €
	// above 1,200,000 kWh a month).
	Fixed decimal.Decimal
	// Amount is Quantity × Rate rounded to the cent, or Fixed.
	Amount decimal.Decimal
	// Bracket is the 1-based annual bracket of a gas portion (civil 1–4,
	// industrial 1–2); 0 for electricity.
	Bracket int
	// On is the day whose rates apply to the portion.
	On civil.Date
}

// ElectricityMonth is the net billed quantity of one supply in one month.
type ElectricityMonth struct {
	// Use is the use category.
	Use Use
	// Resident marks the dwelling of residence.
	Resident bool
	// PowerKW is the contracted power; zero when unknown, which gives no
	// resident exemption.
	PowerKW decimal.Decimal
	// KWh is the net quantity of the month.
	KWh decimal.Decimal
}

// Compute splits the month's kWh into taxed portions with the rates of r.
// A negative quantity (a month credited more than billed) gives the
// portions of its absolute value with negative quantities and amounts. The
// resident exemption is the exception, because it applies to the month's net
// consumption and never goes below zero, so its portion keeps zero kWh.
func (m ElectricityMonth) Compute(r ElectricityRates) ([]Portion, error) {
	if m.KWh.IsNegative() {
		pos := m
		pos.KWh = m.KWh.Neg()
		ps, err := pos.Compute(r)
		for i := range ps {
			if ps[i].Class == ClassResidentExempt {
				ps[i].Quantity = decimal.Zero
				continue
			}
			ps[i].Quantity = ps[i].Quantity.Neg()
			ps[i].Fixed = ps[i].Fixed.Neg()
			ps[i].Amount = ps[i].Amount.Neg()
		}
		return ps, err
	}
	switch m.Use {
	case UseDwelling:
		return m.dwelling(r), nil
	case UseNonDwelling:
		return m.nonDwelling(r.NonDwelling), nil
	case UseExempt:
		return []Portion{{Class: ClassElectricityExempt, Quantity: m.KWh, Amount: decimal.Zero}}, nil
	case UseExcluded:
		return []Portion{{Class: ClassElectricityExcluded, Quantity: m.KWh, Amount: decimal.Zero}}, nil
	}
	return nil, fmt.Errorf("accise: invalid electricity use %q: want %s, %s, %s or %s", m.Use, UseDwelling, UseNonDwelling, UseExempt, UseExcluded)
}

func taxed(c Class, q, rate decimal.Decimal) Portion {
	return Portion{Class: c, Quantity: q, Rate: rate, Amount: Round(q.Mul(rate))}
}

// dwelling applies the resident exemption. Up to ExemptKWh a month are
// exempt, less one for each kWh above the recovery threshold of the
// supply's power. The taxed part is split between the base taxed quantity
// and the recovered one.
func (m ElectricityMonth) dwelling(r ElectricityRates) []Portion {
	ex := r.ResidentExemption
	threshold, eligible := ex.threshold(m.PowerKW)
	if !m.Resident || !eligible {
		c := ClassOtherDwelling
		if m.Resident {
			c = ClassResident
		}
		return []Portion{taxed(c, m.KWh, r.DwellingRate)}
	}
	base := decimal.Min(m.KWh, ex.ExemptKWh)
	recovered := decimal.Zero
	if m.KWh.GreaterThan(threshold) {
		recovered = decimal.Min(ex.ExemptKWh, m.KWh.Sub(threshold))
	}
	out := []Portion{{Class: ClassResidentExempt, Quantity: base.Sub(recovered), Amount: decimal.Zero}}
	if rest := m.KWh.Sub(base); rest.IsPositive() {
		out = append(out, taxed(ClassResident, rest, r.DwellingRate))
	}
	if recovered.IsPositive() {
		out = append(out, taxed(ClassRecovered, recovered, r.DwellingRate))
	}
	return out
}

// threshold returns the recovery threshold for a contracted power, and
// false when the power has no exemption.
func (ex ResidentExemption) threshold(powerKW decimal.Decimal) (decimal.Decimal, bool) {
	if !powerKW.IsPositive() || powerKW.GreaterThan(ex.MaxPowerKW) {
		return decimal.Zero, false
	}
	for _, t := range ex.Recovery {
		if !powerKW.GreaterThan(t.MaxPowerKW) {
			return t.ThresholdKWh, true
		}
	}
	return decimal.Zero, false
}

// nonDwelling applies the monthly slices. Above CapKWh the part beyond the
// first slice pays the fixed amount instead of the per-kWh rate, so 1,200,001
// kWh pay less than 1,200,000 kWh: the law wants this discontinuity.
func (m ElectricityMonth) nonDwelling(r NonDwellingRates) []Portion {
	first := decimal.Min(m.KWh, r.SliceKWh)
	rest := m.KWh.Sub(first)
	if m.KWh.GreaterThan(r.CapKWh) {
		return []Portion{
			taxed(ClassCappedSlice, first, r.SliceRate),
			{Class: ClassAboveCap, Quantity: rest, Fixed: r.FixedAboveCap, Amount: r.FixedAboveCap},
		}
	}
	out := []Portion{taxed(ClassSlice, first, r.SliceRate)}
	if rest.IsPositive() {
		out = append(out, taxed(ClassAboveSlice, rest, r.AboveSliceRate))
	}
	return out
}

// Excise returns the tax on the portions as a declaration computes it: the
// quantities at the same rate are added first and each sum × rate is rounded
// to the cent, then the fixed amounts are added. For a resident month of 300
// kWh this gives 230 × 0.0227 = 5.22, where rounding each portion apart would
// give 5.23.
func Excise(ps []Portion) decimal.Decimal {
	byRate := map[string]decimal.Decimal{}
	rates := map[string]decimal.Decimal{}
	total := decimal.Zero
	for _, p := range ps {
		if !p.Fixed.IsZero() {
			total = total.Add(p.Fixed)
			continue
		}
		if p.Rate.IsZero() {
			continue
		}
		k := p.Rate.String()
		byRate[k] = byRate[k].Add(p.Quantity)
		rates[k] = p.Rate
	}
	keys := make([]string, 0, len(byRate))
	for k := range byRate {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		total = total.Add(Round(byRate[k].Mul(rates[k])))
	}
	return total
}
