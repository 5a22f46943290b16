package accise

import (
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/bludispatcher/dispatcher/internal/civil"
)

// TransferNoticeDays is how many days before its first use a credit
// transfer between provinces must be requested (nota ADM 24497 of 26
// February 2016).
const TransferNoticeDays = 10

// CreditTransfer is a request to move an excise credit from one
// province's account to another province's account of the same tax and
// company, filed with both customs offices. It exists only for periods up
// to 2021: from 2022 the accounts are per ambito and need no transfers.
type CreditTransfer struct {
	// ID is the company's reference of the request.
	ID string
	// From is the account where the credit arose.
	From Account
	// To is the account that receives it.
	To Account
	// FromOffice and ToOffice are the two customs offices.
	FromOffice, ToOffice string
	// Amount is the credit moved.
	Amount decimal.Decimal
	// Filed is the day the request was filed.
	Filed civil.Date
	// FirstUse is the due date of the first debt the credit covers.
	FirstUse civil.Date
	// Status is the current status; the zero value is StatusDraft.
	Status RefundStatus
	// History lists the status changes in order.
	History []StatusChange
}

// Check verifies the request: same company and excise tax, two different
// provinces, a positive amount, a first use up to 2021 and filing at
// least TransferNoticeDays days before the first use.
func (t *CreditTransfer) Check() error {
	switch {
	case t.ID == "":
		return fmt.Errorf("accise: credit transfer: missing id")
	case t.From.Company != t.To.Company || t.From.Tax != t.To.Tax:
		return fmt.Errorf("accise: credit transfer %s: %s and %s are not the same company and tax", t.ID, t.From, t.To)
	case t.From.Tax.Regional():
		return fmt.Errorf("accise: credit transfer %s: %s credits cannot move between provinces", t.ID, t.From.Tax)
	case t.From.Area == t.To.Area:
		return fmt.Errorf("accise: credit transfer %s: both accounts are in %s", t.ID, t.From.Area)
	case !t.Amount.IsPositive():
		return fmt.Errorf("accise: credit transfer %s: amount %s; want a positive amount", t.ID, t.Amount)
	case t.FirstUse.IsZero() || t.FirstUse.Year > 2021:
		return fmt.Errorf("accise: credit transfer %s: first use %s; transfers between provinces end with 2021, when accounts became per ambito", t.ID, t.FirstUse)
	case t.Filed.IsZero() || t.Filed.AddDays(TransferNoticeDays).After(t.FirstUse):
		return fmt.Errorf("accise: credit transfer %s: filed on %s, less than %d days before the first use on %s",
			t.ID, t.Filed.Italian(), TransferNoticeDays, t.FirstUse.Italian())
	}
	return nil
}

func (t *CreditTransfer) status() RefundStatus {
	if t.Status == "" {
		return StatusDraft
	}
	return t.Status
}

// SetStatus records a status change: filed, granted, rejected or
// withdrawn. Filing checks the request first.
func (t *CreditTransfer) SetStatus(to RefundStatus, on civil.Date, note string) error {
	if to == StatusPartlyGranted {
		return fmt.Errorf("%w: a credit transfer is granted or rejected in full", ErrStatus)
	}
	if to == StatusFiled {
		if err := t.Check(); err != nil {
			return err
		}
	}
	from := t.status()
	ok := false
	for _, next := range allowedNext[from] {
		ok = ok || next == to
	}
	if !ok {
		return fmt.Errorf("%w: credit transfer %s from %s to %s", ErrStatus, t.ID, from, to)
	}
	t.Status = to
	t.History = append(t.History, StatusChange{Status: to, Date: on, Note: note})
	return nil
}

// Movements returns the transfer out of and into the two accounts on the
// first use day once the transfer is filed or granted. A draft, rejected
// or withdrawn transfer has none.
func (t *CreditTransfer) Movements() []Movement {
	if s := t.status(); s != StatusFiled && s != StatusGranted {
		return nil
	}
	src := Source{Kind: SourceTransfer, Ref: t.ID}
	return []Movement{
		{Account: t.From, Date: t.FirstUse, Kind: MoveTransferOut, Amount: t.Amount, Source: src, Note: "credito trasferito a " + t.To.Area},
		{Account: t.To, Date: t.FirstUse, Kind: MoveTransferIn, Amount: t.Amount, Source: src, Note: "credito ricevuto da " + t.From.Area},
	}
}
