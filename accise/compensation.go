package accise

import (
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/bludispatcher/dispatcher/internal/civil"
)

// Offset is a credit deducted from a later debt of the same account.
type Offset struct {
	// Account is the account of both the credit and the debt.
	Account Account
	// Credit is the movement the credit arose from.
	Credit Movement
	// Debt is the amount due the credit covers.
	Debt Movement
	// Amount is the part of the debt covered.
	Amount decimal.Decimal
	// CreditLeft is the remainder of the credit after the offset.
	CreditLeft decimal.Decimal
	// DebtLeft is the remainder of the debt to pay after the offset.
	DebtLeft decimal.Decimal
	// Explanation states the offset in Italian, for reports.
	Explanation string
}

// Movement returns the offset as a credit-used movement on the debt's due
// date and period.
func (o Offset) Movement() Movement {
	return Movement{Account: o.Account, Date: o.Debt.Date, Period: o.Debt.Period, Kind: MoveCreditUsed,
		Amount: o.Amount, Source: Source{Kind: SourceCompensation, Ref: o.Credit.Source.String()}, Note: o.Explanation}
}

// creditLot is the unused remainder of one credit.
type creditLot struct {
	origin Movement
	left   decimal.Decimal
}

// Compensate deducts the credits of each account from its later debts, in
// date order, the oldest credit first. A credit offsets only debts of its
// own company, tax and area, due on or after the day it arises. Credits
// set aside by refund claims or moved away are not used. Debts already
// paid or covered by credit-used movements of the same period are not
// offset again. The ledger is not changed: add the offsets' Movement to
// record them.
func Compensate(l *Ledger) []Offset {
	var out []Offset
	for _, a := range l.Accounts() {
		out = append(out, compensateAccount(l.Of(a))...)
	}
	return out
}

func compensateAccount(ms []Movement) []Offset {
	settled := map[civil.Month]decimal.Decimal{}
	for _, m := range ms {
		if m.Kind == MovePaid || m.Kind == MoveCreditUsed {
			settled[m.Period] = settled[m.Period].Add(m.Amount)
		}
	}
	var lots []*creditLot
	var out []Offset
	for _, m := range ms {
		switch m.Kind {
		case MoveCredit, MoveTransferIn, MoveRefundRejected:
			lots = append(lots, &creditLot{origin: m, left: m.Amount})
		case MoveRefundClaimed, MoveTransferOut, MoveCreditUsed:
			consume(lots, m.Amount)
		case MoveDue:
			open := m.Amount.Sub(settled[m.Period])
			settled[m.Period] = decimal.Max(settled[m.Period].Sub(m.Amount), decimal.Zero)
			if open.IsPositive() {
				out = append(out, offsetDebt(lots, m, open)...)
			}
		}
	}
	return out
}

// consume takes an amount from the oldest lots.
func consume(lots []*creditLot, amount decimal.Decimal) {
	for _, lot := range lots {
		if !amount.IsPositive() {
			return
		}
		take := decimal.Min(lot.left, amount)
		lot.left = lot.left.Sub(take)
		amount = amount.Sub(take)
	}
}

func offsetDebt(lots []*creditLot, debt Movement, open decimal.Decimal) []Offset {
	var out []Offset
	for _, lot := range lots {
		if !open.IsPositive() {
			break
		}
		if !lot.left.IsPositive() {
			continue
		}
		take := decimal.Min(lot.left, open)
		lot.left = lot.left.Sub(take)
		open = open.Sub(take)
		o := Offset{Account: debt.Account, Credit: lot.origin, Debt: debt, Amount: take, CreditLeft: lot.left, DebtLeft: open}
		o.Explanation = fmt.Sprintf("credito del %s (%s, %s) portato in diminuzione di %s (%s) scadente il %s: utilizzati %s, residuo credito %s, da versare %s",
			lot.origin.Date.Italian(), lot.origin.Source.italian(), lot.origin.Amount.StringFixed(2), debtName(debt), debt.Amount.StringFixed(2),
			debt.Date.Italian(), take.StringFixed(2), lot.left.StringFixed(2), open.StringFixed(2))
		out = append(out, o)
	}
	return out
}

func debtName(m Movement) string {
	if m.Note != "" {
		return m.Note
	}
	return m.Source.italian()
}

// sourceKindsItalian names the source kinds in the Italian explanations of
// offsets.
var sourceKindsItalian = map[SourceKind]string{
	SourceDeclaration:  "dichiarazione",
	SourceQuantities:   "quantitativi del mese",
	SourceInstalment:   "rata d'acconto",
	SourcePayment:      "versamento",
	SourceOffice:       "decisione dell'ufficio",
	SourceCompensation: "compensazione",
	SourceRefund:       "rimborso",
	SourceTransfer:     "trasferimento",
}

// italian names the source in Italian: its reference when it has one, since
// references such as "dichiarazione 2025" already name the kind, else its
// kind.
func (s Source) italian() string {
	if s.Ref != "" {
		return s.Ref
	}
	if name, ok := sourceKindsItalian[s.Kind]; ok {
		return name
	}
	return string(s.Kind)
}
