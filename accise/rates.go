package accise

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/shopspring/decimal"

	"github.com/bludispatcher/dispatcher/internal/civil"
)

//go:embed data/rates.json
var ratesJSON []byte

// ErrNoRate is returned when no rate in the table covers a date, a region or
// a use.
var ErrNoRate = errors.New("accise: no rate in force")

// Validity is the period a rate is in force, with the legal source of the
// figure and its confidence.
type Validity struct {
	// ValidFrom is the first day the rate applies.
	ValidFrom civil.Date `json:"valid_from"`
	// ValidTo is the last day the rate applies; the zero date means no end.
	ValidTo civil.Date `json:"valid_to"`
	// Source names the law, circular or page the figure comes from.
	Source string `json:"source"`
	// Confidence is "confirmed" (primary source or two agreeing sources),
	// "single-source" or "guess".
	Confidence string `json:"confidence"`
	// Note records open points about the figure.
	Note string `json:"note,omitempty"`
}

// Covers reports whether d falls inside the validity period.
func (v Validity) Covers(d civil.Date) bool {
	if d.Before(v.ValidFrom) {
		return false
	}
	return v.ValidTo.IsZero() || !d.After(v.ValidTo)
}

// ElectricityRates is one version of the electricity excise table (TUA art.
// 52 and Allegato I).
type ElectricityRates struct {
	Validity
	// DwellingRate is the rate in €/kWh on dwellings (abitazioni).
	DwellingRate decimal.Decimal `json:"dwelling_rate"`
	// ResidentExemption is the monthly exemption of resident dwellings with a
	// small contracted power.
	ResidentExemption ResidentExemption `json:"resident_exemption"`
	// NonDwelling is the monthly slice scheme of uses other than dwellings.
	NonDwelling NonDwellingRates `json:"non_dwelling"`
}

// ResidentExemption is the exemption of the first kWh of each month for the
// dwelling of residence with contracted power up to MaxPowerKW. Above the
// recovery threshold for the supply's power, each kWh cancels one exempt kWh.
type ResidentExemption struct {
	// MaxPowerKW is the highest contracted power that has the exemption.
	MaxPowerKW decimal.Decimal `json:"max_power_kw"`
	// ExemptKWh is the monthly quantity exempt before any recovery.
	ExemptKWh decimal.Decimal `json:"exempt_kwh"`
	// Recovery lists the thresholds by power, in increasing MaxPowerKW.
	Recovery []RecoveryThreshold `json:"recovery"`
}

// RecoveryThreshold is the monthly consumption above which the exemption
// shrinks, for supplies with contracted power up to MaxPowerKW.
type RecoveryThreshold struct {
	// MaxPowerKW is the highest contracted power of the threshold.
	MaxPowerKW decimal.Decimal `json:"max_power_kw"`
	// ThresholdKWh is the monthly consumption above which the exemption shrinks.
	ThresholdKWh decimal.Decimal `json:"threshold_kwh"`
}

// NonDwellingRates is the monthly scheme for uses other than dwellings: the
// first SliceKWh at SliceRate and the rest at AboveSliceRate, unless the month
// exceeds CapKWh, when the rest is replaced by the fixed FixedAboveCap.
type NonDwellingRates struct {
	// SliceKWh is the monthly first slice, 200,000 kWh.
	SliceKWh decimal.Decimal `json:"slice_kwh"`
	// SliceRate is the rate of the first slice.
	SliceRate decimal.Decimal `json:"slice_rate"`
	// AboveSliceRate is the rate above the first slice.
	AboveSliceRate decimal.Decimal `json:"above_slice_rate"`
	// CapKWh is the monthly quantity above which the fixed amount applies.
	CapKWh decimal.Decimal `json:"cap_kwh"`
	// FixedAboveCap is the fixed monthly amount in euro above CapKWh.
	FixedAboveCap decimal.Decimal `json:"fixed_above_cap"`
}

