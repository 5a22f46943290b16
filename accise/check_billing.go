package accise

import (
	"fmt"
	"sort"

	"github.com/shopspring/decimal"

	"github.com/bludispatcher/dispatcher/internal/anomaly"
)

func checkBilled(c *Computation, opts CheckOptions) anomaly.List {
	var found anomaly.List
	for _, sm := range c.Months {
		if sm.Billed == nil {
			continue
		}
		want := Excise(sm.Portions)
		if diff := sm.Billed.Sub(want); diff.Abs().GreaterThan(opts.Tolerance) {
			l := c.Lines[sm.Lines[0]]
			found = append(found, finding(l, CodeBilledExciseDiffers, Warning, "accisa_fatturata", sm.Billed.StringFixed(2),
				fmt.Sprintf("billed excise for %s is %s €, computed %s € (difference %s €); re-issue the bill or correct the use, residence or power",
					sm.Month.Italian(), sm.Billed.StringFixed(2), want.StringFixed(2), diff.StringFixed(2))))
		}
	}
	for i, l := range c.Lines {
		if l.Commodity != Gas {
			continue
		}
		r := c.PerLine[i]
		found = append(found, compareBilled(l, "accisa_fatturata", "excise", l.BilledExcise, LineTotal(r.Excise), opts.Tolerance)...)
		found = append(found, compareBilled(l, "addizionale_fatturata", "ARISGAN or IRS", l.BilledSurcharge, LineTotal(r.Surcharge), opts.Tolerance)...)
	}
	return found
}

func compareBilled(l Line, field, what string, billed *decimal.Decimal, want, tol decimal.Decimal) anomaly.List {
	if billed == nil {
		return nil
	}
	diff := billed.Sub(want)
	if !diff.Abs().GreaterThan(tol) {
		return nil
	}
	return anomaly.List{finding(l, CodeBilledExciseDiffers, Warning, field, billed.StringFixed(2),
		fmt.Sprintf("billed %s is %s €, computed %s € (difference %s €); re-issue the bill or correct the use, location or climate zone",
			what, billed.StringFixed(2), want.StringFixed(2), diff.StringFixed(2)))}
}

// checkBilledTwice flags invoices of one supply whose periods overlap, unless
// a credit note of that supply overlaps them too (a cancelled and re-issued
// bill).
func checkBilledTwice(lines []Line) anomaly.List {
	invoices := map[string][]int{}
	credits := map[string][]int{}
	for i, l := range lines {
		switch l.Kind {
		case Invoice:
			invoices[l.Supply] = append(invoices[l.Supply], i)
		case CreditNote:
			credits[l.Supply] = append(credits[l.Supply], i)
		}
	}
	var found anomaly.List
	for supply, idx := range invoices {
		sort.Slice(idx, func(a, b int) bool { return lines[idx[a]].From.Before(lines[idx[b]].From) })
		for k := 1; k < len(idx); k++ {
			prev, cur := lines[idx[k-1]], lines[idx[k]]
			if cur.From.After(prev.To) || creditCovers(lines, credits[supply], cur) {
				continue
			}
			found = append(found, finding(cur, CodeBilledTwice, Blocking, "periodo", cur.From.Italian()+"-"+cur.To.Italian(),
				fmt.Sprintf("the supply was already invoiced for this period on row %d (%s); cancel one bill with a credit note", prev.Row, prev.Document)))
		}
	}
	return found
}

func creditCovers(lines []Line, credits []int, l Line) bool {
	for _, i := range credits {
		c := lines[i]
		if !c.From.After(l.To) && !c.To.Before(l.From) {
			return true
		}
	}
	return false
}

