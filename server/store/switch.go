package store

import (
	"context"
	"time"

	"github.com/bludispatcher/dispatcher/internal/anomaly"
	"github.com/bludispatcher/dispatcher/internal/civil"
)

// SwitchStore keeps the validated switch-ins (switching in of a POD to the
// company) and the operators' decisions on them. Package switching fills
// it from the stored switching flows.
type SwitchStore interface {
	// PutSwitch inserts the switch of (Company, PracticeCode) or replaces
	// the stored one, and returns it with its ID. The ID and FirstSeen of
	// an existing switch are kept. A Decision set on sw is stored as given,
	// so a caller that clears it reopens the switch.
	PutSwitch(ctx context.Context, sw Switch) (Switch, error)
	// Switch returns one switch, or ErrNotFound.
	Switch(ctx context.Context, company CompanyID, id int64) (Switch, error)
	// SwitchByPractice returns the switch of a CodPrat_SII, or ErrNotFound.
	SwitchByPractice(ctx context.Context, company CompanyID, practiceCode string) (Switch, error)
	// ListSwitches returns the switches that match f, newest switch date
	// first, and the total number of matches.
	ListSwitches(ctx context.Context, f SwitchFilter) ([]Switch, int, error)
	// SwitchesOfLoad returns the switches of the PODs that have a record
	// in the given load, ordered by ID.
	SwitchesOfLoad(ctx context.Context, company CompanyID, load LoadID) ([]Switch, error)
	// DecideSwitch applies an operator's decision to a switch whose status
	// is SwitchToReview: accepting makes it SwitchValid, rejecting makes it
	// SwitchInvalid. The switch and the decision log entry change in one
	// transaction. Another status fails with ErrConflict, an unknown ID
	// with ErrNotFound, and a decision without actor with ErrInvalid.
	DecideSwitch(ctx context.Context, company CompanyID, id int64, d SwitchDecision) (Switch, error)
	// SwitchDecisions returns the decision log of a switch, oldest first.
	SwitchDecisions(ctx context.Context, company CompanyID, id int64) ([]SwitchDecision, error)
	// MarkSwitchExported records that the "switch completed" event of the
	// given inputs fingerprint was queued for billing. An empty inputs
	// records that a "switch withdrawn" event cancelled it.
	MarkSwitchExported(ctx context.Context, company CompanyID, id int64, inputs string) error
	// QueueSwitchCompleted puts an ExportSwitchCompleted item in the
	// billing export queue for the starting reading of sw. The item refers
	// to the reading's record, so each starting reading has one item. An
	// item billing already took is made pending again (a re-export), and
	// so is a pending item offered before the ExportSwitchWithdrawn item
	// of the same record.
	QueueSwitchCompleted(ctx context.Context, sw Switch) error
	// QueueSwitchWithdrawn puts an ExportSwitchWithdrawn item in the
	// billing export queue for the ExportSwitchCompleted item of the
	// record completed, which names the starting reading queued for sw. The two items share that record. An item billing already
	// took is made pending again, and so is a pending item offered before
	// the completed item it withdraws. It fails with ErrNotFound when the
	// record has no completed item.
	QueueSwitchWithdrawn(ctx context.Context, sw Switch, completed RecordRef) error
}

// ExportSwitchCompleted is the export kind of a switch that passed
// validation or that an operator accepted: the item refers to the
// starting reading's record, and its entity carries that reading and the
// technical data of the functional data.
const ExportSwitchCompleted ExportKind = "switch_completed"

// ExportSwitchWithdrawn is the export kind of a switch whose "switch
// completed" event was queued and that later became invalid, by an
// operator's rejection or by new data. The item refers to the same record
// as the completed item it withdraws, so billing stops using that
// starting reading. Its entity carries the switch in ExportEntity.Switch.
const ExportSwitchWithdrawn ExportKind = "switch_withdrawn"

// SwitchStatus is the outcome of the validation of a switch.
type SwitchStatus string

// The switch statuses.
const (
	// SwitchIncomplete is a switch still waiting for a needed file: the
	// switching reading, the functional data or the historical data.
	SwitchIncomplete SwitchStatus = "incomplete"
	// SwitchValid is a switch whose data passed every rule, or that an
	// operator accepted.
	SwitchValid SwitchStatus = "valid"
	// SwitchToReview is a switch with warnings that an operator must
	// accept or reject.
	SwitchToReview SwitchStatus = "to_review"
	// SwitchInvalid is a switch with a blocking finding, or that an
	// operator rejected.
	SwitchInvalid SwitchStatus = "invalid"
)

// Valid reports whether s is one of the switch statuses.
func (s SwitchStatus) Valid() bool {
	switch s {
	case SwitchIncomplete, SwitchValid, SwitchToReview, SwitchInvalid:
		return true
	}
	return false
}

// Decision is an operator's decision on a switch to review.
type Decision string

// The decisions.
const (
	DecisionAccept Decision = "accept"
	DecisionReject Decision = "reject"
)

