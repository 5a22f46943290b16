package accise

import (
	"fmt"
	"sort"
	"time"

	"github.com/shopspring/decimal"

	"github.com/bludispatcher/dispatcher/internal/anomaly"
	"github.com/bludispatcher/dispatcher/internal/civil"
)

// SupplyMonth is the computed excise of one electricity supply in one month:
// the net of its invoices and credit notes for that month.
type SupplyMonth struct {
	// Supply is the POD.
	Supply string
	// Month is the calendar month.
	Month civil.Month
	// Province is the province of the last line of the month.
	Province string
	// Municipality is the cadastral code of the last line of the month.
	Municipality string
	// Use is the use category of the last line of the month.
	Use Use
	// KWh is the net billed quantity of the month.
	KWh decimal.Decimal
	// Portions are the taxed parts of KWh.
	Portions []Portion
	// Lines are the indexes of the lines that make up the month.
	Lines []int
	// Billed is the excise billed on those lines; nil unless every line
	// gives it, since a partial sum cannot be compared with the month.
	Billed *decimal.Decimal
}

// LineResult is the computed tax of one line.
type LineResult struct {
	// Excise holds the gas portions of the line, or for electricity
	// corrections the portions of the corrected quantity.
	Excise []Portion
	// Surcharge holds the ARISGAN or IRS portions of a gas line.
	Surcharge []Portion
}

// Computation is the computed tax of a set of billing lines.
type Computation struct {
	// Lines are the computed billing lines.
	Lines []Line
	// PerLine is parallel to Lines. Electricity lines that are not
	// corrections have empty results: their tax is in Months.
	PerLine []LineResult
	// Months are the electricity supply-months, by supply and month.
	Months []SupplyMonth
}

// ComputeOptions configures Compute.
type ComputeOptions struct {
	// Rates defaults to DefaultRates.
	Rates *Rates
	// Territory defaults to DefaultTerritory.
	Territory *Territory
}

func (o ComputeOptions) rates() *Rates {
	if o.Rates != nil {
		return o.Rates
	}
	return DefaultRates()
}

func (o ComputeOptions) territory() *Territory {
	if o.Territory != nil {
		return o.Territory
	}
	return DefaultTerritory()
}

// Compute computes the tax of every line. Electricity is computed per supply
// per month: a line whose period spans several months is split between them
// in proportion to days. Gas is computed per supply and calendar year, with
// the annual brackets applied progressively. A bill across 1 January is
// split there by days, so its part of each year fills that year's brackets.
// Corrections of earlier periods are computed on their own quantity. Lines
// that cannot be computed (unknown use, no rate in force) become blocking
// anomalies.
func Compute(lines []Line, opts ComputeOptions) (*Computation, anomaly.List) {
	c := &Computation{Lines: lines, PerLine: make([]LineResult, len(lines))}
	var found anomaly.List
	found = append(found, c.computeElectricity(opts)...)
	found = append(found, c.computeGas(opts)...)
	return c, found
}

func computeFailure(l Line, err error) Anomaly {
	return Anomaly{
		Code: CodeNotComputable, Rule: "compute", Severity: Blocking, File: l.File, Line: l.Row, Key: l.Supply,
		Field: "categoria_uso", Value: string(l.Use),
		Message: fmt.Sprintf("the excise could not be computed: %v; correct the line or the rate table", err),
	}
}

type monthKey struct {
	supply string
	month  civil.Month
}

