package edi

import (
	"sort"

	"github.com/shopspring/decimal"

	"github.com/bludispatcher/dispatcher/internal/civil"
)

// PointMonth identifies one point in one month.
type PointMonth struct {
	Point string
	Month civil.Month
}

// CostOptions are the settings of a CostAnalyzer.
type CostOptions struct {
	// Codes gives the group of each component. Nil means
	// DefaultTransportCodes.
	Codes *TransportCodes
	// EnergyComponent is the electricity component whose quantity is the
	// energy of a POD, for the cost per kWh. Empty means TRAS.
	EnergyComponent string
	// Billed is the amount billed to the customer of each point and month,
	// net of VAT, when known.
	Billed map[PointMonth]decimal.Decimal
}

// ComponentCost is the cost of one component of one point in one month.
type ComponentCost struct {
	PointMonth
	Component string
	Group     ComponentGroup
	// Amount is the sum of the charges, net of VAT, in euro.
	Amount decimal.Decimal
	// Quantity is the sum of the charges' quantities when they share one
	// unit; Unit is that unit, empty when the charges mix units.
	Quantity decimal.Decimal
	Unit     string
	// UnitCost is Amount / Quantity, rounded to 6 decimals; HasUnitCost is
	// false when the quantity is zero or the units are mixed.
	UnitCost    decimal.Decimal
	HasUnitCost bool
	// Previous is the amount of the same point and component in the
	// previous month; HasPrevious is false when there was none.
	Previous    decimal.Decimal
	HasPrevious bool
}

// Change returns Amount − Previous, or zero without a previous month.
func (c ComponentCost) Change() decimal.Decimal {
	if !c.HasPrevious {
		return decimal.Zero
	}
	return c.Amount.Sub(c.Previous)
}

// PointCost is the total transport cost of one point in one month.
type PointCost struct {
	PointMonth
	// Amount is the sum of every component, net of VAT, in euro.
	Amount decimal.Decimal
	// EnergyKWh is the quantity of the energy component (electricity only).
	EnergyKWh decimal.Decimal
	// CostPerKWh is Amount / EnergyKWh, rounded to 6 decimals; zero when no
	// energy was billed.
	CostPerKWh decimal.Decimal
	// Previous is the amount of the previous month; HasPrevious is false
	// when there was none.
	Previous    decimal.Decimal
	HasPrevious bool
	// Billed is the amount billed to the customer, from CostOptions.Billed;
	// HasBilled is false when unknown.
	Billed    decimal.Decimal
	HasBilled bool
}

// Margin returns Billed − Amount, or zero when the billed amount is unknown.
func (p PointCost) Margin() decimal.Decimal {
	if !p.HasBilled {
		return decimal.Zero
	}
	return p.Billed.Sub(p.Amount)
}

// CostAnalysis is the result of a CostAnalyzer, sorted by point, month and
// component.
type CostAnalysis struct {
	Components []ComponentCost
	Points     []PointCost
}

// CostAnalyzer sums transport charges per point, month and component.
// Invoices are added one at a time; corrections add to (or, with negative
// amounts, subtract from) the months they bill. A charge belongs to the
// month of its first day.
//
// NOTE: a charge spanning several months is not prorated; it counts in the
// month it starts.
type CostAnalyzer struct {
	opts       CostOptions
	codes      *TransportCodes
	components map[componentKey]*ComponentCost
	mixedUnits map[componentKey]bool
	energy     map[PointMonth]decimal.Decimal
}

type componentKey struct {
	PointMonth
	component string
}

// NewCostAnalyzer returns an empty analyzer.
func NewCostAnalyzer(opts CostOptions) *CostAnalyzer {
	codes := opts.Codes
	if codes == nil {
		codes = DefaultTransportCodes()
	}
	if opts.EnergyComponent == "" {
		opts.EnergyComponent = "TRAS"
	}
	return &CostAnalyzer{opts: opts, codes: codes, components: map[componentKey]*ComponentCost{},
		mixedUnits: map[componentKey]bool{}, energy: map[PointMonth]decimal.Decimal{}}
}

// Add adds the charges of an invoice. Charges without a valid start date
// are skipped.
func (a *CostAnalyzer) Add(t *TransportInvoice) {
	for i := range t.Points {
		p := &t.Points[i]
		for _, c := range p.Charges {
			if !c.From.Valid() {
				continue
			}
			a.addCharge(t.Commodity, p.Code, c)
		}
	}
}

func (a *CostAnalyzer) addCharge(commodity Commodity, point string, c Charge) {
	pm := PointMonth{Point: point, Month: c.From.Value.MonthOf()}
	k := componentKey{pm, c.Component}
	cc, ok := a.components[k]
	if !ok {
		cc = &ComponentCost{PointMonth: pm, Component: c.Component, Group: a.codes.Group(commodity, c.Component), Unit: c.Unit}
		a.components[k] = cc
	}
	cc.Amount = cc.Amount.Add(c.Amount.Value)
	cc.Quantity = cc.Quantity.Add(c.Quantity.Value)
	if cc.Unit != c.Unit || a.mixedUnits[k] {
		cc.Unit = ""
		a.mixedUnits[k] = true
	}
	if commodity == Electricity && c.Component == a.opts.EnergyComponent {
		a.energy[pm] = a.energy[pm].Add(c.Quantity.Value)
	}
}

// Result returns the analysis of every invoice added so far.
func (a *CostAnalyzer) Result() *CostAnalysis {
	out := &CostAnalysis{}
	points := map[PointMonth]*PointCost{}
	for k, cc := range a.components {
		c := *cc
		if prev, ok := a.components[componentKey{PointMonth{c.Point, c.Month.AddMonths(-1)}, c.Component}]; ok {
			c.Previous, c.HasPrevious = prev.Amount, true
		}
		if !c.Quantity.IsZero() && !a.mixedUnits[k] {
			c.UnitCost, c.HasUnitCost = c.Amount.DivRound(c.Quantity, 6), true
		}
		out.Components = append(out.Components, c)
		pc, ok := points[c.PointMonth]
		if !ok {
			pc = &PointCost{PointMonth: c.PointMonth}
			points[c.PointMonth] = pc
		}
		pc.Amount = pc.Amount.Add(c.Amount)
	}
	for pm, pc := range points {
		pc.EnergyKWh = a.energy[pm]
		if !pc.EnergyKWh.IsZero() {
			pc.CostPerKWh = pc.Amount.DivRound(pc.EnergyKWh, 6)
		}
		if prev, ok := points[PointMonth{pm.Point, pm.Month.AddMonths(-1)}]; ok {
			pc.Previous, pc.HasPrevious = prev.Amount, true
		}
		if billed, ok := a.opts.Billed[pm]; ok {
			pc.Billed, pc.HasBilled = billed, true
		}
		out.Points = append(out.Points, *pc)
	}
	sort.Slice(out.Components, func(i, j int) bool {
		x, y := out.Components[i], out.Components[j]
		if x.Point != y.Point {
			return x.Point < y.Point
		}
		if x.Month != y.Month {
			return x.Month.Index() < y.Month.Index()
		}
		return x.Component < y.Component
	})
	sort.Slice(out.Points, func(i, j int) bool {
		x, y := out.Points[i], out.Points[j]
		if x.Point != y.Point {
			return x.Point < y.Point
		}
		return x.Month.Index() < y.Month.Index()
	})
	return out
}
