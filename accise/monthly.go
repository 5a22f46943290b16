package accise

import (
	"fmt"
	"sort"

	"github.com/shopspring/decimal"

	"github.com/bludispatcher/dispatcher/internal/anomaly"
	"github.com/bludispatcher/dispatcher/internal/civil"
)

// MonthlyTax is the tax on one month's quantities of one account.
type MonthlyTax struct {
	// Account is the account the tax is owed to.
	Account Account
	// Month is the month of the quantities.
	Month civil.Month
	// Amount is the tax, rounded to the cent.
	Amount decimal.Decimal
	// Lines are the indexes of the computed lines behind the amount.
	Lines []int
}

type monthlyKey struct {
	account Account
	month   civil.Month
}

// MonthlyTaxes sums the computed tax by account and month of quantities:
// electricity from the supply-months, gas excise, ARISGAN and IRS from the
// lines. A gas line spanning several months gives each month the tax of its
// share of the quantity by days, with the annual brackets filled in date
// order. Gas lines of exempt use carry IRS, and the others carry ARISGAN.
//
// A correction with an issue date (Line.Issued) counts in full in the month it
// was issued, whatever period it corrects. Each monthly payment is due on
// the previous month's actual quantities, and a correction is known only
// once issued. The half-year declaration that contains that month declares
// it as well. A gas correction without an issue date is shared over the
// months it corrects, like an invoice. An electricity correction without
// one is left out.
func MonthlyTaxes(c *Computation, company string, t *Territory) ([]MonthlyTax, error) {
	return monthlyTaxes(c, company, t, nil)
}

// MonthlyTaxesKnown is MonthlyTaxes for a declaration written despite
// blocking anomalies. It leaves out the supply-months and gas lines whose
// province is not in the territory table, with one warning (code
// CodeProvinceUnknown) per line left out, where MonthlyTaxes fails.
func MonthlyTaxesKnown(c *Computation, company string, t *Territory) ([]MonthlyTax, anomaly.List, error) {
	var skipped anomaly.List
	seen := map[int]bool{}
	skip := func(province string, line int) bool {
		if _, ok := t.Province(province); ok {
			return false
		}
		if !seen[line] {
			seen[line] = true
			skipped = append(skipped, finding(c.Lines[line], CodeProvinceUnknown, Warning, "provincia", province,
				"the province is not in the territory table, so the line's tax is left out of the monthly payments; correct the province"))
		}
		return true
	}
	taxes, err := monthlyTaxes(c, company, t, skip)
	return taxes, skipped, err
}

// monthlyTaxes implements MonthlyTaxes. When skip is not nil, it is called
// with the province and the index of a line (for a supply-month its last
// line), and a true result leaves that supply-month or line out.
func monthlyTaxes(c *Computation, company string, t *Territory, skip func(province string, line int) bool) ([]MonthlyTax, error) {
	sums := map[monthlyKey]*MonthlyTax{}
	add := func(tax Tax, province string, m civil.Month, amount decimal.Decimal, lines []int) error {
		area, err := AreaOf(t, tax, province, m.Year)
		if err != nil {
			return err
		}
		k := monthlyKey{Account{Company: company, Tax: tax, Area: area}, m}
		s := sums[k]
		if s == nil {
			s = &MonthlyTax{Account: k.account, Month: m, Amount: decimal.Zero}
			sums[k] = s
		}
		s.Amount = s.Amount.Add(amount)
		s.Lines = append(s.Lines, lines...)
		return nil
	}
	for _, sm := range c.Months {
		if skip != nil && len(sm.Lines) > 0 && skip(sm.Province, sm.Lines[len(sm.Lines)-1]) {
			continue
		}
		if err := add(TaxElectricity, sm.Province, sm.Month, Excise(sm.Portions), sm.Lines); err != nil {
			return nil, fmt.Errorf("accise: supply %s month %s: %w", sm.Supply, sm.Month, err)
		}
	}
	for i, l := range c.Lines {
		if l.Commodity != Electricity || l.Kind != Correction || l.Issued.IsZero() || i >= len(c.PerLine) {
			continue
		}
		if skip != nil && skip(l.Province, i) {
			continue
		}
		if err := add(TaxElectricity, l.Province, l.Issued.MonthOf(), Excise(c.PerLine[i].Excise), []int{i}); err != nil {
			return nil, fmt.Errorf("accise: %s row %d: %w", l.File, l.Row, err)
		}
	}
	for i, l := range c.Lines {
		if l.Commodity != Gas || i >= len(c.PerLine) {
			continue
		}
		if skip != nil && skip(l.Province, i) {
			continue
		}
		if err := addGasLine(add, l, c.PerLine[i], i); err != nil {
			return nil, err
		}
	}
	out := make([]MonthlyTax, 0, len(sums))
	for _, s := range sums {
		s.Amount = Round(s.Amount)
		out = append(out, *s)
	}
	sort.Slice(out, func(a, b int) bool {
		if out[a].Account != out[b].Account {
			return accountLess(out[a].Account, out[b].Account)
		}
		return out[a].Month.Index() < out[b].Month.Index()
	})
	return out, nil
}

