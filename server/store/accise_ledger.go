package store

import (
	"context"

	"github.com/bludispatcher/dispatcher/accise"
)

// AcciseLedgerStore keeps each company's excise ledger: the dated
// movements of its tax accounts, its refund claims and the settings of its
// bank transfers to the regions. Every method takes the company, and the
// rows of another company are never read or changed.
type AcciseLedgerStore interface {
	// AddMovements stores movements of the company in one transaction, in
	// the order given. The movements are stored as given: the caller
	// checks them (accise.Ledger.Add) first.
	AddMovements(ctx context.Context, company CompanyID, ms []accise.Movement) error
	// Movements returns every movement of the company in the order it was
	// stored.
	Movements(ctx context.Context, company CompanyID) ([]accise.Movement, error)
	// CreateRefundClaim stores a new refund claim. A claim whose ID the
	// company already uses fails with ErrConflict, and a claim without an
	// ID with ErrInvalid.
	CreateRefundClaim(ctx context.Context, company CompanyID, c accise.RefundClaim) error
	// UpdateRefundClaim replaces a stored claim of the same ID, such as
	// after a status change; ErrNotFound when the company has none.
	UpdateRefundClaim(ctx context.Context, company CompanyID, c accise.RefundClaim) error
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
