package flows

import (
	"fmt"

	"github.com/shopspring/decimal"
)

// Quantity is what a value measures, which decides the meter constant that
// applies to it.
type Quantity uint8

const (
	// ActiveEnergyQuantity is kWh (Ea curves, EaF*, EaM), with constant Ka.
	ActiveEnergyQuantity Quantity = iota
	// ReactiveEnergyQuantity is kvarh (Er, Erc, Eri curves and registers),
	// with constant Kr.
	ReactiveEnergyQuantity
	// PowerQuantity is kW (PotMax, PotF*, PotM), with constant Kp.
	PowerQuantity
)

// String returns "active energy", "reactive energy" or "power".
func (q Quantity) String() string {
	switch q {
	case ActiveEnergyQuantity:
		return "active energy"
	case ReactiveEnergyQuantity:
		return "reactive energy"
	case PowerQuantity:
		return "power"
	}
	return "unknown quantity"
}

// QuantityOf returns the quantity of a curve kind.
func QuantityOf(kind CurveKind) Quantity {
	if kind == ActiveEnergy {
		return ActiveEnergyQuantity
	}
	return ReactiveEnergyQuantity
}

// Constant returns the raw meter constant for q: Ka, Kr or Kp of DatiPdp.
// An absent constant is 1, as the SII standard prescribes, and the second
// result is false. A present but malformed or empty constant is an error.
func (p Pdp) Constant(q Quantity) (decimal.Decimal, bool, error) {
	var v Value
	var name string
	switch q {
	case ActiveEnergyQuantity:
		v, name = p.Ka, "Ka"
	case ReactiveEnergyQuantity:
		v, name = p.Kr, "Kr"
	case PowerQuantity:
		v, name = p.Kp, "Kp"
	default:
		return decimal.Decimal{}, false, fmt.Errorf("flows: unknown quantity %d", q)
	}
	if !v.Set {
		return decimal.NewFromInt(1), false, nil
	}
	k, err := v.Decimal()
	if err != nil {
		return decimal.Decimal{}, true, fmt.Errorf("flows: %s %q: %w", name, v.Text, err)
	}
	return k, true, nil
}

// NeedsConstant reports whether raw values of quantity q still have to be
// multiplied by their meter constant, by the rule of the SII standard
// (Standard dei Tracciati Misure v1.8, page 18, "Ulteriori specifiche per
// la compilazione del file", items 2 to 5):
//
//   - 2G meters, hourly or not: energies and powers are not multiplied by
//     the constants, so the constant still applies (true);
//   - 1G hourly-treated points: energies and power are already multiplied
//     (false);
//   - 1G non-hourly points: energies are the meter display, not multiplied
//     (true), while power is already multiplied (false).
//
// is2G is true for a 2G meter, and hourly for an hourly-treated point
// (Trattamento O).
func NeedsConstant(is2G, hourly bool, q Quantity) bool {
	switch {
	case is2G:
		return true
	case hourly:
		return false
	}
	return q != PowerQuantity
}

// EffectiveFactor returns the factor that turns raw values of quantity q
// of a record into real quantities: the constant of p when NeedsConstant
// returns true, else 1. The flow code distinguishes 1G from 2G. The point is
// hourly when Trattamento is O, or, when Trattamento is absent, when the
// flow is an hourly one (PDO, RFO, SOF, SOS).
func EffectiveFactor(info FlowInfo, p Pdp, q Quantity) (decimal.Decimal, error) {
	hourly := info.Hourly
	if p.Treatment.Set {
		hourly = p.Treatment.Text == "O"
	}
	if !NeedsConstant(info.Is2G, hourly, q) {
		return decimal.NewFromInt(1), nil
	}
	k, _, err := p.Constant(q)
	return k, err
}
