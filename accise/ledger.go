package accise

import (
	"errors"
	"fmt"
	"slices"
	"sort"

	"github.com/shopspring/decimal"

	"github.com/bludispatcher/dispatcher/internal/civil"
)

// ErrMovement is returned when a movement cannot enter the ledger.
var ErrMovement = errors.New("accise: invalid ledger movement")

// Account is the tax account of one company, tax and area.
type Account struct {
	// Company is the company's excise code (codice ditta or codice accisa).
	Company string
	// Tax is the tax of the account.
	Tax Tax
	// Area is the ambito (excise taxes from 2022) or the province (excise
	// taxes up to 2021, ARISGAN and IRS always); see AreaOf.
	Area string
}

// Key returns the account's SummaryKey, such as "IT/1411" or "TO/ARISGAN".
func (a Account) Key() string { return SummaryKey(a.Area, a.Tax.Chapter()) }

// String returns the company, tax and area, such as "IT00ABC/ee/IT".
func (a Account) String() string { return a.Company + "/" + string(a.Tax) + "/" + a.Area }

// AreaOf returns the area of the account a province's tax belongs to in a
// year: the province for regional taxes and for excise up to 2021, the
// ambito from 2022 (Det. ADM 264785/RU of 2021).
func AreaOf(t *Territory, tax Tax, province string, year int) (string, error) {
	if tax.Regional() || year <= 2021 {
		if _, ok := t.Province(province); !ok {
			return "", fmt.Errorf("accise: unknown province %q", province)
		}
		return province, nil
	}
	ambito, ok := t.AmbitoOf(province)
	if !ok {
		return "", fmt.Errorf("accise: unknown province %q", province)
	}
	return ambito, nil
}

// MovementKind is the kind of a ledger movement.
type MovementKind string

// Movement kinds.
const (
	// MoveDue is an amount due: an instalment, a monthly payment or a
	// declaration balance.
	MoveDue MovementKind = "due"
	// MovePaid is a payment made.
	MovePaid MovementKind = "paid"
	// MoveCredit is a credit arising, such as a declaration balance in the
	// company's favour.
	MoveCredit MovementKind = "credit"
	// MoveCreditUsed is a credit deducted from an amount due.
	MoveCreditUsed MovementKind = "credit-used"
	// MoveRefundClaimed is a credit set aside by a refund claim.
	MoveRefundClaimed MovementKind = "refund-claimed"
	// MoveRefundGranted is a refund granted by the office.
	MoveRefundGranted MovementKind = "refund-granted"
	// MoveRefundRejected is the part of a claim the office rejected; the
	// credit becomes usable again.
	MoveRefundRejected MovementKind = "refund-rejected"
	// MoveTransferOut is a credit moved to another province's account.
	MoveTransferOut MovementKind = "transfer-out"
	// MoveTransferIn is a credit received from another province's account.
	MoveTransferIn MovementKind = "transfer-in"
)

var movementKinds = []MovementKind{MoveDue, MovePaid, MoveCredit, MoveCreditUsed,
	MoveRefundClaimed, MoveRefundGranted, MoveRefundRejected, MoveTransferOut, MoveTransferIn}

// ParseMovementKind parses a movement kind such as "due".
func ParseMovementKind(s string) (MovementKind, error) {
	for _, k := range movementKinds {
		if string(k) == s {
			return k, nil
		}
	}
	return "", fmt.Errorf("%w: unknown kind %q; want one of %v", ErrMovement, s, movementKinds)
}

// order returns the position of a movement kind among the movements of one
// day. Credits come first, then credit already used, then debts, so that
// Compensate offsets each debt only with credit still free. Payments and
// other movements come last.
func (k MovementKind) order() int {
	switch k {
	case MoveCredit, MoveTransferIn, MoveRefundRejected:
		return 0
	case MoveCreditUsed:
		return 1
	case MoveDue:
		return 2
	case MovePaid:
		return 3
	}
	return 4
}

// SourceKind is the kind of document a movement comes from.
type SourceKind string

// Source kinds.
const (
	// SourceDeclaration is an annual or half-year declaration.
	SourceDeclaration SourceKind = "declaration"
	// SourceQuantities is a month's quantities (monthly payments from 2026).
	SourceQuantities SourceKind = "quantities"
	// SourceInstalment is an instalment computed from a declaration.
	SourceInstalment SourceKind = "instalment"
	// SourcePayment is a payment (F24 or bank transfer).
	SourcePayment SourceKind = "payment"
	// SourceOffice is a decision of the customs office or the region.
	SourceOffice SourceKind = "office-decision"
	// SourceCompensation is an offset computed by Compensate.
	SourceCompensation SourceKind = "compensation"
	// SourceRefund is a refund claim.
	SourceRefund SourceKind = "refund"
	// SourceTransfer is a credit transfer between provinces.
	SourceTransfer SourceKind = "transfer"
)

// Source traces a movement to its document.
type Source struct {
	// Kind is the kind of document.
	Kind SourceKind
	// Ref identifies the document, such as "declaration 2025" or a
	// payment's receipt number.
	Ref string
}

// String returns the kind and the reference.
func (s Source) String() string {
	if s.Ref == "" {
		return string(s.Kind)
	}
	return string(s.Kind) + " " + s.Ref
}

// Movement is one dated entry of an account.
type Movement struct {
	// Account is the account the movement belongs to.
	Account Account
	// Date is the due date of a debt (moved to a working day), the value
	// date of a payment, or the date a credit arises or is used.
	Date civil.Date
	// Period is the month the amount refers to: the instalment's month or
	// the quantities' month; zero for yearly amounts.
	Period civil.Month
	// Kind is the kind of movement.
	Kind MovementKind
	// Amount is positive; the kind gives its direction.
	Amount decimal.Decimal
	// Source traces the movement to its document.
	Source Source
	// Note explains the movement, such as the offset a credit made.
	Note string
}

