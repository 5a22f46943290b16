package accise

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"sync"
	"time"

	"github.com/bludispatcher/dispatcher/internal/civil"
)

//go:embed data/payment_rules.json
var paymentRulesJSON []byte

// ErrNoPaymentRule is returned when no due-date rule covers a tax and
// regime.
var ErrNoPaymentRule = errors.New("accise: no payment rule")

// Regime is the payment regime of a tax year.
type Regime string

// Payment regimes.
const (
	// RegimeLegacy is the regime up to tax year 2025: constant monthly
	// instalments of one twelfth of the previous year's tax and a balance
	// after the annual declaration.
	RegimeLegacy Regime = "legacy"
	// RegimeMonthly is the regime from tax year 2026 (D.Lgs. 43/2025): each
	// month the tax on the previous month's quantities.
	RegimeMonthly Regime = "monthly"
	// RegimeRegional is the schedule of ARISGAN and IRS, paid to the
	// regions in monthly instalments in both periods.
	RegimeRegional Regime = "regional"
)

// RegimeOf returns the payment regime of a tax in a tax year.
func RegimeOf(t Tax, year int) Regime {
	switch {
	case t.Regional():
		return RegimeRegional
	case year <= 2025:
		return RegimeLegacy
	}
	return RegimeMonthly
}

// BalanceOverride moves the balance due date of one tax year.
type BalanceOverride struct {
	// Year is the tax year.
	Year int `json:"year"`
	// Month and Day are the new due date in the following year.
	Month int `json:"month"`
	Day   int `json:"day"`
	// Source names the act that moved the date.
	Source string `json:"source"`
	// Confidence is confirmed, single-source or guess.
	Confidence string `json:"confidence"`
}

// PaymentRule gives the due dates of one tax in one regime.
type PaymentRule struct {
	// Tax is the tax the rule applies to.
	Tax Tax `json:"tax"`
	// Regime is the payment regime.
	Regime Regime `json:"regime"`
	// InstalmentDay is the day of the month the payment is due. Zero, or a
	// day past the month's end, means the last day of the month.
	InstalmentDay int `json:"instalment_day"`
	// MonthDays overrides InstalmentDay for some months, by month number
	// ("8": 20 moves the electricity August instalment to the 20th).
	MonthDays map[string]int `json:"month_days"`
	// BalanceMonth and BalanceDay are the due date of the declaration
	// balance (conguaglio) in the year after the tax year. Day 0 is the
	// month's last day.
	BalanceMonth int `json:"balance_month"`
	BalanceDay   int `json:"balance_day"`
	// BalanceOverrides move the balance date of single tax years.
	BalanceOverrides []BalanceOverride `json:"balance_overrides"`
	// Source names the law behind the dates.
	Source string `json:"source"`
	// Confidence is confirmed, single-source or guess.
	Confidence string `json:"confidence"`
}

// PaymentRules is the table of due-date rules.
type PaymentRules struct {
	// Source describes the table.
	Source string `json:"source"`
	// Rules lists one rule per tax and regime.
	Rules []PaymentRule `json:"rules"`
}

var (
	defaultPaymentRulesOnce sync.Once
	defaultPaymentRules     *PaymentRules
)

// DefaultPaymentRules returns the embedded due-date rules. It panics only
// if the embedded file is invalid, which the tests rule out.
func DefaultPaymentRules() *PaymentRules {
	defaultPaymentRulesOnce.Do(func() {
		r, err := LoadPaymentRules(bytes.NewReader(paymentRulesJSON))
		if err != nil {
			panic(err)
		}
		defaultPaymentRules = r
	})
	return defaultPaymentRules
}

// LoadPaymentRules reads due-date rules in the format of
// data/payment_rules.json.
func LoadPaymentRules(r io.Reader) (*PaymentRules, error) {
	var p PaymentRules
	if err := json.NewDecoder(r).Decode(&p); err != nil {
		return nil, fmt.Errorf("accise: invalid payment rules: %w", err)
	}
	for _, rule := range p.Rules {
		if rule.Tax.Chapter() == "" {
			return nil, fmt.Errorf("accise: invalid payment rules: unknown tax %q", rule.Tax)
		}
		if rule.InstalmentDay < 0 || rule.InstalmentDay > 31 || rule.BalanceMonth < 1 || rule.BalanceMonth > 12 {
			return nil, fmt.Errorf("accise: invalid payment rules: %s %s: instalment day %d or balance month %d out of range",
				rule.Tax, rule.Regime, rule.InstalmentDay, rule.BalanceMonth)
		}
		for k := range rule.MonthDays {
			if n, err := strconv.Atoi(k); err != nil || n < 1 || n > 12 {
				return nil, fmt.Errorf("accise: invalid payment rules: %s %s: month %q; want 1 to 12", rule.Tax, rule.Regime, k)
			}
		}
	}
	return &p, nil
}

// Rule returns the rule of a tax in a regime.
func (p *PaymentRules) Rule(t Tax, r Regime) (PaymentRule, error) {
	for _, rule := range p.Rules {
		if rule.Tax == t && rule.Regime == r {
			return rule, nil
		}
	}
	return PaymentRule{}, fmt.Errorf("%w for tax %s in regime %s", ErrNoPaymentRule, t, r)
}

// NominalDue returns the due date of the payment made in month m, before
// moving it to a working day.
func (rule PaymentRule) NominalDue(m civil.Month) civil.Date {
	day := rule.InstalmentDay
	if d, ok := rule.MonthDays[strconv.Itoa(int(m.Month))]; ok {
		day = d
	}
	return dayOf(m, day)
}

// BalanceNominalDue returns the due date of the balance of a tax year,
// before moving it to a working day.
func (rule PaymentRule) BalanceNominalDue(year int) civil.Date {
	for _, o := range rule.BalanceOverrides {
		if o.Year == year {
			return dayOf(civil.Month{Year: year + 1, Month: time.Month(o.Month)}, o.Day)
		}
	}
	return dayOf(civil.Month{Year: year + 1, Month: time.Month(rule.BalanceMonth)}, rule.BalanceDay)
}

// dayOf returns the day of m; 0 or a day past the month's end gives its
// last day.
func dayOf(m civil.Month, day int) civil.Date {
	if day <= 0 || day > m.Days() {
		return m.Last()
	}
	return civil.Date{Year: m.Year, Month: m.Month, Day: day}
}
