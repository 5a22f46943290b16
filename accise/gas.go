package accise

import (
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/shopspring/decimal"

	"github.com/bludispatcher/dispatcher/internal/civil"
)

// Gas classes.
const (
	// ClassCivil is gas for civil (domestic) uses, in one of four annual
	// brackets.
	ClassCivil Class = "civil"
	// ClassIndustrial is gas for industrial (non-domestic) uses, up to or
	// above the annual cap.
	ClassIndustrial Class = "industrial"
	// ClassVehicle is gas used as vehicle fuel.
	ClassVehicle Class = "vehicle"
	// ClassGasExempt is gas exempt from excise, which bears IRS.
	ClassGasExempt Class = "gn-exempt"
)

// GasBill is the quantity of one bill of a gas supply.
type GasBill struct {
	// From and To are the first and last day of the bill.
	From, To civil.Date
	// Quantity in m³; negative on credits.
	Quantity decimal.Decimal
	// Use is the use category.
	Use Use
	// ExCasmez selects the ex-Cassa del Mezzogiorno rates of civil uses.
	ExCasmez bool
}

// GasYear computes the excise portions of one gas supply over a year. The
// annual brackets apply progressively across the bills in the order of their
// first day: each bill fills the brackets from where the previous bills
// stopped, and a credit empties them from the top. A bill whose period spans
// a rate change is split between the rate versions in proportion to its
// days, giving one portion per rate. From 2026 a bill across 1 July is
// split there too. The result has one slice of portions per bill, in the order of
// bills.
func GasYear(t *Rates, bills []GasBill) ([][]Portion, error) {
	order := make([]int, len(bills))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return bills[order[a]].From.Before(bills[order[b]].From) })
	out := make([][]Portion, len(bills))
	cum := map[Use]decimal.Decimal{}
	for _, i := range order {
		b := bills[i]
		pieces, err := splitByRate(t, Gas, b.From, b.To, b.Quantity)
		if err != nil {
			return nil, err
		}
		for _, pc := range pieces {
			g, err := t.GasAt(pc.on)
			if err != nil {
				return nil, err
			}
			ps, err := gasPortions(g, b, pc.quantity, cum[b.Use])
			if err != nil {
				return nil, err
			}
			for j := range ps {
				ps[j].On = pc.on
			}
			out[i] = append(out[i], ps...)
			// A credit larger than the year so far leaves the position at
			// zero, because bracketPortions credited its excess apart.
			cum[b.Use] = decimal.Max(cum[b.Use].Add(pc.quantity), decimal.Zero)
		}
	}
	return out, nil
}

func gasPortions(g GasRates, b GasBill, q, cum decimal.Decimal) ([]Portion, error) {
	switch b.Use {
	case UseCivil:
		rates := g.CivilOrdinary
		loc := "C"
		if b.ExCasmez {
			rates, loc = g.CivilExCasmez, "M"
		}
		ps := bracketPortions(ClassCivil, g.CivilBracketLimits, rates, q, cum)
		for i := range ps {
			ps[i].Location = loc
		}
		return ps, nil
	case UseIndustrial:
		limits := []decimal.Decimal{g.IndustrialCap}
		rates := []decimal.Decimal{g.IndustrialRate, g.IndustrialAboveCapRate}
		return bracketPortions(ClassIndustrial, limits, rates, q, cum), nil
	case UseVehicle:
		return []Portion{taxed(ClassVehicle, q, g.VehicleRate)}, nil
	case UseExempt:
		return []Portion{{Class: ClassGasExempt, Quantity: q, Amount: decimal.Zero}}, nil
	}
	return nil, fmt.Errorf("accise: invalid gas use %q: want %s, %s, %s or %s", b.Use, UseCivil, UseIndustrial, UseVehicle, UseExempt)
}

// bracketPortions splits the interval between cum and cum+q of the annual
// quantity over the brackets. A negative q covers the interval below cum and
// gives negative portions.
//
// NOTE: a credit larger than cum, such as a correction a credito of an
// earlier year computed alone, credits its excess from the first bracket up,
// as the same quantity billed alone would be taxed. No public rule gives the
// bracket position of the corrected period.
func bracketPortions(c Class, limits, rates []decimal.Decimal, q, cum decimal.Decimal) []Portion {
	if excess := cum.Add(q).Neg(); excess.IsPositive() {
		out := bracketPortions(c, limits, rates, cum.Neg(), cum)
		for _, p := range bracketPortions(c, limits, rates, excess, decimal.Zero) {
			p.Quantity, p.Amount = p.Quantity.Neg(), p.Amount.Neg()
			out = append(out, p)
		}
		return out
	}
	lo, hi, sign := cum, cum.Add(q), decimal.NewFromInt(1)
	if q.IsNegative() {
		lo, hi, sign = hi, cum, sign.Neg()
	}
	lo = decimal.Max(lo, decimal.Zero)
	var out []Portion
	bottom := decimal.Zero
	for i, rate := range rates {
		top := decimal.Decimal{}
		open := i >= len(limits)
		if !open {
			top = limits[i]
		}
		from := decimal.Max(lo, bottom)
		to := hi
		if !open {
			to = decimal.Min(hi, top)
		}
		if to.GreaterThan(from) {
			p := taxed(c, to.Sub(from).Mul(sign), rate)
			p.Bracket = i + 1
			out = append(out, p)
		}
		if !open {
			bottom = top
		}
	}
	return out
}

// piece is the part of a period's quantity under one rate version.
type piece struct {
	on       civil.Date
	quantity decimal.Decimal
}

// splitByRate splits q over the rate versions in force between from and to,
// in proportion to days. Gas from tax year 2026 is also split at 1 July,
// the edge of the half-year declarations, so that each half's piece fills
// the annual brackets in the order of its days. Quantities are kept to
// three decimals, and the last piece takes the remainder so the pieces add
// up to q exactly.
func splitByRate(t *Rates, c Commodity, from, to civil.Date, q decimal.Decimal) ([]piece, error) {
	if to.IsZero() || to.Before(from) {
		to = from
	}
	changes := t.changeDates(c, from, to)
	if c == Gas {
		changes = addHalfYearEdges(changes, from, to)
	}
	if len(changes) == 0 {
		return []piece{{on: from, quantity: q}}, nil
	}
	total := decimal.NewFromInt(int64(daysBetween(from, to) + 1))
	starts := append([]civil.Date{from}, changes...)
	out := make([]piece, 0, len(starts))
	left := q
	for i, s := range starts {
		if i == len(starts)-1 {
			out = append(out, piece{on: s, quantity: left})
			break
		}
		days := decimal.NewFromInt(int64(daysBetween(s, starts[i+1])))
		part := q.Mul(days).Div(total).Round(3)
		out = append(out, piece{on: s, quantity: part})
		left = left.Sub(part)
	}
	return out, nil
}

// addHalfYearEdges adds to the sorted dates each 1 July after from and up
// to to in the tax years with half-year declarations (from 2026).
func addHalfYearEdges(dates []civil.Date, from, to civil.Date) []civil.Date {
	for y := max(from.Year, 2026); y <= to.Year; y++ {
		edge := civil.Date{Year: y, Month: time.July, Day: 1}
		if edge.After(from) && !edge.After(to) && !slices.Contains(dates, edge) {
			dates = append(dates, edge)
		}
	}
	slices.SortFunc(dates, civil.Date.Compare)
	return dates
}

// daysBetween returns the number of days from a to b.
func daysBetween(a, b civil.Date) int {
	return int(b.Midnight(time.UTC).Sub(a.Midnight(time.UTC)).Hours() / 24)
}
