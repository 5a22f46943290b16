package store

import (
	"context"
	"strings"
	"time"

	"github.com/bludispatcher/dispatcher/internal/civil"
)

// Billing groups the store methods of the billing web services: the
// registry that the billing system pushes and the export queue it pulls.
type Billing interface {
	RegistryStore
	ExportStore
}

// RegistryStore keeps the registry (anagrafica) that a billing system
// pushes: the company's own details, its customers, their sites (sedi) and
// the supply points (POD or PDR) of each site. Every entity is keyed by the
// billing system's code within one company, so a put creates or replaces it.
// Closing an entity sets its ValidTo.
//
// Putting a supply point also writes the POD's RegistryEntry for its
// ValidFrom, with the names of its site and customer, so SearchRecords by
// site finds the records loaded for it. Putting a site or customer again
// rewrites the names kept in the entries that refer to it.
type RegistryStore interface {
	// UpdateCompanyDetails replaces the name, VAT number, billing key and
	// validity of a company; ErrNotFound when it does not exist.
	UpdateCompanyDetails(ctx context.Context, d CompanyDetails) error
	// CompanyDetails returns the registry details of a company.
	CompanyDetails(ctx context.Context, company CompanyID) (CompanyDetails, error)
	// PutCustomer creates or replaces a customer.
	PutCustomer(ctx context.Context, c Customer) error
	// Customer returns one customer, or ErrNotFound.
	Customer(ctx context.Context, company CompanyID, code string) (Customer, error)
	// PutSite creates or replaces a site. Its customer must exist
	// (ErrNotFound otherwise).
	PutSite(ctx context.Context, s Site) error
	// Site returns one site, or ErrNotFound.
	Site(ctx context.Context, company CompanyID, code string) (Site, error)
	// PutSupplyPoint creates or replaces a supply point. Its site must
	// exist (ErrNotFound otherwise). It stores the code as CanonicalPOD
	// returns it.
	PutSupplyPoint(ctx context.Context, p SupplyPoint) error
	// SupplyPoint returns one supply point, or ErrNotFound. It looks code
	// up as CanonicalPOD returns it.
	SupplyPoint(ctx context.Context, company CompanyID, code string) (SupplyPoint, error)
	// SupplyPointByPODKey returns the one supply point whose code begins
	// with key, the 14 characters of a POD without its optional 15th (see
	// sii.PODKey), so a 14-character POD finds a point stored with 15.
	// The key is upper-cased like a stored code, so case does not matter.
	// It returns ErrInvalid when key is not 14 characters, ErrNotFound
	// when no code begins with it, and ErrAmbiguous, with the codes found,
	// when several do.
	SupplyPointByPODKey(ctx context.Context, company CompanyID, key string) (SupplyPoint, error)
}

// Validity bounds a registry entity in civil dates, both included. A zero
// To means open-ended; closing an entity sets To.
type Validity struct {
	From civil.Date `json:"from"`
	To   civil.Date `json:"to"`
}

// CompanyDetails are the registry fields of a company (azienda).
type CompanyDetails struct {
	Company CompanyID `json:"company"`
	// Name is the ragione sociale; VAT the partita IVA.
	Name string `json:"name"`
	VAT  string `json:"vat"`
	// BillingKey is the billing system's own identifier of the company.
	BillingKey string    `json:"billingKey,omitempty"`
	Validity   Validity  `json:"validity"`
	UpdatedAt  time.Time `json:"updatedAt"`
}

// Customer is a final customer (cliente finale) of a company.
type Customer struct {
	Company CompanyID `json:"company"`
	// Code is the billing system's customer key (codice cliente).
	Code string `json:"code"`
	Name string `json:"name"`
	// TaxCode is the codice fiscale; VAT the partita IVA, when any.
	TaxCode   string    `json:"taxCode,omitempty"`
	VAT       string    `json:"vat,omitempty"`
	Validity  Validity  `json:"validity"`
	UpdatedAt time.Time `json:"updatedAt"`
}

