package accise

import (
	"github.com/shopspring/decimal"

	"github.com/bludispatcher/dispatcher/internal/civil"
)

// Payment is an amount due with the credit deducted from it and what is
// left to pay.
type Payment struct {
	// Account is the account the amount is owed to.
	Account Account
	// Period is the month the amount refers to; zero for a balance.
	Period civil.Month
	// Due is the due date, moved to a working day.
	Due civil.Date
	// Amount is the amount due.
	Amount decimal.Decimal
	// CreditUsed is the credit deducted: earlier credit-used movements of
	// the period and the offsets of Compensate.
	CreditUsed decimal.Decimal
	// Paid is the part already covered by payments of the period.
	Paid decimal.Decimal
	// ToPay is Amount less CreditUsed and Paid, never negative.
	ToPay decimal.Decimal
	// Source traces the amount due.
	Source Source
	// Note describes the amount due.
	Note string
	// Offsets explain the credit deducted by Compensate.
	Offsets []Offset
}

// Plan returns the payments due from from to to (both included; a zero
// bound is open), after deducting the available credits with Compensate.
func Plan(l *Ledger, from, to civil.Date) []Payment {
	offsets := Compensate(l)
	var out []Payment
	for _, a := range l.Accounts() {
		out = append(out, planAccount(l.Of(a), offsets, from, to)...)
	}
	return out
}

func planAccount(ms []Movement, offsets []Offset, from, to civil.Date) []Payment {
	paid := map[civil.Month]decimal.Decimal{}
	used := map[civil.Month]decimal.Decimal{}
	for _, m := range ms {
		switch m.Kind {
		case MovePaid:
			paid[m.Period] = paid[m.Period].Add(m.Amount)
		case MoveCreditUsed:
			used[m.Period] = used[m.Period].Add(m.Amount)
		}
	}
	var out []Payment
	for _, m := range ms {
		if m.Kind != MoveDue {
			continue
		}
		p := Payment{Account: m.Account, Period: m.Period, Due: m.Date, Amount: m.Amount, Source: m.Source, Note: m.Note}
		p.CreditUsed = decimal.Min(used[m.Period], m.Amount)
		used[m.Period] = used[m.Period].Sub(p.CreditUsed)
		for _, o := range offsets {
			if o.Debt == m {
				p.Offsets = append(p.Offsets, o)
				p.CreditUsed = p.CreditUsed.Add(o.Amount)
			}
		}
		rest := m.Amount.Sub(p.CreditUsed)
		p.Paid = decimal.Max(decimal.Min(paid[m.Period], rest), decimal.Zero)
		paid[m.Period] = paid[m.Period].Sub(p.Paid)
		p.ToPay = decimal.Max(rest.Sub(p.Paid), decimal.Zero)
		if (from.IsZero() || !m.Date.Before(from)) && (to.IsZero() || !m.Date.After(to)) {
			out = append(out, p)
		}
	}
	return out
}