// GasRates is one version of the natural gas excise table (TUA art. 26 and
// Allegato I), in €/m³.
type GasRates struct {
	Validity
	// CivilBracketLimits are the upper limits of the annual brackets of civil
	// (from 2026: domestic) uses, in m³; the last bracket is open.
	CivilBracketLimits []decimal.Decimal `json:"civil_bracket_limits_m3"`
	// CivilOrdinary are the bracket rates in the ordinary territory.
	CivilOrdinary []decimal.Decimal `json:"civil_ordinary"`
	// CivilExCasmez are the bracket rates in the territories of the former
	// Cassa del Mezzogiorno (DPR 218/1978).
	CivilExCasmez []decimal.Decimal `json:"civil_ex_casmez"`
	// IndustrialCap is the annual quantity of industrial (from 2026:
	// non-domestic) uses above which the reduced rate applies.
	IndustrialCap decimal.Decimal `json:"industrial_cap_m3"`
	// IndustrialRate applies up to IndustrialCap.
	IndustrialRate decimal.Decimal `json:"industrial_rate"`
	// IndustrialAboveCapRate is the chosen rate above IndustrialCap.
	IndustrialAboveCapRate decimal.Decimal `json:"industrial_above_cap_rate"`
	// IndustrialAboveCapAlternatives are other figures for the same rate
	// found in the sources, kept so a reader sees the disagreement.
	IndustrialAboveCapAlternatives []AlternativeRate `json:"industrial_above_cap_alternatives"`
	// VehicleRate is the rate on gas used as vehicle fuel (autotrazione).
	VehicleRate decimal.Decimal `json:"vehicle_rate"`
}

// AlternativeRate is a figure that a source gives for a rate the table sets
// differently.
type AlternativeRate struct {
	// Rate is the other figure.
	Rate decimal.Decimal `json:"rate"`
	// Source names where it appears.
	Source string `json:"source"`
}

// ArisganRates is the regional surcharge on gas excise (addizionale
// regionale, D.Lgs. 398/1990 art. 9) of one region, optionally narrowed to
// some climate zones or to the ex-Cassa del Mezzogiorno part of the region.
type ArisganRates struct {
	Validity
	// Region is the region code of territory.json, such as "PIE".
	Region string `json:"region"`
	// ClimateZones limits the row to these zones (A–F); empty means all.
	ClimateZones []string `json:"climate_zones,omitempty"`
	// ExCasmez, when set, limits the row to supplies inside (true) or outside
	// (false) the ex-Cassa del Mezzogiorno territory.
	ExCasmez *bool `json:"ex_casmez,omitempty"`
	// Civil are the rates of the four civil brackets.
	Civil []decimal.Decimal `json:"civil"`
	// Industrial are the rates up to and above the industrial cap.
	Industrial []decimal.Decimal `json:"industrial"`
}

// IRSRate is the regional substitute tax (imposta regionale sostitutiva) on
// gas supplies exempt from excise, in €/m³.
type IRSRate struct {
	Validity
	// Region is the region code of territory.json.
	Region string `json:"region"`
	// Rate is the tax in €/m³.
	Rate decimal.Decimal `json:"rate"`
}

// Rates is the whole rate table.
type Rates struct {
	// Version names the edition of the table.
	Version string `json:"version"`
	// Electricity lists the electricity rate versions.
	Electricity []ElectricityRates `json:"electricity"`
	// Gas lists the gas excise versions.
	Gas []GasRates `json:"gas"`
	// Arisgan lists the ARISGAN rows by region.
	Arisgan []ArisganRates `json:"arisgan"`
	// ArisganDefault gives the source of ARISGAN rows that name none.
	ArisganDefault Validity `json:"arisgan_default"`
	// IRS lists the IRS rates by region.
	IRS []IRSRate `json:"irs"`
}

var (
	defaultRatesOnce sync.Once
	defaultRates     *Rates
)

// DefaultRates returns the embedded rate table. It panics only if the
// embedded file is invalid, which the package tests rule out.
func DefaultRates() *Rates {
	defaultRatesOnce.Do(func() {
		r, err := LoadRates(bytes.NewReader(ratesJSON))
		if err != nil {
			panic(err)
		}
		defaultRates = r
	})
	return defaultRates
}