// Site is a site of supply (sede) of a customer.
type Site struct {
	Company CompanyID `json:"company"`
	// Code is the billing system's site key (codice sede).
	Code     string `json:"code"`
	Customer string `json:"customer"`
	Name     string `json:"name"`
	// Address, Municipality (comune) and Province (sigla provincia)
	// locate the site.
	Address      string `json:"address,omitempty"`
	Municipality string `json:"municipality,omitempty"`
	Province     string `json:"province,omitempty"`
	// MunicipalityCode is the ISTAT code of the municipality (codice
	// ISTAT del comune), six digits, or empty when billing did not send
	// it. The registry service validates it, and the store keeps it as
	// given.
	MunicipalityCode string    `json:"municipalityCode,omitempty"`
	Validity         Validity  `json:"validity"`
	UpdatedAt        time.Time `json:"updatedAt"`
}

// Commodity is the energy a supply point delivers.
type Commodity string

// The commodities.
const (
	Electricity Commodity = "electricity" // POD
	Gas         Commodity = "gas"         // PDR
)

// CanonicalPOD returns the form in which the store keeps a POD or PDR
// code. The code is upper-cased, as sii.PODKey keys it, so a code that
// billing sends in lower case names the same point as the SII data. A PDR is all digits,
// so only a POD changes.
func CanonicalPOD(code string) string { return strings.ToUpper(code) }

// SupplyPoint is a point of delivery: a POD for electricity or a PDR for gas.
type SupplyPoint struct {
	Company CompanyID `json:"company"`
	// Code is the POD or PDR code, upper-cased (see CanonicalPOD).
	Code      string    `json:"code"`
	Commodity Commodity `json:"commodity"`
	Site      string    `json:"site"`
	// DistributorVAT and DistributorName identify the distributor
	// (distributore) the point is connected to.
	DistributorVAT  string `json:"distributorVat,omitempty"`
	DistributorName string `json:"distributorName,omitempty"`
	// BillingContractKey and BillingSupplyKey are the billing system's own
	// identifiers of the contract and of the supply.
	BillingContractKey string `json:"billingContractKey,omitempty"`
	BillingSupplyKey   string `json:"billingSupplyKey,omitempty"`
	// UdDVAT is the VAT number of the dispatching user (utente del
	// dispacciamento, PIVA_UDD in the SII registry extract) and
	// CounterpartyVAT that of the commercial counterparty (controparte
	// commerciale, PIVA_CC). Empty when billing did not send them.
	UdDVAT          string `json:"uddVat,omitempty"`
	CounterpartyVAT string `json:"counterpartyVat,omitempty"`
	// DispatchingContract is the Terna dispatching contract
	// (CodContrDisp), such as DP0001. Empty when billing did not send it.
	DispatchingContract string `json:"dispatchingContract,omitempty"`
	// Technical is what billing records of the point's connection. The
	// registry service validates it; the store keeps it as given.
	Technical SupplyTechnical `json:"technical"`
	Validity  Validity        `json:"validity"`
	UpdatedAt time.Time       `json:"updatedAt"`
}

// SupplyTechnical is the technical data of an electricity supply point in
// the billing registry. An empty field is one billing did not send.
type SupplyTechnical struct {
	// Treatment is the Trattamento: M (monorario), F (fasce), O (orario)
	// or C (convenzionale orario).
	Treatment string `json:"treatment,omitempty"`
	// ContractedPower is the PotImp and AvailablePower the PotDisp, in kW
	// as decimal text with a point or a comma.
	ContractedPower string `json:"contractedPower,omitempty"`
	AvailablePower  string `json:"availablePower,omitempty"`
	// Voltage is the Tensione in volts, as an integer.
	Voltage string `json:"voltage,omitempty"`
	// MeterType is the meter generation: 1G or 2G.
	MeterType string `json:"meterType,omitempty"`
}

