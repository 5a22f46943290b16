package accise

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/bludispatcher/dispatcher/internal/civil"
)

// ScheduleOptions configures the payment schedule.
type ScheduleOptions struct {
	// Rules defaults to DefaultPaymentRules.
	Rules *PaymentRules
	// Calendar defaults to DefaultCalendar.
	Calendar *Calendar
}

func (o ScheduleOptions) rules() *PaymentRules {
	if o.Rules != nil {
		return o.Rules
	}
	return DefaultPaymentRules()
}

func (o ScheduleOptions) calendar() *Calendar {
	if o.Calendar != nil {
		return o.Calendar
	}
	return DefaultCalendar()
}

// DueDate returns the due date of the payment of tax t made in month m of
// a payment regime, moved to the next working day.
func (o ScheduleOptions) DueDate(t Tax, r Regime, m civil.Month) (civil.Date, error) {
	rule, err := o.rules().Rule(t, r)
	if err != nil {
		return civil.Date{}, err
	}
	return o.calendar().NextWorkingDay(rule.NominalDue(m)), nil
}

// Instalments returns the 12 monthly instalments (ratei d'acconto) of a
// tax year as amounts due, January to December: under the legacy regime
// and for ARISGAN and IRS. The amounts are usually NewInstalments of the
// previous year's liquidated tax; ref names that declaration.
func Instalments(a Account, year int, amounts [12]decimal.Decimal, ref string, opts ScheduleOptions) ([]Movement, error) {
	regime := RegimeOf(a.Tax, year)
	if regime == RegimeMonthly {
		return nil, fmt.Errorf("%w: tax year %d of %s has monthly payments on actual quantities, not instalments", ErrRegime, year, a.Tax)
	}
	out := make([]Movement, 0, 12)
	for i, amount := range amounts {
		m := civil.Month{Year: year, Month: time.Month(i + 1)}
		due, err := opts.DueDate(a.Tax, regime, m)
		if err != nil {
			return nil, err
		}
		out = append(out, Movement{Account: a, Date: due, Period: m, Kind: MoveDue, Amount: amount,
			Source: Source{Kind: SourceInstalment, Ref: ref},
			Note:   fmt.Sprintf("rata d'acconto %s", m.Italian())})
	}
	return out, nil
}

// OverrideInstalments replaces the computed instalments of the months an
// office decision sets (rate determinate dall'ufficio), because the
// office's amounts prevail. The ref argument names the decision.
func OverrideInstalments(ms []Movement, office map[civil.Month]decimal.Decimal, ref string) []Movement {
	out := append([]Movement(nil), ms...)
	for i, m := range out {
		amount, ok := office[m.Period]
		if !ok || m.Kind != MoveDue {
			continue
		}
		out[i].Note = fmt.Sprintf("rata d'acconto %s determinata dall'ufficio (calcolata %s)", m.Period.Italian(), m.Amount.StringFixed(2))
		out[i].Amount = amount
		out[i].Source = Source{Kind: SourceOffice, Ref: ref}
	}
	return out
}

// Settlement is the balance (conguaglio) of a declaration: the liquidated
// tax less the instalments or monthly payments due in its period.
type Settlement struct {
	// Account is the account settled.
	Account Account
	// Year is the tax year; Half is 1 or 2 for the half-year declarations
	// from 2026, 0 for the annual declaration.
	Year, Half int
	// Filed is the day the declaration was filed; a credit arises on it.
	Filed civil.Date
	// Liquidated is the liquidated tax (imposta liquidata).
	Liquidated decimal.Decimal
	// InstalmentsDue are the instalments due in the period (ratei dovuti),
	// always the scheduled ones even when credits changed what was paid.
	InstalmentsDue decimal.Decimal
	// Debit is the balance due (conguaglio a debito), zero or positive.
	Debit decimal.Decimal
	// Credit is the balance in the company's favour (conguaglio a credito),
	// zero or positive.
	Credit decimal.Decimal
	// Due is the due date of a debit, moved to a working day.
	Due civil.Date
	// NewInstalments are the instalments of the next year under the legacy
	// regime: one twelfth of Liquidated; zero under the monthly regime.
	NewInstalments [12]decimal.Decimal
	// TenInstalments flags a debit the company chose to pay in ten
	// instalments (D.L. 34/2020 art. 129, for the 2019 balance). The
	// schedule of those instalments is not computed.
	TenInstalments bool
}

// Settle computes the balance of a declaration. Under the legacy regime
// the debit is due by the balance date of the rules: 16 March for
// electricity, 31 March for gas and the regional taxes. A half-year
// declaration's debit is due by its filing deadline.
func Settle(a Account, year, half int, liquidated, instalmentsDue decimal.Decimal, filed civil.Date, opts ScheduleOptions) (Settlement, error) {
	s := Settlement{Account: a, Year: year, Half: half, Filed: filed, Liquidated: liquidated, InstalmentsDue: instalmentsDue}
	if err := (DeclareOptions{Year: year, Half: half}).check(); err != nil && !a.Tax.Regional() {
		return s, err
	}
	balance := liquidated.Sub(instalmentsDue)
	s.Debit = decimal.Max(balance, decimal.Zero)
	s.Credit = decimal.Max(balance.Neg(), decimal.Zero)
	regime := RegimeOf(a.Tax, year)
	if regime == RegimeMonthly {
		// NOTE: no public source gives the due date of a half-year balance;
		// the filing deadline of the declaration is used.
		s.Due = opts.calendar().NextWorkingDay(DeclareOptions{Year: year, Half: half}.Due())
		return s, nil
	}
	rule, err := opts.rules().Rule(a.Tax, regime)
	if err != nil {
		return s, err
	}
	s.Due = opts.calendar().NextWorkingDay(rule.BalanceNominalDue(year))
	s.NewInstalments = NewInstalments(liquidated)
	return s, nil
}

// Movements returns the ledger movements of the settlement: the debit as
// an amount due, or the credit arising on the filing day.
func (s Settlement) Movements() []Movement {
	ref := fmt.Sprintf("dichiarazione %d", s.Year)
	if s.Half != 0 {
		ref = fmt.Sprintf("dichiarazione %d semestre %d", s.Year, s.Half)
	}
	src := Source{Kind: SourceDeclaration, Ref: ref}
	switch {
	case s.Debit.IsPositive():
		note := "conguaglio a debito"
		if s.TenInstalments {
			note += " (rateizzazione in dieci rate chiesta, D.L. 34/2020 art. 129)"
		}
		return []Movement{{Account: s.Account, Date: s.Due, Kind: MoveDue, Amount: s.Debit, Source: src, Note: note}}
	case s.Credit.IsPositive():
		return []Movement{{Account: s.Account, Date: s.Filed, Kind: MoveCredit, Amount: s.Credit, Source: src, Note: "conguaglio a credito"}}
	}
	return nil
}
