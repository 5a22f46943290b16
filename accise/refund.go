package accise

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/shopspring/decimal"

	"github.com/bludispatcher/dispatcher/internal/anomaly"
	"github.com/bludispatcher/dispatcher/internal/civil"
)

// Errors of refund claims and credit transfers.
var (
	// ErrRefundLate is returned when a claim is filed after its two-year
	// deadline.
	ErrRefundLate = errors.New("accise: refund claim filed after the deadline")
	// ErrStatus is returned for a status change the claim's or transfer's
	// current status does not allow.
	ErrStatus = errors.New("accise: invalid status change")
)

// RefundStatus is the state of a refund claim or credit transfer.
type RefundStatus string

// Statuses of refund claims and credit transfers.
const (
	// StatusDraft is recorded but not filed.
	StatusDraft RefundStatus = "draft"
	// StatusFiled is filed with the office and awaiting its decision.
	StatusFiled RefundStatus = "filed"
	// StatusGranted is granted in full.
	StatusGranted RefundStatus = "granted"
	// StatusPartlyGranted is granted for part of the amount.
	StatusPartlyGranted RefundStatus = "partly-granted"
	// StatusRejected is rejected by the office.
	StatusRejected RefundStatus = "rejected"
	// StatusWithdrawn is withdrawn by the company.
	StatusWithdrawn RefundStatus = "withdrawn"
)

// allowedNext lists the statuses reachable from each status.
var allowedNext = map[RefundStatus][]RefundStatus{
	StatusDraft: {StatusFiled, StatusWithdrawn},
	StatusFiled: {StatusGranted, StatusPartlyGranted, StatusRejected, StatusWithdrawn},
}

// StatusChange is one entry of a claim's history.
type StatusChange struct {
	// Status is the new status.
	Status RefundStatus
	// Date is the day of the change.
	Date civil.Date
	// Note records the office's reference or the reason.
	Note string
}

// RefundOrigin is the cause of a claimed credit.
type RefundOrigin string

// Refund origins.
const (
	// OriginBalance is a declaration balance in the company's favour
	// (conguaglio a credito).
	OriginBalance RefundOrigin = "balance"
	// OriginCorrections is a credit from billing corrections (rettifiche a
	// credito).
	OriginCorrections RefundOrigin = "corrections"
	// OriginRuling is a tax held unlawful by a court, such as the
	// provincial electricity surcharge (Corte costituzionale 43/2025).
	OriginRuling RefundOrigin = "ruling"
	// OriginOther is any other origin, explained in Reason.
	OriginOther RefundOrigin = "other"
)

// RefundClaim is a refund claim (istanza di rimborso, TUA art. 14). The
// official field list of the claim is not public; the fields are the data
// a claim is expected to carry.
type RefundClaim struct {
	// ID is the company's reference of the claim.
	ID string
	// Account is the account the credit belongs to.
	Account Account
	// Claimant is the company name.
	Claimant string
	// FiscalCode is the claimant's codice fiscale.
	FiscalCode string
	// Office is the customs office or region the claim goes to.
	Office string
	// Year is the tax year of the credit.
	Year int
	// Amount is the amount claimed.
	Amount decimal.Decimal
	// Origin is the cause of the credit.
	Origin RefundOrigin
	// Reason explains the claim.
	Reason string
	// IBAN is the account the refund is paid to.
	IBAN string
	// LastDeclaration is the filing day of the last annual declaration,
	// from which the two-year deadline runs.
	LastDeclaration civil.Date
	// Documents lists the attachments.
	Documents []string
	// Status is the current status; the zero value is StatusDraft.
	Status RefundStatus
	// Filed is the day the claim was filed.
	Filed civil.Date
	// Decided is the day of the office's decision.
	Decided civil.Date
	// Granted is the amount granted.
	Granted decimal.Decimal
	// History lists the status changes in order.
	History []StatusChange
}