// ExportStore is the billing export queue of each company. Every imported
// entity becomes one ExportItem with a sequence number that never changes.
// An item stays pending until the billing system acknowledges it, and a
// re-export makes it pending again. Acknowledgements and re-exports are
// written to the export log.
//
// Pending items are paged by offer, a position that is the item's sequence
// until a re-export (or a re-queued "switch completed" or "switch
// withdrawn" event, see SwitchStore) offers the item again at a new offer
// above every sequence and offer so far. So a billing system that keeps
// the offer of the last item it listed as its cursor receives re-offered
// items, and no item is listed twice unless it was offered again.
//
// The queue is filled from the committed loads when it is read, so a load
// becomes visible to the export at its commit. New entity kinds (such as a
// completed switch) need only a new ExportKind and a query that feeds it.
type ExportStore interface {
	// PendingExport returns pending items of the company with an offer
	// above f.After, in offer order, at most f.Limit of them.
	PendingExport(ctx context.Context, f ExportFilter) ([]ExportItem, error)
	// ExportEntities returns the items with the given sequences and the
	// data of each. A sequence that is unknown or belongs to another
	// company has Found false.
	ExportEntities(ctx context.Context, company CompanyID, seqs []int64) ([]ExportEntity, error)
	// AcknowledgeExport marks pending items as taken by caller at the
	// current time and logs it, with one result per sequence.
	AcknowledgeExport(ctx context.Context, company CompanyID, seqs []int64, caller string) ([]ExportResult, error)
	// Reexport makes taken items pending again at a new offer and logs
	// it, with one result per sequence. Each item keeps its sequence.
	Reexport(ctx context.Context, company CompanyID, seqs []int64, caller string) ([]ExportResult, error)
	// ExportLog returns the log entries that match f, oldest first, and
	// their total number.
	ExportLog(ctx context.Context, f ExportLogFilter) ([]ExportLogEntry, int, error)
}

// ExportKind is the kind of entity an export item carries.
type ExportKind string

// The export kinds. A correction record yields one correction item, and a
// switching record yields one switching item. Any other record yields one
// item for each of readings, curve, consumption and technical data that it
// carries.
const (
	ExportReading     ExportKind = "reading"
	ExportCurve       ExportKind = "curve"
	ExportConsumption ExportKind = "consumption"
	ExportCorrection  ExportKind = "correction"
	ExportSwitching   ExportKind = "switching"
	ExportTechnical   ExportKind = "technical"
)

// ExportKinds lists every export kind.
var ExportKinds = []ExportKind{ExportReading, ExportCurve, ExportConsumption,
	ExportCorrection, ExportSwitching, ExportTechnical, ExportSwitchCompleted, ExportSwitchWithdrawn}

// ExportFilter selects pending export items. Company is required.
type ExportFilter struct {
	Company CompanyID
	// After is the offer the page starts after (ExportItem.Offer of the
	// last item taken); 0 starts at the oldest.
	After int64
	// Kinds restricts the page to these kinds; empty means all.
	Kinds []ExportKind
	// Limit is the page size: 0 means DefaultLimit, above MaxLimit is
	// capped.
	Limit int
}

// ExportItem is one entry of the export queue.
type ExportItem struct {
	Seq      int64      `json:"seq"`
	Company  CompanyID  `json:"company"`
	Kind     ExportKind `json:"kind"`
	Record   RecordRef  `json:"record"`
	POD      string     `json:"pod"`
	FlowCode string     `json:"flowCode"`
	// CreatedAt is when the item entered the queue.
	CreatedAt time.Time `json:"createdAt"`
	// TakenAt and TakenBy are set while the item is acknowledged.
	TakenAt *time.Time `json:"takenAt,omitempty"`
	TakenBy string     `json:"takenBy,omitempty"`
	// Exports counts the acknowledgements so far.
	Exports int `json:"exports"`
	// Offer is the item's position in PendingExport: Seq until the item
	// is offered again, then a new value above every sequence and offer
	// so far.
	Offer int64 `json:"offer"`
}