func (c *Computation) computeElectricity(opts ComputeOptions) anomaly.List {
	var found anomaly.List
	months := map[monthKey]*SupplyMonth{}
	for i, l := range c.Lines {
		if l.Commodity != Electricity {
			continue
		}
		if l.Kind == Correction {
			ps, err := electricityCorrection(opts.rates(), l)
			if err != nil {
				found = append(found, computeFailure(l, err))
			}
			c.PerLine[i].Excise = ps
			continue
		}
		parts := splitByMonth(l.From, l.To, l.Quantity)
		for _, part := range parts {
			k := monthKey{l.Supply, part.month}
			sm := months[k]
			if sm == nil {
				sm = &SupplyMonth{Supply: l.Supply, Month: part.month, KWh: decimal.Zero}
				months[k] = sm
			}
			sm.Province, sm.Municipality, sm.Use = l.Province, l.Municipality, l.Use
			sm.KWh = sm.KWh.Add(part.quantity)
			sm.Lines = append(sm.Lines, i)
			if l.BilledExcise != nil {
				sm.Billed = addPtr(sm.Billed, billedShare(*l.BilledExcise, l.Quantity, part.quantity, len(parts)))
			}
		}
	}
	for _, sm := range months {
		for _, i := range sm.Lines {
			if c.Lines[i].BilledExcise == nil {
				sm.Billed = nil
				break
			}
		}
		last := c.Lines[sm.Lines[len(sm.Lines)-1]]
		// NOTE: the month is taxed at the rates of its first day. A rate
		// version starting mid-month is not split out, because the monthly
		// exemption and slices have no public rule for a partial month.
		r, err := opts.rates().ElectricityAt(sm.Month.First())
		if err == nil {
			sm.Portions, err = electricityMonthOf(last, sm.KWh).Compute(r)
		}
		if err != nil {
			found = append(found, computeFailure(last, err))
		}
		c.Months = append(c.Months, *sm)
	}
	sort.Slice(c.Months, func(a, b int) bool {
		if c.Months[a].Supply != c.Months[b].Supply {
			return c.Months[a].Supply < c.Months[b].Supply
		}
		return c.Months[a].Month.Index() < c.Months[b].Month.Index()
	})
	return found
}

// billedShare returns the part of a line's billed excise that falls in one
// month: in proportion to quantity, or evenly when the quantity is zero.
func billedShare(billed, total, part decimal.Decimal, months int) decimal.Decimal {
	if months == 1 {
		return billed
	}
	if total.IsZero() {
		return billed.Div(decimal.NewFromInt(int64(months)))
	}
	return billed.Mul(part).Div(total)
}

func addPtr(p *decimal.Decimal, d decimal.Decimal) *decimal.Decimal {
	if p == nil {
		return decimalPtr(d)
	}
	return decimalPtr(p.Add(d))
}

func electricityMonthOf(l Line, kwh decimal.Decimal) ElectricityMonth {
	m := ElectricityMonth{Use: l.Use, Resident: l.IsResident(), KWh: kwh}
	if l.PowerKW != nil {
		m.PowerKW = *l.PowerKW
	}
	return m
}

// electricityCorrection computes a correction as a month of its own
// quantity, at the rates of the corrected period's first day.
//
// NOTE: the slice of a non-dwelling correction depends on the corrected
// month's total, which a correction line does not carry. Computed alone, the
// correction falls in the first slice.
func electricityCorrection(t *Rates, l Line) ([]Portion, error) {
	r, err := t.ElectricityAt(l.From)
	if err != nil {
		return nil, err
	}
	return electricityMonthOf(l, l.Quantity).Compute(r)
}

type monthPart struct {
	month    civil.Month
	quantity decimal.Decimal
}

// splitByMonth splits q over the months between from and to in proportion to
// days. The last month takes the remainder, so the parts add up to q.
func splitByMonth(from, to civil.Date, q decimal.Decimal) []monthPart {
	if to.Before(from) {
		to = from
	}
	first, last := from.MonthOf(), to.MonthOf()
	if first == last {
		return []monthPart{{first, q}}
	}
	total := decimal.NewFromInt(int64(daysBetween(from, to) + 1))
	var out []monthPart
	left := q
	for m := first; m.Index() <= last.Index(); m = m.AddMonths(1) {
		if m == last {
			out = append(out, monthPart{m, left})
			break
		}
		start := from
		if m != first {
			start = m.First()
		}
		days := decimal.NewFromInt(int64(daysBetween(start, m.Last()) + 1))
		part := q.Mul(days).Div(total).Round(3)
		out = append(out, monthPart{m, part})
		left = left.Sub(part)
	}
	return out
}

// gasSegment is the part of a gas line that falls in one calendar year,
// the unit whose quantity fills that year's brackets.
type gasSegment struct {
	line     int
	from, to civil.Date
	quantity decimal.Decimal
}

