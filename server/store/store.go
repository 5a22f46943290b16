// Package store defines how the reference server keeps what it loads: the
// companies and their API tokens, the load log with every anomaly, the
// original files, and the metering data of each load. Store is the interface;
// the sqlite and postgres packages implement it, and the storetest package is
// the conformance suite both must pass. sqlite.Open(ctx, path) and
// postgres.Open(ctx, dsn) return a Store with its schema migrated.
//
// Every stored row belongs to a company and every query takes one, so a
// caller authenticated for one company never reads another's data.
//
// Values read from files are kept as their exact text: an absent element is
// a nil *string (or an unset flows.Value), an empty one is "", and "0,000" is
// a value like any other. Callers convert to decimal.Decimal at the edges
// with flows.Value.Decimal or the itnum package.
package store

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/bludispatcher/dispatcher/flows"
	"github.com/bludispatcher/dispatcher/internal/anomaly"
	"github.com/bludispatcher/dispatcher/internal/civil"
)

// Store is the storage of the reference server. Implementations are safe for
// concurrent use.
type Store interface {
	Companies
	Tokens
	Loader
	Claims
	Queries
	Registry
	Billing
	DomainStore
	InvoiceStore
	SwitchStore
	RequestStore
	AcciseLedgerStore
	Sessions
	// Close releases the connections of the store.
	Close() error
}

// Companies manages the companies (aziende) of one deployment.
type Companies interface {
	// CreateCompany adds a company and returns it with its ID. A second
	// company with the same Code fails with ErrConflict.
	CreateCompany(ctx context.Context, c Company) (Company, error)
	// Company returns one company, or ErrNotFound.
	Company(ctx context.Context, id CompanyID) (Company, error)
	// CompanyByCode returns the company with the given code, or ErrNotFound.
	CompanyByCode(ctx context.Context, code string) (Company, error)
	// ListCompanies returns every company ordered by ID.
	ListCompanies(ctx context.Context) ([]Company, error)
}

// Tokens manages per-company API tokens. Only the SHA-256 hash of a token is
// stored, so a token cannot be read back after it is created.
type Tokens interface {
	// CreateToken generates a random token for the company, stores its hash
	// under the given name and returns the token text, shown once.
	CreateToken(ctx context.Context, company CompanyID, name string) (string, Token, error)
	// PutToken stores the hash of a token chosen by the operator (for example
	// from the configuration file). Storing the same token again for the same
	// company is a no-op; the same token for another company fails with
	// ErrConflict.
	PutToken(ctx context.Context, company CompanyID, name, token string) (Token, error)
	// Authenticate returns the company a token belongs to, or
	// ErrUnauthorized when the token is unknown or revoked.
	Authenticate(ctx context.Context, token string) (CompanyID, error)
	// AuthenticateHash returns the company of the token whose SHA-256 is
	// sum, with the errors of Authenticate. Web sessions store only the
	// hash.
	AuthenticateHash(ctx context.Context, sum [sha256.Size]byte) (CompanyID, error)
	// RevokeToken disables a token of the company; ErrNotFound when the
	// company has no token with that ID.
	RevokeToken(ctx context.Context, company CompanyID, id int64) error
}

// Loader writes loads. A load is one file: its load log entry, its original
// bytes, its anomalies and its records all commit in one transaction.
type Loader interface {
	// BeginLoad starts the transaction of one file. It stores the original
	// bytes read from info.Original, compressed and addressed by SHA-256,
	// and checks that they hash to info.SHA256 (ErrHashMismatch otherwise).
	//
	// When the company already has a committed load of the same SHA-256
	// with status StatusLoaded or StatusLoadedWithAnomalies, BeginLoad
	// records a StatusDuplicate entry pointing at it and commits it at
	// once, unless info.Repeats returns false for every such load. A
	// rejected load does not count, so its bytes can load again.
	// BeginLoad then returns a *DuplicateError carrying both entries, and
	// loads nothing else. Two
	// concurrent BeginLoad calls for the same bytes never both load them.
	BeginLoad(ctx context.Context, info LoadInfo) (LoadTx, error)
}