// Switch is one switch-in: a POD that passes to the company on SwitchDate
// under an SII practice, with the outcome of its validation.
type Switch struct {
	ID      int64     `json:"id"`
	Company CompanyID `json:"company"`
	// PracticeCode is CodPrat_SII, the key of the switch.
	PracticeCode string `json:"practiceCode"`
	POD          string `json:"pod"`
	// SwitchDate is DataInizio of the functional data, or DataPrest of the
	// switching reading when no functional data arrived.
	SwitchDate civil.Date `json:"switchDate"`
	// Is2G reports a second-generation meter (SNM2G, F2G, S2G).
	Is2G   bool         `json:"is2G"`
	Status SwitchStatus `json:"status"`
	// Reasons are the findings of the rules: blocking ones make the switch
	// invalid, warnings put it to review. While the switch is incomplete
	// they also name the missing data.
	Reasons anomaly.List `json:"reasons"`
	// Data is the data the validation read: the starting reading, the
	// technical data and the sources.
	Data SwitchData `json:"data"`
	// Inputs fingerprints the records Data was built from, so a later run
	// can tell whether anything changed.
	Inputs string `json:"inputs"`
	// Decision is the operator's decision on these Inputs, or "".
	Decision Decision `json:"decision,omitempty"`
	// ExportedInputs is the Inputs of the queued "switch completed" event.
	// It is set when that event is queued, and is "" before then or once a
	// "switch withdrawn" event has cancelled it.
	ExportedInputs string `json:"exportedInputs,omitempty"`
	// FirstSeen is when the first file of the switch was validated.
	FirstSeen time.Time `json:"firstSeen"`
	// ValidatedAt is when the rules last ran on complete data; zero while
	// the switch is incomplete.
	ValidatedAt time.Time `json:"validatedAt,omitzero"`
	UpdatedAt   time.Time `json:"updatedAt"`
}

// SwitchData is the data of a switch as validated.
type SwitchData struct {
	// Reading is the starting reading: the switching reading (SNM or SNM2G)
	// or the newest switching correction (RSN or RSN2G) that replaced it.
	Reading *SwitchReading `json:"reading,omitempty"`
	// Technical is the DatiPdp of the functional data (SOF, SNF or F2G) by
	// regulated element name.
	Technical map[string]string `json:"technical,omitempty"`
	// Functional is the functional data record.
	Functional *RecordRef `json:"functional,omitempty"`
	// FunctionalFlow is its flow code.
	FunctionalFlow string `json:"functionalFlow,omitempty"`
	// HistoryMonths are the months ("yyyy-mm") of historical data found.
	HistoryMonths []string `json:"historyMonths,omitempty"`
	// MonthlyAverageKWh is the average monthly active energy of the
	// historical data, as a decimal with a point; "" when not computed.
	MonthlyAverageKWh string `json:"monthlyAverageKWh,omitempty"`
	// ImpliedMonthlyKWh is the monthly active energy implied by the
	// starting reading and the nearest other reading of the meter. It is
	// "" when no other reading was found.
	ImpliedMonthlyKWh string `json:"impliedMonthlyKWh,omitempty"`
	// Notes are facts about the validation that are not findings, such as
	// a check skipped for lack of data.
	Notes []string `json:"notes,omitempty"`
}

// SwitchReading is the starting reading of a switch.
type SwitchReading struct {
	Record RecordRef `json:"record"`
	// FlowCode is SNM, SNM2G, RSN or RSN2G.
	FlowCode string `json:"flowCode"`
	// Date is DataMisura: the reading is at 24:00 of this day. It is
	// zero when the file gave no valid date.
	Date civil.Date `json:"date,omitzero"`
	// DataType is TipoDato (E actual, S estimated); "" in corrections,
	// which do not carry it.
	DataType string `json:"dataType,omitempty"`
	// Registers are the band registers by name (EaF1 … PotF6, EaM …) as read.
	Registers map[string]string `json:"registers"`
	// Reason is Motivazione of a correction; "" otherwise.
	Reason string `json:"reason,omitempty"`
}

// SwitchFilter selects switches. Company is required.
type SwitchFilter struct {
	Company  CompanyID
	Statuses []SwitchStatus
	POD      string
	// FirstSeenBefore selects switches first seen before this instant;
	// zero means no bound.
	FirstSeenBefore time.Time
	Page            Page
}

// SwitchDecision is one entry of the decision log of a switch.
type SwitchDecision struct {
	ID       int64    `json:"id"`
	SwitchID int64    `json:"switchId"`
	Decision Decision `json:"decision"`
	// Actor names who decided: the API company code and, when given, the
	// operator's name.
	Actor string `json:"actor"`
	// Reason is the operator's explanation.
	Reason string `json:"reason"`
	// From and To are the statuses before and after the decision.
	From SwitchStatus `json:"from"`
	To   SwitchStatus `json:"to"`
	// Inputs is the fingerprint of the data the decision was taken on.
	Inputs    string    `json:"inputs"`
	DecidedAt time.Time `json:"decidedAt"`
}