// RefundDeadline returns the last day to claim a refund: two years after
// the last annual declaration (TUA art. 14 c. 2; Cassazione ord.
// 5814/2020). A deadline on 29 February falls on 28 February.
func RefundDeadline(lastDeclaration civil.Date) civil.Date {
	d := civil.Date{Year: lastDeclaration.Year + 2, Month: lastDeclaration.Month, Day: lastDeclaration.Day}
	if d.Month == time.February && d.Day == 29 && civil.DaysIn(d.Year, time.February) == 28 {
		d.Day = 28
	}
	return d
}

// Deadline returns the claim's refund deadline.
func (c *RefundClaim) Deadline() civil.Date { return RefundDeadline(c.LastDeclaration) }

// Check lists what a claim needs before filing: claimant, account, a
// positive amount, a valid IBAN and the last declaration's day.
func (c *RefundClaim) Check() error {
	switch {
	case c.ID == "":
		return fmt.Errorf("accise: refund claim: missing id")
	case c.Claimant == "" || c.FiscalCode == "":
		return fmt.Errorf("accise: refund claim %s: missing claimant name or fiscal code", c.ID)
	case c.Account.Company == "" || c.Account.Area == "" || c.Account.Tax.Chapter() == "":
		return fmt.Errorf("accise: refund claim %s: incomplete account %s", c.ID, c.Account)
	case !c.Amount.IsPositive():
		return fmt.Errorf("accise: refund claim %s: amount %s; want a positive amount", c.ID, c.Amount)
	case c.LastDeclaration.IsZero():
		return fmt.Errorf("accise: refund claim %s: missing filing day of the last annual declaration", c.ID)
	}
	if err := ValidateIBAN(c.IBAN); err != nil {
		return fmt.Errorf("accise: refund claim %s: %w", c.ID, err)
	}
	return nil
}

func (c *RefundClaim) status() RefundStatus {
	if c.Status == "" {
		return StatusDraft
	}
	return c.Status
}

func (c *RefundClaim) change(to RefundStatus, on civil.Date, note string) error {
	if !slices.Contains(allowedNext[c.status()], to) {
		return fmt.Errorf("%w: refund claim %s from %s to %s", ErrStatus, c.ID, c.status(), to)
	}
	c.Status = to
	c.History = append(c.History, StatusChange{Status: to, Date: on, Note: note})
	return nil
}

// File marks the claim filed on a day. It fails when the claim is
// incomplete or the day is after the deadline.
func (c *RefundClaim) File(on civil.Date, note string) error {
	if err := c.Check(); err != nil {
		return err
	}
	if on.After(c.Deadline()) {
		return fmt.Errorf("%w: claim %s filed on %s, deadline %s", ErrRefundLate, c.ID, on.Italian(), c.Deadline().Italian())
	}
	if err := c.change(StatusFiled, on, note); err != nil {
		return err
	}
	c.Filed = on
	return nil
}

// Decide records the office's decision: granted is the amount granted,
// zero for a rejection.
func (c *RefundClaim) Decide(on civil.Date, granted decimal.Decimal, note string) error {
	to := StatusPartlyGranted
	switch {
	case granted.IsNegative() || granted.GreaterThan(c.Amount):
		return fmt.Errorf("accise: refund claim %s: granted %s; want 0 to %s", c.ID, granted, c.Amount)
	case granted.IsZero():
		to = StatusRejected
	case granted.Equal(c.Amount):
		to = StatusGranted
	}
	if err := c.change(to, on, note); err != nil {
		return err
	}
	c.Decided, c.Granted = on, granted
	return nil
}

// Withdraw marks the claim withdrawn.
func (c *RefundClaim) Withdraw(on civil.Date, note string) error {
	return c.change(StatusWithdrawn, on, note)
}