// LoadTx is the open transaction of one load. It is not safe for concurrent
// use. Exactly one of Commit and Rollback ends it; after either, further
// calls fail with ErrTxDone.
type LoadTx interface {
	// ID returns the load's ID, valid once BeginLoad returned.
	ID() LoadID
	// AddRecord stores one DatiPod with its anomalies. A record with a
	// blocking anomaly is counted as rejected: its anomalies are stored and
	// its data is not. The first non-nil header is kept with the load.
	// The return value reports whether the record's data was stored.
	AddRecord(ctx context.Context, h *flows.Header, r *flows.Record, anomalies anomaly.List) (bool, error)
	// AddAnomalies stores findings that belong to no stored record, such as
	// file-level ones. A blocking file-level anomaly rejects the whole file
	// at Commit.
	AddAnomalies(ctx context.Context, anomalies anomaly.List) error
	// Commit ends the load, sets its final status and counts, and makes
	// everything visible at once. When the load has a blocking file-level
	// anomaly, or rejected records and none loaded, the status is
	// StatusRejected and no record data is kept (the entry, the anomalies
	// and the original are). When LoadInfo.Claim was set, the claim is
	// marked done in the same transaction.
	Commit(ctx context.Context) (Load, error)
	// Rollback discards the load entirely: no entry, no original, no data.
	// Calling it after Commit is a no-op returning ErrTxDone.
	Rollback(ctx context.Context) error
}

// Claims coordinate several server instances sharing the same inbox folders,
// so that no file is loaded twice. A claim is keyed by company, path and
// SHA-256.
type Claims interface {
	// Claim takes the file for owner until ttl from now. It fails with
	// ErrClaimed when another owner holds an unexpired claim and with
	// ErrClaimDone when a load of this path and hash already committed. An
	// expired claim (its owner crashed) is taken over.
	Claim(ctx context.Context, req ClaimRequest) (Claim, error)
	// RenewClaim extends a claim held by its owner; ErrClaimLost when it
	// expired and another owner took it over.
	RenewClaim(ctx context.Context, c Claim, ttl time.Duration) (Claim, error)
	// ReleaseClaim gives a claim up without loading, so that another
	// instance (or a later scan) can take the file at once.
	ReleaseClaim(ctx context.Context, c Claim) error
}

// Queries are the read paths used by the API and the web pages.
type Queries interface {
	// ListLoads returns the load log entries that match f, newest first,
	// and the total number of matches.
	ListLoads(ctx context.Context, f LoadFilter) ([]Load, int, error)
	// Load returns one load log entry, or ErrNotFound.
	Load(ctx context.Context, company CompanyID, id LoadID) (Load, error)
	// Anomalies returns a page of the anomalies of one load, in the order
	// they were added, and their total number.
	Anomalies(ctx context.Context, company CompanyID, id LoadID, page Page) ([]anomaly.Anomaly, int, error)
	// OpenOriginal returns the original file of a load (also of a rejected
	// or duplicate load) and a reader of its exact bytes. The caller closes
	// the reader.
	OpenOriginal(ctx context.Context, company CompanyID, id LoadID) (Original, io.ReadCloser, error)
	// SearchRecords returns the stored records that match f, and the total
	// number of matches.
	SearchRecords(ctx context.Context, f RecordFilter) ([]RecordRow, int, error)
	// Readings returns the measures and band registers of a POD whose date
	// falls in r, ordered by date and load.
	Readings(ctx context.Context, company CompanyID, pod string, r DateRange) ([]Reading, error)
	// Curve returns the quarter-hour curve days of a POD in r, ordered by
	// day, kind, Dst part and load. With latestOnly, only the newest load's
	// day of each (day, kind, Dst part) is returned.
	Curve(ctx context.Context, company CompanyID, pod string, r DateRange, latestOnly bool) ([]CurveDay, error)
	// Consumptions returns the Consumo and Consumo_StD blocks of a POD whose
	// date falls in r.
	Consumptions(ctx context.Context, company CompanyID, pod string, r DateRange) ([]Reading, error)
	// Corrections returns the corrections of a POD, oldest first, each with
	// the record it replaced. With currentOnly, only the newest correction
	// of each (competence, TipoRettifica) is returned.
	Corrections(ctx context.Context, company CompanyID, pod string, currentOnly bool) ([]Correction, error)
	// Switching returns the switching data (functional and historical
	// flows) of a POD, oldest first.
	Switching(ctx context.Context, company CompanyID, pod string) ([]Switching, error)
	// Technical returns the technical data (DatiPdp) of a POD, oldest first.
	Technical(ctx context.Context, company CompanyID, pod string) ([]Technical, error)
}