func addGasLine(add func(Tax, string, civil.Month, decimal.Decimal, []int) error, l Line, r LineResult, i int) error {
	type share struct {
		tax   Tax
		month civil.Month
	}
	sums := map[share]decimal.Decimal{}
	spread := func(taxOf func(Portion) Tax, portions []Portion) {
		for _, group := range portionsByPiece(portions) {
			first, last := portionDays(l, portions, group[0].On)
			if l.Kind == Correction && !l.Issued.IsZero() {
				first, last = l.Issued, l.Issued
			}
			for _, part := range amountsByMonth(first, last, group) {
				k := share{taxOf(group[0]), part.month}
				sums[k] = sums[k].Add(part.quantity)
			}
		}
	}
	spread(func(p Portion) Tax {
		if p.Class == ClassVehicle {
			return TaxGasVehicle
		}
		return TaxGasCombustion
	}, r.Excise)
	spread(func(Portion) Tax {
		if l.Use == UseExempt {
			return TaxIRS
		}
		return TaxArisgan
	}, r.Surcharge)
	keys := make([]share, 0, len(sums))
	for k := range sums {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(a, b int) bool {
		if keys[a].tax != keys[b].tax {
			return taxIndex(keys[a].tax) < taxIndex(keys[b].tax)
		}
		return keys[a].month.Index() < keys[b].month.Index()
	})
	for _, k := range keys {
		if err := add(k.tax, l.Province, k.month, sums[k], []int{i}); err != nil {
			return fmt.Errorf("accise: %s row %d: %w", l.File, l.Row, err)
		}
	}
	return nil
}

// portionsByPiece groups the portions of a gas line by the piece they
// cover (a rate version, a half-year or a calendar year), keeping their
// order. The portions of one piece share their On day.
func portionsByPiece(portions []Portion) [][]Portion {
	var groups [][]Portion
	for _, p := range portions {
		if n := len(groups); n > 0 && groups[n-1][0].On == p.On {
			groups[n-1] = append(groups[n-1], p)
			continue
		}
		groups = append(groups, []Portion{p})
	}
	return groups
}

// amountsByMonth shares the tax of one piece of a gas line between the
// months from first to last. The monthly payment is due on the quantities
// of each month, so the piece's quantity is split over its months by days.
// The months then take the piece's bracket portions in date order, because
// the annual brackets fill up across the year, so the earliest month pays
// the lowest bracket. A credit undoes its portions in the same order and so
// mirrors the invoice it reverses. A piece whose portions differ in sign (a
// credit larger than the year so far) has no such order, so each of its
// portions is spread over the months by days.
func amountsByMonth(first, last civil.Date, group []Portion) []monthPart {
	total := decimal.Zero
	for _, p := range group {
		if p.Quantity.Sign() == 0 || p.Quantity.Sign() != group[0].Quantity.Sign() || !p.Fixed.IsZero() {
			return spreadByDays(first, last, group)
		}
		total = total.Add(p.Quantity)
	}
	var out []monthPart
	// next is the portion being filled, of which usedQty and usedAmount
	// are already given to earlier months.
	next, usedQty, usedAmount := 0, decimal.Zero, decimal.Zero
	for _, part := range splitByMonth(first, last, total.Abs()) {
		need, amount := part.quantity, decimal.Zero
		for need.IsPositive() && next < len(group) {
			p := group[next]
			size := p.Quantity.Abs()
			take := decimal.Min(need, size.Sub(usedQty))
			usedQty, need = usedQty.Add(take), need.Sub(take)
			if usedQty.Equal(size) {
				// The portion's last share takes what is left of its
				// amount, so the shares add up to it exactly.
				amount = amount.Add(p.Amount.Sub(usedAmount))
				next, usedQty, usedAmount = next+1, decimal.Zero, decimal.Zero
				continue
			}
			share := p.Amount.Mul(take).Div(size)
			amount, usedAmount = amount.Add(share), usedAmount.Add(share)
		}
		out = append(out, monthPart{part.month, amount})
	}
	return out
}

// spreadByDays splits the amount of each portion over the months from
// first to last in proportion to days.
func spreadByDays(first, last civil.Date, group []Portion) []monthPart {
	var out []monthPart
	for _, p := range group {
		out = append(out, splitByMonth(first, last, p.Amount)...)
	}
	return out
}

// MonthlyPayments returns the payments of the monthly regime as amounts
// due: the tax on each month's quantities, due by the end of the next
// month (moved to a working day). A month whose credit notes exceed its
// invoices gives a credit arising on that due date. Months of tax years up
// to 2025 and the regional taxes, which keep their instalments, are
// skipped.
//
// NOTE: whether the January 2026 payment covers the December 2025
// quantities is not public; those quantities are skipped as legacy.
func MonthlyPayments(taxes []MonthlyTax, opts ScheduleOptions) ([]Movement, error) {
	var out []Movement
	for _, t := range taxes {
		if RegimeOf(t.Account.Tax, t.Month.Year) != RegimeMonthly || t.Amount.IsZero() {
			continue
		}
		due, err := opts.DueDate(t.Account.Tax, RegimeMonthly, t.Month.AddMonths(1))
		if err != nil {
			return nil, err
		}
		m := Movement{Account: t.Account, Date: due, Period: t.Month, Kind: MoveDue, Amount: t.Amount,
			Source: Source{Kind: SourceQuantities, Ref: "quantita " + t.Month.Italian()},
			Note:   fmt.Sprintf("versamento mensile sui quantitativi di %s", t.Month.Italian())}
		if t.Amount.IsNegative() {
			m.Kind, m.Amount = MoveCredit, t.Amount.Neg()
			m.Note = fmt.Sprintf("credito dai quantitativi negativi di %s", t.Month.Italian())
		}
		out = append(out, m)
	}
	return out, nil
}
