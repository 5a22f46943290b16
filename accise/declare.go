package accise

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/bludispatcher/dispatcher/internal/civil"
)

// ErrRegime is returned when the options ask for a declaration the regime of
// the tax year does not have.
var ErrRegime = errors.New("accise: invalid declaration regime")

// DeclareOptions configures the building of declarations.
type DeclareOptions struct {
	// Declarant fills the frontispiece (Dich).
	Declarant Declarant
	// Year is the tax year.
	Year int
	// Half is 0 for the annual declaration (tax years up to 2025) or 1 or 2
	// for the half-year declarations (from tax year 2026).
	Half int
	// SeatProvince is the province of the legal seat. Its ambito carries
	// the national frames (EF) and is written with this province code.
	SeatProvince string
	// InstalmentsDue gives the instalments (ratei) due in the period, by
	// SummaryKey; absent keys count as zero.
	InstalmentsDue map[string]decimal.Decimal
	// MonthlyDue gives the monthly payments due on each month's actual
	// quantities (from tax year 2026) for a half-year declaration, by
	// SummaryKey and month number 1 to 12. MonthlyDueOf builds it. For a key
	// it has, the instalments due in the period are the sum of its months,
	// and gas frame L lists each month. A key may be in InstalmentsDue or
	// here, not in both.
	MonthlyDue map[string]map[int]decimal.Decimal
	// PreviousCredit gives the credit not used at 31 December 2021 by
	// SummaryKey of province and chapter, for frame X of tax year 2021.
	PreviousCredit map[string]decimal.Decimal
	// Suppliers fills frame EF.
	Suppliers []Supplier
	// GasSold fills gas frame D, which the billing lines cannot fill
	// because the meaning of its Tipo codes is not public.
	GasSold []GasSale
	// Layout defaults to DefaultLayout.
	Layout *Layout
	// Territory defaults to DefaultTerritory.
	Territory *Territory
}

// SummaryKey is the key of InstalmentsDue: the ambito (or the province for
// ARISGAN, IRS and frame X) and the chapter, such as "IT/1411", "TO/1421"
// or "TO/ARISGAN".
func SummaryKey(area, chapter string) string { return area + "/" + chapter }

// maxAmountDigits bounds the integer digits of ParseAmount: amounts stay
// below a trillion euro.
const maxAmountDigits = 12

// ParseAmount reads an amount in euro as given for InstalmentsDue and
// MonthlyDue: an optional minus sign, digits and at most two decimals after
// a decimal point, such as "-2500.00". It rejects the decimal comma, the
// exponent form and "1.234", which could be a thousands separator.
func ParseAmount(s string) (decimal.Decimal, error) {
	intPart, frac, point := strings.Cut(strings.TrimPrefix(s, "-"), ".")
	switch {
	case strings.Contains(s, ","):
		return decimal.Decimal{}, fmt.Errorf("invalid amount %q: write euro with a decimal point, such as 2500.00", s)
	case !allDigits(intPart) || (point && !allDigits(frac)) || len(frac) > 2:
		return decimal.Decimal{}, fmt.Errorf("invalid amount %q: want euro with at most two decimals, such as 2500.00", s)
	case len(intPart) > maxAmountDigits:
		return decimal.Decimal{}, fmt.Errorf("invalid amount %q: more than %d digits before the decimal point", s, maxAmountDigits)
	}
	return decimal.NewFromString(s)
}

// allDigits reports whether s is one or more ASCII digits.
func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// layout returns the frame layout of the period: for a half-year
// declaration, the gas frames of its GasHalfYear replace the annual ones.
func (o DeclareOptions) layout() *Layout {
	l := o.Layout
	if l == nil {
		l = DefaultLayout()
	}
	if o.Half != 0 && len(l.GasHalfYear) > 0 {
		return l.HalfYear()
	}
	return l
}

func (o DeclareOptions) territory() *Territory {
	if o.Territory != nil {
		return o.Territory
	}
	return DefaultTerritory()
}

// Period returns the first and last day the declaration covers.
func (o DeclareOptions) Period() (civil.Date, civil.Date) {
	switch o.Half {
	case 1:
		return civil.Date{Year: o.Year, Month: 1, Day: 1}, civil.Date{Year: o.Year, Month: 6, Day: 30}
	case 2:
		return civil.Date{Year: o.Year, Month: 7, Day: 1}, civil.Date{Year: o.Year, Month: 12, Day: 31}
	}
	return civil.Date{Year: o.Year, Month: 1, Day: 1}, civil.Date{Year: o.Year, Month: 12, Day: 31}
}

// Due returns the filing deadline: 31 March of the next year for the annual
// declaration and the second half, 30 September for the first half.
func (o DeclareOptions) Due() civil.Date {
	if o.Half == 1 {
		return civil.Date{Year: o.Year, Month: 9, Day: 30}
	}
	return civil.Date{Year: o.Year + 1, Month: 3, Day: 31}
}

func (o DeclareOptions) check() error {
	switch {
	case o.Half == 0 && o.Year >= 2026:
		return fmt.Errorf("%w: tax year %d has half-year declarations (D.Lgs. 43/2025); set Half to 1 or 2", ErrRegime, o.Year)
	case o.Half != 0 && o.Year < 2026:
		return fmt.Errorf("%w: tax year %d has one annual declaration; half-year declarations start with 2026", ErrRegime, o.Year)
	case o.Half < 0 || o.Half > 2:
		return fmt.Errorf("%w: half %d; want 0, 1 or 2", ErrRegime, o.Half)
	}
	return o.checkMonthlyDue()
}