// Registry keeps the POD registry skeleton, which the registry service fills.
type Registry interface {
	// PutRegistryEntry inserts or replaces the entry of (company, POD,
	// ValidFrom).
	PutRegistryEntry(ctx context.Context, e RegistryEntry) error
	// RegistryEntries returns the entries of a POD ordered by ValidFrom.
	RegistryEntries(ctx context.Context, company CompanyID, pod string) ([]RegistryEntry, error)
}

// CompanyID identifies a company.
type CompanyID int64

// LoadID identifies a load log entry.
type LoadID int64

// Company is one selling company (azienda) of a deployment.
type Company struct {
	ID CompanyID `json:"id"`
	// Code is the short unique name used in configuration and URLs.
	Code string `json:"code"`
	// Name is the company name (ragione sociale).
	Name string `json:"name"`
	// VAT is the company's VAT number (partita IVA), kept as text.
	VAT       string    `json:"vat,omitempty"`
	CreatedAt time.Time `json:"createdAt"`
}

// Token is an API token's stored description; the token text is not kept.
type Token struct {
	ID        int64      `json:"id"`
	Company   CompanyID  `json:"company"`
	Name      string     `json:"name"`
	CreatedAt time.Time  `json:"createdAt"`
	RevokedAt *time.Time `json:"revokedAt,omitempty"`
}

// LoadStatus is the outcome of a load.
type LoadStatus string

// The load statuses.
const (
	// StatusLoaded is a load with every record stored and no anomaly.
	StatusLoaded LoadStatus = "loaded"
	// StatusLoadedWithAnomalies is a load whose good records are stored and
	// that has anomalies (warnings, or blocking ones on some records).
	StatusLoadedWithAnomalies LoadStatus = "loaded_with_anomalies"
	// StatusRejected is a load that stored no record data.
	StatusRejected LoadStatus = "rejected"
	// StatusDuplicate is a file whose bytes the company already loaded.
	StatusDuplicate LoadStatus = "duplicate"
)

// Valid reports whether s is one of the load statuses.
func (s LoadStatus) Valid() bool {
	switch s {
	case StatusLoaded, StatusLoadedWithAnomalies, StatusRejected, StatusDuplicate:
		return true
	}
	return false
}

// LoadInfo describes a file about to be loaded.
type LoadInfo struct {
	Company CompanyID
	// Name is the original file name, without folders; downloads use it.
	Name string
	// Path is the location the file was found at: a path on disk, or a
	// path inside an archive such as "inbox/2026/a.zip!/b.zip!/c.xml".
	Path string
	// Size is the length of the original in bytes.
	Size int64
	// SHA256 is the hex SHA-256 of the original bytes (64 lowercase digits).
	SHA256 string
	// FlowCode is the file kind, such as "PDO2G", when known before
	// parsing. The CodFlusso of the first header passed to AddRecord
	// replaces it.
	FlowCode string
	// StartedAt is when loading started; the zero time means now.
	StartedAt time.Time
	// Original yields the exact bytes of the file.
	Original io.Reader
	// Claim, when set, is marked done by Commit in the load's transaction.
	Claim *Claim
	// Repeats, when set, reports whether an earlier committed load of the
	// same bytes, given by its name and start time, is the same document.
	// BeginLoad records a duplicate only of a load for which it returns
	// true. When nil, every such load counts.
	Repeats func(name string, startedAt time.Time) bool
}

// Load is one load log entry.
type Load struct {
	ID       LoadID     `json:"id"`
	Company  CompanyID  `json:"company"`
	Name     string     `json:"name"`
	Path     string     `json:"path"`
	Size     int64      `json:"size"`
	SHA256   string     `json:"sha256"`
	FlowCode string     `json:"flowCode,omitempty"`
	Status   LoadStatus `json:"status"`
	// DuplicateOf is the load this duplicate repeats; 0 otherwise.
	DuplicateOf LoadID `json:"duplicateOf,omitempty"`
	// SellerVAT, DistributorVAT and DispatchingContract are PIvaUtente,
	// PIvaDistributore and CodContrDisp of the file header, when read.
	SellerVAT           string    `json:"sellerVat,omitempty"`
	DistributorVAT      string    `json:"distributorVat,omitempty"`
	DispatchingContract string    `json:"dispatchingContract,omitempty"`
	StartedAt           time.Time `json:"startedAt"`
	FinishedAt          time.Time `json:"finishedAt"`
	// RecordsLoaded and RecordsRejected count the DatiPod elements stored
	// and not stored.
	RecordsLoaded   int `json:"recordsLoaded"`
	RecordsRejected int `json:"recordsRejected"`
	// AnomalyCount and BlockingCount count every stored anomaly and the
	// blocking ones.
	AnomalyCount  int `json:"anomalyCount"`
	BlockingCount int `json:"blockingCount"`
}

