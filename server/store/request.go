package store

import (
	"context"
	"time"

	"github.com/bludispatcher/dispatcher/distributor"
	"github.com/bludispatcher/dispatcher/internal/anomaly"
)

// RequestStore keeps the requests a company sends to distributors
// (prestazioni), their state with its history, the outcomes read for them,
// and the feed of state changes that the billing system pulls.
//
// Every state change of a request is one RequestUpdate with a sequence
// number that never changes. The updates of a request, in sequence order,
// are its history. An update stays pending until the billing system
// acknowledges it, so a pull after an acknowledgement never returns it
// again.
type RequestStore interface {
	// SubmitRequest stores one request in one transaction. It calls build
	// with a RequestSubmission bound to the transaction, so that the
	// progressive number and the file name build takes are kept only when
	// the request is. It then stores the request that build returns, with
	// its send transition as the first update, calls deliver, and commits.
	// A case number the company already used fails with ErrConflict before
	// deliver is called. An error from build or deliver rolls everything
	// back and is returned as it is. When SubmitRequest returns an error
	// after deliver ran, the caller must withdraw what deliver wrote.
	SubmitRequest(ctx context.Context, company CompanyID, build func(sub RequestSubmission) (NewRequest, error), deliver func() error) (DistributorRequest, error)
	// ReserveFileName records a file name as used for (company, profile),
	// such as a name uploaded outside the server. A name recorded before
	// fails with an error wrapping both ErrConflict and
	// distributor.ErrNameUsed.
	ReserveFileName(ctx context.Context, company CompanyID, profile, name string) error
	// Request returns one request of the company by case number, with its
	// history, or ErrNotFound.
	Request(ctx context.Context, company CompanyID, caseNumber string) (DistributorRequest, error)
	// ListRequests returns the requests that match f, newest first and
	// without history, and the total number of matches.
	ListRequests(ctx context.Context, f RequestFilter) ([]DistributorRequest, int, error)
	// ExpireRequests moves every sent or admissible request, of any
	// company, whose deadline is not after now to the expired state, and
	// returns the updates it added.
	ExpireRequests(ctx context.Context, now time.Time) ([]RequestUpdate, error)
	// PendingRequestUpdates returns the unacknowledged updates of the
	// company with a sequence above after, in sequence order, at most
	// limit of them (0 means DefaultLimit, above MaxLimit is capped).
	PendingRequestUpdates(ctx context.Context, company CompanyID, after int64, limit int) ([]RequestUpdate, error)
	// AcknowledgeRequestUpdates marks pending updates as taken by caller
	// at the current time, with one result per sequence.
	AcknowledgeRequestUpdates(ctx context.Context, company CompanyID, seqs []int64, caller string) ([]AckResult, error)
	// RequestOutcomes returns the outcomes read for the company, oldest
	// first, and their total number. With unmatchedOnly, only the
	// outcomes that moved no request are returned.
	RequestOutcomes(ctx context.Context, company CompanyID, unmatchedOnly bool, page Page) ([]StoredOutcome, int, error)
}

// RequestSubmission is the part of a submission's transaction that
// building the request file needs. It implements distributor.NameRegistry.
type RequestSubmission interface {
	// NextSeq takes the next progressive number of the company's uploads
	// to a profile; the first is 1.
	NextSeq(profile string) (int64, error)
	// Reserve records a file name for the company and profile, or returns
	// an error wrapping ErrConflict and distributor.ErrNameUsed when the
	// name was used before.
	Reserve(profile, name string) error
}

// OutcomeTx is implemented by the LoadTx of a store that keeps requests,
// so that outcome files change requests in the transaction of their load.
type OutcomeTx interface {
	// ApplyOutcome matches an outcome to the company's request by case
	// number (distributor.ApplyOutcome) and, when it matches, stores the
	// new state and its update with the load's ID. It stores the outcome
	// either way, and returns the anomalies of an outcome that moved no
	// request, such as one with an unknown case number. The caller adds
	// them to the load.
	ApplyOutcome(ctx context.Context, o *distributor.Outcome, at time.Time) (anomaly.List, error)
}

