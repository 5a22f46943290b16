package accise

import "github.com/shopspring/decimal"

// Arisgan computes the regional surcharge on the excise portions of one gas
// supply. Each civil or industrial portion is taxed at the region's rate of
// the same bracket, in force on the portion's day. Vehicle fuel and exempt
// gas bear no ARISGAN. The result is empty when the region levies none.
func Arisgan(t *Rates, region, climateZone string, exCasmez bool, ps []Portion) []Portion {
	var out []Portion
	for _, p := range ps {
		if p.Class != ClassCivil && p.Class != ClassIndustrial {
			continue
		}
		a, ok := t.ArisganAt(region, climateZone, exCasmez, p.On)
		if !ok {
			continue
		}
		rates := a.Civil
		if p.Class == ClassIndustrial {
			rates = a.Industrial
		}
		if p.Bracket < 1 || p.Bracket > len(rates) || rates[p.Bracket-1].IsZero() {
			continue
		}
		s := taxed(p.Class, p.Quantity, rates[p.Bracket-1])
		s.Bracket, s.Location, s.On = p.Bracket, p.Location, p.On
		out = append(out, s)
	}
	return out
}

// IRS computes the regional substitute tax on the exempt portions of one gas
// supply; the result is empty when the region levies none.
func IRS(t *Rates, region string, ps []Portion) []Portion {
	var out []Portion
	for _, p := range ps {
		if p.Class != ClassGasExempt {
			continue
		}
		r, ok := t.IRSAt(region, p.On)
		if !ok || r.Rate.IsZero() {
			continue
		}
		s := taxed(ClassGasExempt, p.Quantity, r.Rate)
		s.On = p.On
		out = append(out, s)
	}
	return out
}

// LineTotal returns the sum of the portions' amounts, each already rounded
// to the cent, as the frames add their lines.
func LineTotal(ps []Portion) decimal.Decimal {
	sum := decimal.Zero
	for _, p := range ps {
		sum = sum.Add(p.Amount)
	}
	return sum
}