// checkOutliers compares each electricity supply-month, and each gas line's
// daily average, with the supply's usual quantity.
func checkOutliers(c *Computation, opts CheckOptions) anomaly.List {
	if !opts.OutlierFactor.IsPositive() {
		return nil
	}
	var found anomaly.List
	months := map[string][]SupplyMonth{}
	for _, sm := range c.Months {
		months[sm.Supply] = append(months[sm.Supply], sm)
	}
	for supply, sms := range months {
		qs := make([]decimal.Decimal, len(sms))
		for i, sm := range sms {
			qs[i] = sm.KWh
		}
		usual, ok := usualQuantity(opts.History, supply, qs)
		if !ok {
			continue
		}
		for _, sm := range sms {
			if outlier(sm.KWh, usual, opts.OutlierFactor) {
				l := c.Lines[sm.Lines[0]]
				found = append(found, finding(l, CodeConsumptionOutlier, Warning, "quantita", sm.KWh.String(),
					fmt.Sprintf("%s kWh in %s is far from the usual %s kWh a month; check the reading and the unit", sm.KWh, sm.Month.Italian(), usual.Round(0))))
			}
		}
	}
	found = append(found, gasOutliers(c, opts)...)
	return found
}

func gasOutliers(c *Computation, opts CheckOptions) anomaly.List {
	perDay := map[string][]int{}
	for i, l := range c.Lines {
		if l.Commodity == Gas && l.Kind == Invoice {
			perDay[l.Supply] = append(perDay[l.Supply], i)
		}
	}
	var found anomaly.List
	thirty := decimal.NewFromInt(30)
	for supply, idx := range perDay {
		qs := make([]decimal.Decimal, len(idx))
		for k, i := range idx {
			qs[k] = monthlyRate(c.Lines[i]).Mul(thirty)
		}
		usual, ok := usualQuantity(opts.History, supply, qs)
		if !ok {
			continue
		}
		for k, i := range idx {
			if outlier(qs[k], usual, opts.OutlierFactor) {
				l := c.Lines[i]
				found = append(found, finding(l, CodeConsumptionOutlier, Warning, "quantita", l.Quantity.String(),
					fmt.Sprintf("%s m³ over %d days is far from the usual %s m³ a month; check the reading and the unit",
						l.Quantity, daysBetween(l.From, l.To)+1, usual.Round(0))))
			}
		}
	}
	return found
}

// monthlyRate returns the quantity per day of a line.
func monthlyRate(l Line) decimal.Decimal {
	return l.Quantity.Div(decimal.NewFromInt(int64(daysBetween(l.From, l.To) + 1)))
}

// usualQuantity returns the supply's quantity from history, or the median of
// qs when there are at least three values.
func usualQuantity(history map[string]decimal.Decimal, supply string, qs []decimal.Decimal) (decimal.Decimal, bool) {
	if h, ok := history[supply]; ok {
		return h, h.IsPositive()
	}
	if len(qs) < 3 {
		return decimal.Zero, false
	}
	sorted := append([]decimal.Decimal(nil), qs...)
	sort.Slice(sorted, func(a, b int) bool { return sorted[a].LessThan(sorted[b]) })
	m := sorted[len(sorted)/2]
	if len(sorted)%2 == 0 {
		m = sorted[len(sorted)/2-1].Add(m).Div(decimal.NewFromInt(2))
	}
	return m, m.IsPositive()
}

func outlier(q, usual, factor decimal.Decimal) bool {
	if !q.IsPositive() {
		return false
	}
	return q.GreaterThan(usual.Mul(factor)) || q.Mul(factor).LessThan(usual)
}

func checkDiscontinuity(c *Computation) anomaly.List {
	var found anomaly.List
	for _, sm := range c.Months {
		for _, p := range sm.Portions {
			if p.Class != ClassAboveCap {
				continue
			}
			l := c.Lines[sm.Lines[0]]
			found = append(found, finding(l, CodeDiscontinuityCrossed, Warning, "quantita", sm.KWh.String(),
				fmt.Sprintf("%s kWh in %s exceed 1,200,000 kWh, so the month pays 0.0125 €/kWh on 200,000 kWh plus a fixed %s € and less than a month just below; confirm the reading",
					sm.KWh, sm.Month.Italian(), p.Fixed.StringFixed(2))))
		}
	}
	return found
}