// NewRequest is the data of one submission: the request, its case after
// sending, and the file written for it.
type NewRequest struct {
	Request *distributor.Request
	Case    *distributor.Case
	File    RequestFile
}

// RequestFile is the upload of one request to its distributor.
type RequestFile struct {
	// Folder is the delivery folder relative to the outbox.
	Folder string `json:"folder,omitempty"`
	// Name is the file name in that folder.
	Name string `json:"name"`
	// Inner is the name of the request file inside the zip archive, or
	// "" when the upload is not zipped.
	Inner string `json:"inner,omitempty"`
	// Seq is the upload's progressive number for its profile.
	Seq int64 `json:"seq"`
}

// DistributorRequest is a stored request with its state.
type DistributorRequest struct {
	ID      int64     `json:"id"`
	Company CompanyID `json:"company"`
	// CaseNumber is cod_prat_utente, unique within the company.
	CaseNumber string `json:"caseNumber"`
	// Profile is the ID of the distributor's profile.
	Profile string `json:"profile"`
	// Service is cod_servizio.
	Service string `json:"service"`
	// POD is DatiTecnici/cod_pod, when the request has one.
	POD string `json:"pod,omitempty"`
	// State is the current state.
	State distributor.State `json:"state"`
	// DistributorCase is cod_prat_distr, once an outcome gives it.
	DistributorCase string `json:"distributorCase,omitempty"`
	// Deadline is when the request expires without a final outcome; zero
	// means never.
	Deadline time.Time   `json:"deadline,omitzero"`
	File     RequestFile `json:"file"`
	// Request is the request as submitted.
	Request   *distributor.Request `json:"request"`
	CreatedAt time.Time            `json:"createdAt"`
	UpdatedAt time.Time            `json:"updatedAt"`
	// History is every transition, oldest first. Request fills it;
	// ListRequests leaves it empty.
	History []distributor.Transition `json:"history,omitempty"`
}

// RequestFilter selects requests. Company is required; the other fields
// are optional.
type RequestFilter struct {
	Company CompanyID
	State   distributor.State
	Service string
	Profile string
	POD     string
	Page    Page
}

// RequestUpdate is one state change of a request, as the billing system
// pulls it.
type RequestUpdate struct {
	Seq        int64     `json:"seq"`
	Company    CompanyID `json:"company"`
	CaseNumber string    `json:"caseNumber"`
	Service    string    `json:"service"`
	Profile    string    `json:"profile"`
	// DistributorCase is the request's cod_prat_distr when the update was
	// made.
	DistributorCase string `json:"distributorCase,omitempty"`
	distributor.Transition
	// Load is the load of the outcome file behind the update; 0 for a
	// submission or an expiry.
	Load LoadID `json:"load,omitempty"`
	// TakenAt and TakenBy are set once the update is acknowledged.
	TakenAt *time.Time `json:"takenAt,omitempty"`
	TakenBy string     `json:"takenBy,omitempty"`
}

// AckOutcome is the result of acknowledging one update.
type AckOutcome string

// The acknowledgement outcomes.
const (
	AckOK AckOutcome = "ok"
	// AckNotFound is a sequence that names no update of the company.
	AckNotFound AckOutcome = "not_found"
	// AckAlreadyTaken is an update acknowledged before.
	AckAlreadyTaken AckOutcome = "already_taken"
)

// AckResult is the outcome for one sequence.
type AckResult struct {
	Seq     int64      `json:"seq"`
	Outcome AckOutcome `json:"outcome"`
}

// StoredOutcome is one outcome read from a distributor's file.
type StoredOutcome struct {
	ID      int64     `json:"id"`
	Company CompanyID `json:"company"`
	Load    LoadID    `json:"load"`
	// CaseNumber is the outcome's cod_prat_utente as read.
	CaseNumber string `json:"caseNumber"`
	// Matched reports whether the outcome moved a request.
	Matched bool `json:"matched"`
	// Code and Message are the anomaly of an outcome that moved no
	// request, such as distributor.CodeUnknownCase.
	Code    string               `json:"code,omitempty"`
	Message string               `json:"message,omitempty"`
	Outcome *distributor.Outcome `json:"outcome"`
	ReadAt  time.Time            `json:"readAt"`
}