// Original describes the stored copy of a file.
type Original struct {
	Load   LoadID `json:"load"`
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// Page selects a window of results. A zero Limit means DefaultLimit; Limit
// above MaxLimit is capped.
type Page struct {
	Offset int `json:"offset"`
	Limit  int `json:"limit"`
}

// Paging bounds.
const (
	DefaultLimit = 100
	MaxLimit     = 10000
)

// Normalize returns p with its limit defaulted and capped and a negative
// offset set to zero.
func (p Page) Normalize() Page {
	if p.Limit <= 0 {
		p.Limit = DefaultLimit
	}
	if p.Limit > MaxLimit {
		p.Limit = MaxLimit
	}
	if p.Offset < 0 {
		p.Offset = 0
	}
	return p
}

// TimeRange selects instants in [From, To); a zero bound is open.
type TimeRange struct {
	From, To time.Time
}

// DateRange selects civil dates in [From, To], both included; a zero bound
// is open.
type DateRange struct {
	From, To civil.Date
}

// LoadFilter selects load log entries. Company is required; the other
// fields are optional.
type LoadFilter struct {
	Company  CompanyID
	Statuses []LoadStatus
	FlowCode string
	// FlowCodes selects loads of any of these flow codes, together with
	// FlowCode when that is set too.
	FlowCodes []string
	SHA256    string
	// Started selects on the load's start instant.
	Started TimeRange
	Page    Page
}

// RecordFilter selects stored records. Company is required; the other
// fields are optional.
type RecordFilter struct {
	Company CompanyID
	POD     string
	// Site selects PODs whose registry entry has this site code (sede).
	Site string
	// Month selects the competence month (MeseAnno, or the month of
	// DataMisura, DataPrest or DataInizio).
	Month    civil.Month
	FlowCode string
	Load     LoadID
	// Dates selects on the record's competence date (the first day of
	// MeseAnno, or DataMisura, DataPrest or DataInizio).
	Dates DateRange
	// Sort is the column the results are ordered by; empty means
	// SortByDate. A value that is not Valid fails with ErrInvalid.
	Sort RecordSort
	// Descending reverses the whole order, tiebreakers included.
	Descending bool
	Page       Page
}

// RecordRef points at one stored record: its load and its position among
// the records of that load (1-based).
type RecordRef struct {
	Load LoadID `json:"load"`
	Seq  int    `json:"seq"`
}

// RecordRow is one stored DatiPod, as found by SearchRecords.
type RecordRow struct {
	RecordRef
	Company  CompanyID    `json:"company"`
	FlowCode string       `json:"flowCode"`
	Family   flows.Family `json:"-"`
	// FamilyName is Family's String form.
	FamilyName string `json:"family"`
	POD        string `json:"pod"`
	// Competence is "yyyy-mm" for MeseAnno, otherwise "yyyy-mm-dd".
	Competence string `json:"competence,omitempty"`
	// Date is the competence date (see RecordFilter.Dates), or zero, which
	// JSON omits (SMIS records have none).
	Date           civil.Date `json:"date,omitzero"`
	MonthYear      *string    `json:"monthYear,omitempty"`      // MeseAnno as read
	MeasureDate    *string    `json:"measureDate,omitempty"`    // DataMisura as read
	CorrectionType *string    `json:"correctionType,omitempty"` // TipoRettifica
	DetectionDate  *string    `json:"detectionDate,omitempty"`  // DataRilevazione
	Reason         *string    `json:"reason,omitempty"`         // Motivazione
	ServiceDate    *string    `json:"serviceDate,omitempty"`    // DataPrest
	PracticeCode   *string    `json:"practiceCode,omitempty"`   // CodPrat_SII
	StartDate      *string    `json:"startDate,omitempty"`      // DataInizio
	// Line is the line of the DatiPod start tag in the original.
	Line int `json:"line"`
}

// ReadingKind is the element of a record a Reading comes from.
type ReadingKind string

// The reading kinds.
const (
	ReadingMeasure        ReadingKind = "measure"         // Misura or Curva
	ReadingConsumption    ReadingKind = "consumption"     // Consumo
	ReadingConsumptionStD ReadingKind = "consumption_std" // Consumo_StD
	ReadingRemoval        ReadingKind = "removal"         // Smontaggio (SMIS)
	ReadingInstallation   ReadingKind = "installation"    // Montaggio (SMIS)
)

// Reading is one measure, consumption or meter change of a record with its
// band registers. Text fields are nil when the element was absent.
type Reading struct {
	RecordRef
	POD      string      `json:"pod"`
	FlowCode string      `json:"flowCode"`
	Kind     ReadingKind `json:"kind"`
	// Date is the reading's date: DataMisura, else the first day of
	// MeseAnno, else DataPrest or DataInizio.
	Date          civil.Date `json:"date"`
	XSIType       *string    `json:"xsiType,omitempty"`
	PeriodStart   *string    `json:"periodStart,omitempty"`   // DataInizioPeriodo
	Collection    *string    `json:"collection,omitempty"`    // Raccolta
	DataType      *string    `json:"dataType,omitempty"`      // TipoDato
	ObstacleCause *string    `json:"obstacleCause,omitempty"` // CausaOstativa
	Validated     *string    `json:"validated,omitempty"`     // Validato
	PotMax        *string    `json:"potMax,omitempty"`        // PotMax, kW
	// Registers maps register names (EaF1…EriF6, EaM…EriM, EaF1_StD…) to
	// their text; absent registers have no key.
	Registers map[string]string `json:"registers,omitempty"`
	// Meter holds the meter fields of a Smontaggio or Montaggio (MatrAtt,
	// Ka, TipoMisuratore …) by their regulated names.
	Meter map[string]string `json:"meter,omitempty"`
}

// CurveDay is one Ea, Er, Erc or Eri element: one POD, day, kind and Dst part.
type CurveDay struct {
	RecordRef
	POD      string          `json:"pod"`
	FlowCode string          `json:"flowCode"`
	Kind     flows.CurveKind `json:"-"`
	// KindName is Kind's element name: "Ea", "Er", "Erc" or "Eri".
	KindName string     `json:"kind"`
	Day      civil.Date `json:"day"`
	// Dst is the Dst attribute as read; nil when absent.
	Dst *string `json:"dst,omitempty"`
	// Slots are E1..En in order, n being the highest present attribute.
	Slots []Slot `json:"slots"`
	// S holds S1..S4 of legacy 2G curves; absent ones are not Set. JSON
	// omits S when none is set.
	S [4]Slot `json:"s,omitzero"`
}

// Slot is one quarter-hour attribute of a curve day.
type Slot struct {
	// N is the attribute number (the n of En).
	N int `json:"n"`
	// Text is the value exactly as read; Set is false when absent.
	Text string `json:"text"`
	Set  bool   `json:"set"`
	// Start is the real instant the quarter-hour starts, derived from the
	// day, the Dst part and N; zero when N has no instant on that day.
	Start time.Time `json:"start,omitzero"`
}

// Correction is one record of a correction flow (RFO, RNO, RNV, RSN and
// their 2G variants) with what it replaced.
type Correction struct {
	Record RecordRow `json:"record"`
	// Competence and Type are the key a correction replaces: the POD's
	// competence ("yyyy-mm" or "yyyy-mm-dd") and TipoRettifica.
	Competence string `json:"competence"`
	Type       string `json:"type"`
	// Replaces is the record this correction replaced. It is the previous
	// correction of the same key, or else the newest non-correction record
	// of the same POD and competence, or nil when neither was stored.
	Replaces *RecordRow `json:"replaces,omitempty"`
	// Current reports whether no newer correction of the same key exists.
	Current bool `json:"current"`
}

// SwitchingKind is the switching flow a Switching row comes from.
type SwitchingKind string

// The switching kinds.
const (
	SwitchingFunctional SwitchingKind = "functional" // SOF, SNF, F2G
	SwitchingHistorical SwitchingKind = "historical" // SOS, SNS, S2G
	SwitchingMeter      SwitchingKind = "meter"      // SMIS
)

// Switching is the switching data of one record; its measures, curves and
// technical data are in Readings, Curve and Technical under the same
// RecordRef.
type Switching struct {
	Record RecordRow     `json:"record"`
	Kind   SwitchingKind `json:"kind"`
}

// Technical is the DatiPdp of one record. Fields maps the regulated element
// names (PuntoDispacciamento, Tensione, MatrAtt …) to their text; absent
// elements have no key.
type Technical struct {
	Record RecordRow         `json:"record"`
	Fields map[string]string `json:"fields"`
}

// RegistryEntry is one validity period of a POD in the registry skeleton.
// The registry service fills it; the billing keys tie the POD to the
// billing system's own records.
type RegistryEntry struct {
	Company CompanyID `json:"company"`
	POD     string    `json:"pod"`
	// ValidFrom and ValidTo bound the period, both included; a zero ValidTo
	// means open-ended.
	ValidFrom civil.Date `json:"validFrom"`
	ValidTo   civil.Date `json:"validTo"`
	// SiteCode and SiteName identify the site (sede) of supply.
	SiteCode string `json:"siteCode,omitempty"`
	SiteName string `json:"siteName,omitempty"`
	// CustomerCode, CustomerName and CustomerTaxCode identify the customer
	// (codice fiscale or partita IVA in CustomerTaxCode).
	CustomerCode    string `json:"customerCode,omitempty"`
	CustomerName    string `json:"customerName,omitempty"`
	CustomerTaxCode string `json:"customerTaxCode,omitempty"`
	// BillingCustomerKey, BillingContractKey and BillingSiteKey are the
	// billing system's own identifiers.
	BillingCustomerKey string    `json:"billingCustomerKey,omitempty"`
	BillingContractKey string    `json:"billingContractKey,omitempty"`
	BillingSiteKey     string    `json:"billingSiteKey,omitempty"`
	UpdatedAt          time.Time `json:"updatedAt"`
}

// ClaimRequest is the request to claim one file.
type ClaimRequest struct {
	Company CompanyID
	Path    string
	SHA256  string
	// Owner names the instance, such as "host:pid".
	Owner string
	// TTL is how long the claim lasts without renewal.
	TTL time.Duration
}

// Claim is a file taken by one instance.
type Claim struct {
	ID        int64     `json:"id"`
	Company   CompanyID `json:"company"`
	Path      string    `json:"path"`
	SHA256    string    `json:"sha256"`
	Owner     string    `json:"owner"`
	ExpiresAt time.Time `json:"expiresAt"`
	// Token changes at every take-over, so a stale owner cannot renew or
	// release a claim that another instance now holds.
	Token int64 `json:"token"`
}

// Errors returned by stores. Implementations wrap them, so callers test with
// errors.Is.
var (
	ErrNotFound     = errors.New("store: not found")
	ErrConflict     = errors.New("store: already exists")
	ErrUnauthorized = errors.New("store: unknown or revoked token")
	ErrHashMismatch = errors.New("store: original bytes do not match the SHA-256")
	ErrDuplicate    = errors.New("store: file already loaded")
	ErrTxDone       = errors.New("store: load already committed or rolled back")
	ErrClaimed      = errors.New("store: file claimed by another instance")
	ErrClaimDone    = errors.New("store: file already loaded under this claim key")
	ErrClaimLost    = errors.New("store: claim expired and taken over")
	ErrInvalid      = errors.New("store: invalid argument")
	ErrAmbiguous    = errors.New("store: more than one match")
)

// ClaimedError is returned by Claim for a file another owner holds. It
// unwraps to ErrClaimed.
type ClaimedError struct {
	// Owner and ExpiresAt are the holder of the claim and when it expires
	// unless renewed.
	Owner     string
	ExpiresAt time.Time
}

func (e *ClaimedError) Error() string {
	return fmt.Sprintf("%v: held by %s until %s", ErrClaimed, e.Owner, e.ExpiresAt.Format(time.RFC3339))
}

// Unwrap returns ErrClaimed.
func (e *ClaimedError) Unwrap() error { return ErrClaimed }

// DuplicateError is returned by BeginLoad for a file the company already
// loaded. It unwraps to ErrDuplicate.
type DuplicateError struct {
	// Load is the duplicate entry just recorded.
	Load Load
	// Of is the earlier load with the same bytes.
	Of LoadID
}

func (e *DuplicateError) Error() string {
	return fmt.Sprintf("store: %s (sha256 %s) repeats load %d; recorded as load %d",
		e.Load.Name, e.Load.SHA256, e.Of, e.Load.ID)
}

// Unwrap returns ErrDuplicate.
func (e *DuplicateError) Unwrap() error { return ErrDuplicate }