// splitAtNewYear splits a line at each 1 January inside its period in
// proportion to days, as splitByRate splits it at a rate change, so each
// year's part fills that year's brackets from its own days.
func splitAtNewYear(i int, l Line) []gasSegment {
	if l.To.Year <= l.From.Year {
		return []gasSegment{{line: i, from: l.From, to: l.To, quantity: l.Quantity}}
	}
	total := decimal.NewFromInt(int64(daysBetween(l.From, l.To) + 1))
	var out []gasSegment
	left := l.Quantity
	for from := l.From; ; {
		if from.Year == l.To.Year {
			return append(out, gasSegment{line: i, from: from, to: l.To, quantity: left})
		}
		to := civil.Date{Year: from.Year, Month: time.December, Day: 31}
		days := decimal.NewFromInt(int64(daysBetween(from, to) + 1))
		part := l.Quantity.Mul(days).Div(total).Round(3)
		out = append(out, gasSegment{line: i, from: from, to: to, quantity: part})
		left = left.Sub(part)
		from = to.AddDays(1)
	}
}

// computeGas computes the gas lines by supply and calendar year. A
// correction is computed alone, as a year of its own.
func (c *Computation) computeGas(opts ComputeOptions) anomaly.List {
	var found anomaly.List
	byYear := map[string][]gasSegment{}
	var keys []string
	failed := map[int]bool{}
	for i, l := range c.Lines {
		if l.Commodity != Gas {
			continue
		}
		if l.Kind == Correction {
			found = append(found, c.computeGasSegments(opts, []gasSegment{{line: i, from: l.From, to: l.To, quantity: l.Quantity}}, failed)...)
			continue
		}
		for _, seg := range splitAtNewYear(i, l) {
			key := fmt.Sprintf("%s/%d", l.Supply, seg.from.Year)
			if _, ok := byYear[key]; !ok {
				keys = append(keys, key)
			}
			byYear[key] = append(byYear[key], seg)
		}
	}
	for _, key := range keys {
		found = append(found, c.computeGasSegments(opts, byYear[key], failed)...)
	}
	for i, l := range c.Lines {
		if l.Commodity != Gas {
			continue
		}
		if failed[i] {
			// A line with a year that failed keeps no partial result.
			c.PerLine[i] = LineResult{}
			continue
		}
		found = append(found, c.computeSurcharge(opts, i)...)
	}
	return found
}

// computeGasSegments computes the excise of the segments of one supply as
// one year of bills, appending each segment's portions to its line in the
// order of their dates. The lines of a year that cannot be computed are
// marked in failed.
//
// NOTE: a correction is computed as a year of its own, so its quantity fills
// the brackets from zero. The line does not carry the bracket position of
// the corrected period.
func (c *Computation) computeGasSegments(opts ComputeOptions, segs []gasSegment, failed map[int]bool) anomaly.List {
	bills := make([]GasBill, len(segs))
	for j, seg := range segs {
		l := c.Lines[seg.line]
		bills[j] = GasBill{From: seg.from, To: seg.to, Quantity: seg.quantity, Use: l.Use, ExCasmez: l.ExCasmez}
	}
	out, err := GasYear(opts.rates(), bills)
	if err != nil {
		for _, seg := range segs {
			failed[seg.line] = true
		}
		return anomaly.List{computeFailure(c.Lines[segs[0].line], err)}
	}
	for j, seg := range segs {
		excise := append(c.PerLine[seg.line].Excise, out[j]...)
		sort.SliceStable(excise, func(a, b int) bool { return excise[a].On.Before(excise[b].On) })
		c.PerLine[seg.line].Excise = excise
	}
	return nil
}

// computeSurcharge computes the ARISGAN or IRS of a gas line from its
// excise portions.
func (c *Computation) computeSurcharge(opts ComputeOptions, i int) anomaly.List {
	l := c.Lines[i]
	region, ok := opts.territory().RegionOf(l.Province)
	if !ok || region.SpecialStatute {
		return nil
	}
	excise := c.PerLine[i].Excise
	if l.Use == UseExempt {
		c.PerLine[i].Surcharge = IRS(opts.rates(), region.Code, excise)
		return nil
	}
	c.PerLine[i].Surcharge = Arisgan(opts.rates(), region.Code, l.ClimateZone, l.ExCasmez, excise)
	if (l.Use == UseCivil || l.Use == UseIndustrial) && !opts.rates().arisganCovers(region.Code, l.From) {
		return anomaly.List{computeFailure(l, fmt.Errorf("%w: ARISGAN of %s on %s", ErrNoRate, region.Name, l.From))}
	}
	return nil
}