// LoadRates reads a rate table in the format of the embedded data/rates.json
// and checks its shape.
func LoadRates(r io.Reader) (*Rates, error) {
	var t Rates
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&t); err != nil {
		return nil, fmt.Errorf("accise: invalid rate table: %w", err)
	}
	for i := range t.Arisgan {
		a := &t.Arisgan[i]
		if a.Source == "" {
			a.Source = t.ArisganDefault.Source
		}
		if a.Confidence == "" {
			a.Confidence = t.ArisganDefault.Confidence
		}
	}
	if err := t.check(); err != nil {
		return nil, err
	}
	return &t, nil
}

func (t *Rates) check() error {
	for i, g := range t.Gas {
		n := len(g.CivilBracketLimits) + 1
		if len(g.CivilOrdinary) != n || len(g.CivilExCasmez) != n {
			return fmt.Errorf("accise: invalid rate table: gas row %d has %d bracket limits but %d ordinary and %d ex-Casmez rates; want %d each",
				i, len(g.CivilBracketLimits), len(g.CivilOrdinary), len(g.CivilExCasmez), n)
		}
	}
	for i, a := range t.Arisgan {
		if len(a.Civil) != 4 || len(a.Industrial) != 2 {
			return fmt.Errorf("accise: invalid rate table: ARISGAN row %d (%s) has %d civil and %d industrial rates; want 4 and 2",
				i, a.Region, len(a.Civil), len(a.Industrial))
		}
	}
	return nil
}

// ElectricityAt returns the electricity rates in force on d.
func (t *Rates) ElectricityAt(d civil.Date) (ElectricityRates, error) {
	for _, e := range t.Electricity {
		if e.Covers(d) {
			return e, nil
		}
	}
	return ElectricityRates{}, fmt.Errorf("%w: electricity on %s", ErrNoRate, d)
}

// GasAt returns the gas excise rates in force on d.
func (t *Rates) GasAt(d civil.Date) (GasRates, error) {
	for _, g := range t.Gas {
		if g.Covers(d) {
			return g, nil
		}
	}
	return GasRates{}, fmt.Errorf("%w: natural gas on %s", ErrNoRate, d)
}

// ArisganAt returns the ARISGAN rates of region for a supply in the given
// climate zone and location on d. The second result is false when the
// region levies no ARISGAN in the table (special-statute regions).
func (t *Rates) ArisganAt(region, climateZone string, exCasmez bool, d civil.Date) (ArisganRates, bool) {
	for _, a := range t.Arisgan {
		if a.Region != region || !a.Covers(d) {
			continue
		}
		if len(a.ClimateZones) > 0 && !contains(a.ClimateZones, climateZone) {
			continue
		}
		if a.ExCasmez != nil && *a.ExCasmez != exCasmez {
			continue
		}
		return a, true
	}
	return ArisganRates{}, false
}

// arisganCovers reports whether the table has an ARISGAN row of region in
// force on d, or no row of the region at all (a region the table does not
// list levies none).
func (t *Rates) arisganCovers(region string, d civil.Date) bool {
	listed := false
	for _, a := range t.Arisgan {
		if a.Region != region {
			continue
		}
		listed = true
		if a.Covers(d) {
			return true
		}
	}
	return !listed
}

// arisganByZone reports whether any ARISGAN row of region is limited to some
// climate zones.
func (t *Rates) arisganByZone(region string) bool {
	for _, a := range t.Arisgan {
		if a.Region == region && len(a.ClimateZones) > 0 {
			return true
		}
	}
	return false
}

// IRSAt returns the IRS rate of region on d; false when the table has none.
func (t *Rates) IRSAt(region string, d civil.Date) (IRSRate, bool) {
	for _, r := range t.IRS {
		if r.Region == region && r.Covers(d) {
			return r, true
		}
	}
	return IRSRate{}, false
}

// changeDates returns the first days of rate versions that start after from
// and on or before to, for the commodity's excise table.
func (t *Rates) changeDates(c Commodity, from, to civil.Date) []civil.Date {
	var out []civil.Date
	add := func(v Validity) {
		if v.ValidFrom.After(from) && !v.ValidFrom.After(to) {
			out = append(out, v.ValidFrom)
		}
	}
	if c == Electricity {
		for _, e := range t.Electricity {
			add(e.Validity)
		}
	} else {
		for _, g := range t.Gas {
			add(g.Validity)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