// AmbitoCode returns the code of an ambito in the XML: the seat's province
// code for the seat's ambito, otherwise the ambito itself.
//
// NOTE: only one public project states this rule; the official field table
// is not public.
func (o DeclareOptions) AmbitoCode(ambito string) string {
	if seat, ok := o.territory().AmbitoOf(o.SeatProvince); ok && seat == ambito {
		return o.SeatProvince
	}
	return ambito
}

// addDueAmbiti adds to byAmbito, with no province, each ambito that has
// no billing line but has instalments or monthly payments due for one of
// the chapters. Its summary frame then still declares them (as a
// credit). Tax year 2021 is left alone, because its frame X is kept by
// province.
func (o DeclareOptions) addDueAmbiti(byAmbito map[string][]string, chapters ...string) {
	if o.Year == 2021 {
		return
	}
	ambiti := map[string]bool{}
	for _, p := range o.territory().Provinces {
		ambiti[p.Ambito] = true
	}
	for _, ambito := range sortedKeys(ambiti) {
		if _, ok := byAmbito[ambito]; ok {
			continue
		}
		for _, chapter := range chapters {
			if !o.dueFor(SummaryKey(ambito, chapter)).IsZero() {
				byAmbito[ambito] = nil
				break
			}
		}
	}
}

// addRegionalDueAmbiti adds to byAmbito, with no province, each ambito
// that has no billing line but has a province with ARISGAN or IRS due.
// Frame N or P then still declares the payments (as a credit).
func (o DeclareOptions) addRegionalDueAmbiti(byAmbito map[string][]string) {
	for _, p := range o.territory().Provinces {
		if _, ok := byAmbito[p.Ambito]; ok {
			continue
		}
		if len(o.regionalDue(p.Code)) > 0 {
			byAmbito[p.Ambito] = nil
		}
	}
}

// regionalDue returns the ARISGAN and IRS amounts due in a province that
// are not zero, keyed by tax.
func (o DeclareOptions) regionalDue(province string) map[Tax]decimal.Decimal {
	out := map[Tax]decimal.Decimal{}
	for _, tax := range []Tax{TaxArisgan, TaxIRS} {
		if due := o.dueFor(SummaryKey(province, tax.Chapter())); !due.IsZero() {
			out[tax] = due
		}
	}
	return out
}

// addSeatAmbito adds the legal seat's ambito to byAmbito, with no province,
// when national is true. The seat's declaration carries the frames of the
// whole company, such as electricity frame I, so it is needed even when
// its ambito has no billing line and no amount due.
func (o DeclareOptions) addSeatAmbito(byAmbito map[string][]string, national bool) {
	seat := o.seatAmbito()
	if !national || seat == "" {
		return
	}
	if _, ok := byAmbito[seat]; !ok {
		byAmbito[seat] = nil
	}
}

// seatAmbito returns the ambito of the legal seat, or "" when unknown.
func (o DeclareOptions) seatAmbito() string {
	a, _ := o.territory().AmbitoOf(o.SeatProvince)
	return a
}

// summaryRows builds the riepilogo e saldo rows: the liquidated tax, the
// instalments due and the balance, which is a debit when positive and a
// credit written as an absolute value when negative. Rows without a number
// in the layout are left out.
func summaryRows(l *Layout, c Commodity, frame string, liquidated, due decimal.Decimal) []SummaryRow {
	balance := liquidated.Sub(due)
	values := map[string]decimal.Decimal{
		"liquidated":      liquidated,
		"instalments-due": due,
		"balance-debit":   decimal.Max(balance, decimal.Zero),
		"balance-credit":  decimal.Max(balance.Neg(), decimal.Zero),
	}
	var rows []SummaryRow
	for _, def := range l.Frame(c, frame).Rows {
		v, ok := values[def.Key]
		if !ok || def.Row == 0 {
			continue
		}
		rows = append(rows, SummaryRow{Row: def.Row, Amount: Money{v}})
	}
	return rows
}

// NewInstalments returns the 12 new monthly instalments of the legacy
// regime: one twelfth of the liquidated tax, rounded to the cent, with the
// last one taking the remainder. They are not written to the XML because no
// public source gives their row numbers.
func NewInstalments(liquidated decimal.Decimal) [12]decimal.Decimal {
	var out [12]decimal.Decimal
	if liquidated.IsNegative() {
		liquidated = decimal.Zero
	}
	each := Round(liquidated.Div(decimal.NewFromInt(12)))
	for i := range 11 {
		out[i] = each
	}
	out[11] = liquidated.Sub(each.Mul(decimal.NewFromInt(11)))
	return out
}

// inPeriod reports whether month m lies inside the declaration period.
func inPeriod(m civil.Month, from, to civil.Date) bool {
	return !m.Last().Before(from) && !m.First().After(to)
}

// rateSums adds quantities by rate, keeping the rates in increasing order.
type rateSums map[string]*RateDetail

func (rs rateSums) add(q, rate decimal.Decimal) {
	k := rate.String()
	d := rs[k]
	if d == nil {
		d = &RateDetail{Rate: Rate{rate}, Quantity: Qty{decimal.Zero}}
		rs[k] = d
	}
	d.Quantity.Decimal = d.Quantity.Add(q)
}

// details returns the columns in increasing rate, the sum of each column
// rounded to the cent, and the unrounded sum.
func (rs rateSums) details() ([]RateDetail, decimal.Decimal, decimal.Decimal) {
	out := make([]RateDetail, 0, len(rs))
	for _, d := range rs {
		out = append(out, *d)
	}
	sort.Slice(out, func(a, b int) bool { return out[a].Rate.LessThan(out[b].Rate.Decimal) })
	rounded, exact := decimal.Zero, decimal.Zero
	for _, d := range out {
		v := d.Quantity.Mul(d.Rate.Decimal)
		rounded = rounded.Add(Round(v))
		exact = exact.Add(v)
	}
	return out, rounded, exact
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