// ExportEntity is an export item with its data. Which data fields are set
// depends on the kind.
type ExportEntity struct {
	ExportItem
	// Found is false for a requested sequence that names no item of the
	// company; the other fields are then zero apart from Seq.
	Found bool      `json:"found"`
	Row   RecordRow `json:"row"`
	// Readings holds measures and meter changes (reading, correction and
	// switching kinds) or consumptions (consumption kind).
	Readings  []Reading         `json:"readings,omitempty"`
	Curve     []CurveDay        `json:"curve,omitempty"`
	Technical map[string]string `json:"technical,omitempty"`
	// SwitchingKind is set for the switching kind.
	SwitchingKind SwitchingKind `json:"switchingKind,omitempty"`
	// Replaces is set for a correction that replaced a stored record.
	Replaces *ExportReplaced `json:"replaces,omitempty"`
	// Switch is set for the switch_completed and switch_withdrawn kinds
	// when a stored switch of the item's POD uses or names its record.
	Switch *ExportSwitch `json:"switch,omitempty"`
}

// ExportSwitch is the switch-in that a switch_completed or
// switch_withdrawn item is about, as stored when the item is fetched.
type ExportSwitch struct {
	ID int64 `json:"id"`
	// PracticeCode is CodPrat_SII, the key of the switch.
	PracticeCode string       `json:"practiceCode"`
	POD          string       `json:"pod"`
	SwitchDate   civil.Date   `json:"switchDate"`
	Status       SwitchStatus `json:"status"`
	// ReasonCodes are the codes of Switch.Reasons, such as SW13 for a
	// switch reopened by a correction.
	ReasonCodes []string `json:"reasonCodes,omitempty"`
	// Decision is the newest entry of the decision log while the switch
	// carries an operator's decision, or nil.
	Decision *SwitchDecision `json:"decision,omitempty"`
	// CompletedSeq is, for a switch_withdrawn item, the sequence of the
	// switch_completed item of the same record that it withdraws.
	CompletedSeq int64 `json:"completedSeq,omitempty"`
}

// ExportReplaced is the record a correction replaces, with its export
// state, so the billing system can link the correction to what it took.
type ExportReplaced struct {
	Record RecordRef `json:"record"`
	// Seq is the export item of the replaced record: its correction item,
	// else its first item by sequence that is not a "switch completed"
	// event. It is 0 when the record has none.
	Seq int64 `json:"seq,omitempty"`
	// TakenAt is set when that item was acknowledged before.
	TakenAt *time.Time `json:"takenAt,omitempty"`
}

// ExportOutcome is the result of acknowledging or re-exporting one item.
type ExportOutcome string

// The export outcomes.
const (
	ExportOK ExportOutcome = "ok"
	// ExportNotFound is a sequence that names no item of the company.
	ExportNotFound ExportOutcome = "not_found"
	// ExportAlreadyTaken is an acknowledgement of an item already taken.
	ExportAlreadyTaken ExportOutcome = "already_taken"
	// ExportNotTaken is a re-export of an item still pending.
	ExportNotTaken ExportOutcome = "not_taken"
)

// ExportResult is the outcome for one sequence.
type ExportResult struct {
	Seq     int64         `json:"seq"`
	Outcome ExportOutcome `json:"outcome"`
}

// ExportAction is what an export log entry records.
type ExportAction string

// The export actions.
const (
	ExportActionAcknowledge ExportAction = "acknowledge"
	ExportActionReexport    ExportAction = "reexport"
)

// ExportLogFilter selects export log entries. Company is required.
type ExportLogFilter struct {
	Company CompanyID
	// Seq selects the entries of one item when not 0.
	Seq    int64
	Action ExportAction
	// At selects on the entry's instant.
	At   TimeRange
	Page Page
}

// ExportLogEntry is one acknowledgement or re-export of an item.
type ExportLogEntry struct {
	ID     int64        `json:"id"`
	Seq    int64        `json:"seq"`
	Kind   ExportKind   `json:"kind"`
	Action ExportAction `json:"action"`
	At     time.Time    `json:"at"`
	Caller string       `json:"caller"`
}