// Movements returns the claim's ledger movements: the credit set aside on
// filing, the refund granted and the part rejected on the decision, and
// the whole amount released when a filed claim is withdrawn.
func (c *RefundClaim) Movements() []Movement {
	src := Source{Kind: SourceRefund, Ref: c.ID}
	mk := func(kind MovementKind, on civil.Date, amount decimal.Decimal, note string) Movement {
		return Movement{Account: c.Account, Date: on, Kind: kind, Amount: amount, Source: src, Note: note}
	}
	if c.Filed.IsZero() {
		return nil
	}
	out := []Movement{mk(MoveRefundClaimed, c.Filed, c.Amount, "istanza di rimborso presentata")}
	switch c.status() {
	case StatusGranted, StatusPartlyGranted, StatusRejected:
		if c.Granted.IsPositive() {
			out = append(out, mk(MoveRefundGranted, c.Decided, c.Granted, "rimborso accolto"))
		}
		if rest := c.Amount.Sub(c.Granted); rest.IsPositive() {
			out = append(out, mk(MoveRefundRejected, c.Decided, rest, "rimborso respinto"))
		}
	case StatusWithdrawn:
		on := c.History[len(c.History)-1].Date
		out = append(out, mk(MoveRefundRejected, on, c.Amount, "istanza di rimborso ritirata"))
	}
	return out
}

// Anomaly codes of the refund deadline checks.
const (
	// CodeRefundDeadlineNear flags a credit or draft claim whose refund
	// deadline falls within the warning period.
	CodeRefundDeadlineNear = "refund-deadline-near"
	// CodeRefundDeadlinePassed flags a credit whose refund deadline has
	// passed.
	CodeRefundDeadlinePassed = "refund-deadline-passed"
)

// DeadlineOptions configures RefundWarnings.
type DeadlineOptions struct {
	// LastDeclaration is the filing day of the company's last annual
	// declaration.
	LastDeclaration civil.Date
	// Accounts overrides LastDeclaration for single accounts.
	Accounts map[Account]civil.Date
	// Advance is how many days before the deadline a warning starts; zero
	// means 90.
	Advance int
}

// RefundWarnings lists the findings of a day. An account whose available
// credit reaches its refund deadline within the warning period gets a
// warning. One past the deadline gets a blocking finding, because no refund
// can be claimed then. Draft claims near or past their deadline are listed
// too. The offsets of Compensate count as credit used.
func RefundWarnings(l *Ledger, claims []RefundClaim, on civil.Date, opts DeadlineOptions) anomaly.List {
	l = WithOffsets(l)
	advance := opts.Advance
	if advance == 0 {
		advance = 90
	}
	var out anomaly.List
	for _, a := range l.Accounts() {
		last, ok := opts.Accounts[a]
		if !ok {
			last = opts.LastDeclaration
		}
		credit := l.Balance(a, on).AvailableCredit()
		if last.IsZero() || !credit.IsPositive() {
			continue
		}
		if f, ok := deadlineFinding(RefundDeadline(last), on, advance); ok {
			f.Key, f.Field, f.Value = a.String(), "credit", credit.StringFixed(2)
			f.Message = fmt.Sprintf("credit of %s on %s: %s", credit.StringFixed(2), a, f.Message)
			out = append(out, f)
		}
	}
	for _, c := range claims {
		if c.status() != StatusDraft || c.LastDeclaration.IsZero() {
			continue
		}
		if f, ok := deadlineFinding(c.Deadline(), on, advance); ok {
			f.Key, f.Field, f.Value = c.ID, "claim", c.Amount.StringFixed(2)
			f.Message = fmt.Sprintf("draft refund claim %s: %s", c.ID, f.Message)
			out = append(out, f)
		}
	}
	return out
}

func deadlineFinding(deadline, on civil.Date, advance int) (Anomaly, bool) {
	switch {
	case on.After(deadline):
		return Anomaly{Code: CodeRefundDeadlinePassed, Rule: "TUA art. 14 c. 2", Severity: anomaly.Blocking,
			Message: fmt.Sprintf("the refund deadline passed on %s; a refund can no longer be claimed", deadline.Italian())}, true
	case !on.AddDays(advance).Before(deadline):
		return Anomaly{Code: CodeRefundDeadlineNear, Rule: "TUA art. 14 c. 2", Severity: anomaly.Warning,
			Message: fmt.Sprintf("the refund deadline is %s; file a refund claim or use the credit before then", deadline.Italian())}, true
	}
	return Anomaly{}, false
}