func (m Movement) check() error {
	switch {
	case m.Account.Company == "":
		return fmt.Errorf("%w: missing company", ErrMovement)
	case m.Account.Tax.Chapter() == "":
		return fmt.Errorf("%w: unknown tax %q", ErrMovement, m.Account.Tax)
	case m.Account.Area == "":
		return fmt.Errorf("%w: missing area of %s", ErrMovement, m.Account)
	case m.Date.IsZero():
		return fmt.Errorf("%w: missing date of %s %s", ErrMovement, m.Kind, m.Account)
	case m.Amount.IsNegative():
		return fmt.Errorf("%w: negative amount %s of %s %s; use the opposite kind", ErrMovement, m.Amount, m.Kind, m.Account)
	case m.Amount.Cmp(decimal.New(1, maxIntegerDigits)) >= 0:
		return fmt.Errorf("%w: amount %s of %s %s has more than %d integer digits; check the separators", ErrMovement, m.Amount, m.Kind, m.Account, maxIntegerDigits)
	case !slices.Contains(movementKinds, m.Kind):
		return fmt.Errorf("%w: unknown kind %q", ErrMovement, m.Kind)
	}
	return nil
}

// Ledger is the list of movements of one or more companies.
type Ledger struct {
	movements []Movement
}

// Add appends movements after checking each one; it adds none when one is
// invalid.
func (l *Ledger) Add(ms ...Movement) error {
	for _, m := range ms {
		if err := m.check(); err != nil {
			return err
		}
	}
	l.movements = append(l.movements, ms...)
	return nil
}

// Movements returns the movements in date order. On one day credits come
// first, then credit used, debts and payments; otherwise the order of Add
// is kept.
func (l *Ledger) Movements() []Movement {
	out := append([]Movement(nil), l.movements...)
	sortMovements(out)
	return out
}

func sortMovements(ms []Movement) {
	sort.SliceStable(ms, func(a, b int) bool {
		if c := ms[a].Date.Compare(ms[b].Date); c != 0 {
			return c < 0
		}
		return ms[a].Kind.order() < ms[b].Kind.order()
	})
}

// Accounts returns the accounts with movements, sorted by company, tax
// order and area.
func (l *Ledger) Accounts() []Account {
	seen := map[Account]bool{}
	var out []Account
	for _, m := range l.movements {
		if !seen[m.Account] {
			seen[m.Account] = true
			out = append(out, m.Account)
		}
	}
	sort.Slice(out, func(a, b int) bool { return accountLess(out[a], out[b]) })
	return out
}

func accountLess(a, b Account) bool {
	if a.Company != b.Company {
		return a.Company < b.Company
	}
	if a.Tax != b.Tax {
		return taxIndex(a.Tax) < taxIndex(b.Tax)
	}
	return a.Area < b.Area
}

func taxIndex(t Tax) int {
	for i, x := range Taxes {
		if x == t {
			return i
		}
	}
	return len(Taxes)
}

// Of returns the movements of one account in date order.
func (l *Ledger) Of(a Account) []Movement {
	var out []Movement
	for _, m := range l.movements {
		if m.Account == a {
			out = append(out, m)
		}
	}
	sortMovements(out)
	return out
}

// Balance is the sum of an account's movements by kind up to a day.
type Balance struct {
	// Account is the account summed.
	Account Account
	// Due, Paid, Credit, CreditUsed, RefundClaimed, RefundGranted,
	// RefundRejected, TransferredOut and TransferredIn are the sums of the
	// movements of each kind.
	Due, Paid, Credit, CreditUsed                decimal.Decimal
	RefundClaimed, RefundGranted, RefundRejected decimal.Decimal
	TransferredOut, TransferredIn                decimal.Decimal
}

// Balance sums the movements of an account dated up to and including on;
// the zero date sums them all.
func (l *Ledger) Balance(a Account, on civil.Date) Balance {
	b := Balance{Account: a}
	for _, m := range l.movements {
		if m.Account != a || (!on.IsZero() && m.Date.After(on)) {
			continue
		}
		b.add(m)
	}
	return b
}

func (b *Balance) add(m Movement) {
	p := map[MovementKind]*decimal.Decimal{
		MoveDue: &b.Due, MovePaid: &b.Paid, MoveCredit: &b.Credit, MoveCreditUsed: &b.CreditUsed,
		MoveRefundClaimed: &b.RefundClaimed, MoveRefundGranted: &b.RefundGranted,
		MoveRefundRejected: &b.RefundRejected, MoveTransferOut: &b.TransferredOut,
		MoveTransferIn: &b.TransferredIn,
	}[m.Kind]
	*p = p.Add(m.Amount)
}

// Outstanding returns the debt not yet paid or covered by credits; it is
// negative when more was paid than due.
func (b Balance) Outstanding() decimal.Decimal {
	return b.Due.Sub(b.Paid).Sub(b.CreditUsed)
}

// AvailableCredit returns the credit that can still offset debts: credits
// arising and received, less the credit used, moved away or set aside by
// refund claims not rejected.
func (b Balance) AvailableCredit() decimal.Decimal {
	return b.Credit.Add(b.TransferredIn).Add(b.RefundRejected).
		Sub(b.CreditUsed).Sub(b.TransferredOut).Sub(b.RefundClaimed)
}

// AwaitingRefund returns the claimed credit the office has not yet granted
// or rejected.
func (b Balance) AwaitingRefund() decimal.Decimal {
	return b.RefundClaimed.Sub(b.RefundGranted).Sub(b.RefundRejected)
}
