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
// lines, a line spanning several months split in proportion to its days.
// Gas lines of exempt use carry IRS; the others carry ARISGAN.
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
// with the province and the index of a line (for electricity the month's
// last line), and a true result leaves that supply-month or gas line out.
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
	// A portion covers only the days of its piece of the line (a rate
	// version, a half-year or a calendar year), so each one is split over
	// its own days.
	sums := map[share]decimal.Decimal{}
	spread := func(tax Tax, portions []Portion, p Portion) {
		first, last := portionDays(l, portions, p.On)
		for _, part := range splitByMonth(first, last, p.Amount) {
			k := share{tax, part.month}
			sums[k] = sums[k].Add(part.quantity)
		}
	}
	for _, p := range r.Excise {
		tax := TaxGasCombustion
		if p.Class == ClassVehicle {
			tax = TaxGasVehicle
		}
		spread(tax, r.Excise, p)
	}
	surcharge := TaxArisgan
	if l.Use == UseExempt {
		surcharge = TaxIRS
	}
	for _, p := range r.Surcharge {
		spread(surcharge, r.Surcharge, p)
	}
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
