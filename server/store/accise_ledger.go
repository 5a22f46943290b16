package store

import (
	"context"
	"fmt"
	"time"

	"github.com/bludispatcher/dispatcher/accise"
)

// AcciseLedgerStore keeps each company's excise ledger: the dated
// movements of its tax accounts, its refund claims and the settings of its
// bank transfers to the regions. Every method takes the company, and the
// rows of another company are never read or changed.
type AcciseLedgerStore interface {
	// AddMovements stores a batch of movements of the company in one
	// transaction, in the order given, and returns the batch's ID. The
	// movements are stored as given, so the caller checks them
	// (accise.Ledger.Add) first. A batch whose SHA256 repeats an earlier
	// batch of the company fails with a *DuplicateBatchError, unless
	// AllowDuplicate is set.
	AddMovements(ctx context.Context, company CompanyID, b MovementBatch) (int64, error)
	// Movements returns every movement of the company in the order it was
	// stored.
	Movements(ctx context.Context, company CompanyID) ([]accise.Movement, error)
	// CreateRefundClaim stores a new refund claim. A claim whose ID the
	// company already uses fails with ErrConflict, and a claim without an
	// ID with ErrInvalid.
	CreateRefundClaim(ctx context.Context, company CompanyID, c accise.RefundClaim) error
	// UpdateRefundClaim replaces a stored claim of the same ID after a
	// status change, provided its stored status is still prev, so two
	// concurrent changes cannot both apply. It fails with ErrNotFound
	// when the company has no such claim and with ErrConflict when the
	// stored status is no longer prev.
	UpdateRefundClaim(ctx context.Context, company CompanyID, c accise.RefundClaim, prev accise.RefundStatus) error
	// RefundClaim returns one claim, or ErrNotFound.
	RefundClaim(ctx context.Context, company CompanyID, id string) (accise.RefundClaim, error)
	// RefundClaims returns the company's claims in the order they were
	// created.
	RefundClaims(ctx context.Context, company CompanyID) ([]accise.RefundClaim, error)
	// PutTransferConfig stores the company's transfer settings, replacing
	// earlier ones.
	PutTransferConfig(ctx context.Context, company CompanyID, cfg accise.TransferConfig) error
	// TransferConfig returns the company's transfer settings, or
	// ErrNotFound when none were stored.
	TransferConfig(ctx context.Context, company CompanyID) (accise.TransferConfig, error)
}

// MovementBatch is the movements of one request with the SHA-256 of the
// request body.
type MovementBatch struct {
	// SHA256 is the hex SHA-256 of the body the movements were read from.
	SHA256 string
	// Movements are the movements to store.
	Movements []accise.Movement
	// AllowDuplicate stores the batch even when an earlier one has the
	// same SHA256.
	AllowDuplicate bool
}

// DuplicateBatchError is a movement batch whose body was stored before.
type DuplicateBatchError struct {
	// Of is the ID of the earlier batch.
	Of int64
	// At is when the earlier batch was stored.
	At time.Time
}

func (e *DuplicateBatchError) Error() string {
	return fmt.Sprintf("store: the same movements were stored as batch %d at %s", e.Of, e.At.Format(time.RFC3339))
}

// Unwrap returns ErrDuplicate.
func (e *DuplicateBatchError) Unwrap() error { return ErrDuplicate }
