package accise

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/bludispatcher/dispatcher/internal/civil"
)

// MonthlyDueOf returns the monthly payments due in one half of a tax year,
// keyed as DeclareOptions.MonthlyDue: by SummaryKey of the account, then
// month number. It takes the excise accounts of taxes, the output of
// MonthlyTaxes, and skips ARISGAN and IRS, which keep their instalments.
func MonthlyDueOf(taxes []MonthlyTax, year, half int) map[string]map[int]decimal.Decimal {
	from, to := DeclareOptions{Year: year, Half: half}.Period()
	out := map[string]map[int]decimal.Decimal{}
	for _, t := range taxes {
		if t.Account.Tax.Regional() || !inPeriod(t.Month, from, to) {
			continue
		}
		key := t.Account.Key()
		if out[key] == nil {
			out[key] = map[int]decimal.Decimal{}
		}
		month := int(t.Month.Month)
		out[key][month] = out[key][month].Add(t.Amount)
	}
	return out
}

// dueFor returns what was due in the period for a SummaryKey: the sum of
// the monthly payments when MonthlyDue has the key, otherwise the
// instalments of InstalmentsDue (zero when absent).
func (o DeclareOptions) dueFor(key string) decimal.Decimal {
	months, ok := o.MonthlyDue[key]
	if !ok {
		return o.InstalmentsDue[key]
	}
	sum := decimal.Zero
	for _, v := range months {
		sum = sum.Add(v)
	}
	return sum
}

// monthlyPayments lists the payments due on the six months of the half for
// a SummaryKey, with zero for a month without one. It returns nil when
// MonthlyDue has no such key.
func (o DeclareOptions) monthlyPayments(key string) []MonthlyPayment {
	months, ok := o.MonthlyDue[key]
	if !ok || o.Half == 0 {
		return nil
	}
	first := 1
	if o.Half == 2 {
		first = 7
	}
	out := make([]MonthlyPayment, 0, 6)
	for m := first; m < first+6; m++ {
		out = append(out, MonthlyPayment{Month: m, Amount: Money{months[m]}})
	}
	return out
}

// checkMonthlyDue rejects monthly payments outside a half-year declaration,
// outside its half, or given for a key that InstalmentsDue also has.
func (o DeclareOptions) checkMonthlyDue() error {
	if len(o.MonthlyDue) == 0 {
		return nil
	}
	if o.Half == 0 {
		return fmt.Errorf("%w: monthly payments are declared only in the half-year declarations from 2026; use InstalmentsDue for tax year %d", ErrRegime, o.Year)
	}
	from, to := o.Period()
	keys := make([]string, 0, len(o.MonthlyDue))
	for k := range o.MonthlyDue {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, key := range keys {
		if err := o.checkSummaryKey(key); err != nil {
			return err
		}
		if _, both := o.InstalmentsDue[key]; both {
			return fmt.Errorf("%w: %s has both instalments and monthly payments; give only one", ErrRegime, key)
		}
		for m := range o.MonthlyDue[key] {
			if m < 1 || m > 12 || !inPeriod(civil.Month{Year: o.Year, Month: time.Month(m)}, from, to) {
				return fmt.Errorf("%w: %s has a monthly payment for month %d, outside half %d of %d", ErrRegime, key, m, o.Half, o.Year)
			}
		}
	}
	return nil
}

// checkSummaryKey rejects a MonthlyDue key whose area or chapter no summary
// frame can have, so that a payment is not dropped without notice. Excise is
// kept by ambito, such as "IT/1421" (the XML writes the seat's province
// for the seat's ambito), and ARISGAN and IRS by province, such as
// "TO/ARISGAN".
func (o DeclareOptions) checkSummaryKey(key string) error {
	area, chapter, _ := strings.Cut(key, "/")
	t := o.territory()
	switch chapter {
	case TaxElectricity.Chapter(), ChapterVehicle, ChapterCombustion:
		for _, p := range t.Provinces {
			if p.Ambito == area {
				return nil
			}
		}
		return fmt.Errorf("%w: %s has monthly payments for %q, which is not an ambito; excise is declared by ambito, such as %s",
			ErrRegime, key, area, SummaryKey("IT", chapter))
	case TaxArisgan.Chapter(), TaxIRS.Chapter():
		if _, ok := t.Province(area); ok {
			return nil
		}
		return fmt.Errorf("%w: %s has monthly payments for %q, which is not a province; %s is declared by province, such as %s",
			ErrRegime, key, area, chapter, SummaryKey("TO", chapter))
	}
	return fmt.Errorf("%w: %s has monthly payments for unknown chapter %q; want %s, %s, %s, ARISGAN or IRS",
		ErrRegime, key, chapter, TaxElectricity.Chapter(), ChapterVehicle, ChapterCombustion)
}

// periodShare returns the part of a quantity q spread over the days from
// first to last that falls inside the period, split by days in the same
// way as MonthlyTaxes splits the tax. Each month's part is rounded to the
// thousandth, so the shares of the two halves may differ from q by a
// thousandth.
func periodShare(first, last, from, to civil.Date, q decimal.Decimal) decimal.Decimal {
	sum := decimal.Zero
	for _, part := range splitByMonth(first, last, q) {
		if inPeriod(part.month, from, to) {
			sum = sum.Add(part.quantity)
		}
	}
	return sum
}

// clipToPeriod returns the portions of a line restricted to the period.
// A portion covers the days of its piece of the line (see splitByRate and
// splitAtNewYear), from its On date to the day before the next piece's On
// date. Each portion's quantity is scaled to its days inside the period,
// and its amount is recomputed at its rate. Rates and classes stay, and a
// portion with no day inside is left out.
func clipToPeriod(l Line, from, to civil.Date, portions []Portion) []Portion {
	if !l.From.Before(from) && !l.To.After(to) {
		return portions
	}
	out := make([]Portion, 0, len(portions))
	for _, p := range portions {
		first, last := portionDays(l, portions, p.On)
		q := periodShare(first, last, from, to, p.Quantity)
		if q.IsZero() && !p.Quantity.IsZero() {
			// The portion's days are all in the other half.
			continue
		}
		p.Quantity, p.Amount = q, Round(q.Mul(p.Rate))
		out = append(out, p)
	}
	return out
}

// portionDays returns the first and last day of the line that the portions
// of the piece starting on "on" cover. GasYear dates each portion with the
// first day of its piece, which is a rate version, a half-year or a
// calendar year inside the bill.
func portionDays(l Line, portions []Portion, on civil.Date) (civil.Date, civil.Date) {
	first, last := l.From, l.To
	if on.After(first) && !on.After(last) {
		first = on
	}
	for _, p := range portions {
		if p.On.After(first) && !p.On.After(last) {
			last = p.On.AddDays(-1)
		}
	}
	return first, last
}

// clipLine returns the line with its dates and quantity restricted to the
// period, for the client list.
func clipLine(l Line, from, to civil.Date) Line {
	l.Quantity = periodShare(l.From, l.To, from, to, l.Quantity)
	if l.From.Before(from) {
		l.From = from
	}
	if l.To.After(to) {
		l.To = to
	}
	return l
}

// halfYearDeclarant returns the frontispiece of a half-year declaration:
// the company and activity codes only, as in the public half-year
// electricity XML.
func halfYearDeclarant(d Declarant) Declarant {
	return Declarant{CompanyCode: d.CompanyCode, ActivityCode: d.ActivityCode}
}
