package distributor

import (
	"fmt"
	"time"
)

// State is the state of a request.
type State string

// The states of a request.
const (
	// StateDraft is a request not yet sent.
	StateDraft State = "draft"
	// StateSent is a request delivered to the distributor, awaiting its
	// admissibility outcome.
	StateSent State = "sent"
	// StateAdmissible is a request the distributor found admissible,
	// awaiting its final outcome.
	StateAdmissible State = "admissible"
	// StateRejected is a request the distributor found not admissible. It
	// is final: a corrected request is a new case.
	StateRejected State = "rejected"
	// StateDone is a request executed (positive final outcome).
	StateDone State = "done"
	// StateFailed is a request not executed (negative final outcome).
	StateFailed State = "failed"
	// StateExpired is a request with no final outcome by its deadline. A
	// late outcome still moves it on.
	StateExpired State = "expired"
)

// Final reports whether no outcome can change the state any more.
func (s State) Final() bool { return s == StateRejected || s == StateDone || s == StateFailed }

// EventKind is what happened to a request.
type EventKind string

// The events of a request.
const (
	// EventSend is the delivery of the request file.
	EventSend EventKind = "send"
	// EventAdmissible is a positive admissibility outcome.
	EventAdmissible EventKind = "admissible"
	// EventRejected is a negative admissibility outcome.
	EventRejected EventKind = "rejected"
	// EventDone is a positive final outcome.
	EventDone EventKind = "done"
	// EventFailed is a negative final outcome.
	EventFailed EventKind = "failed"
	// EventMeterData is a meter-data flow (A01 0300); it keeps the state.
	EventMeterData EventKind = "meter_data"
	// EventExpire is the deadline passing with no final outcome.
	EventExpire EventKind = "expire"
)

// transitions is the state machine: for each state, the state each event
// leads to. A missing pair is an invalid transition.
var transitions = map[State]map[EventKind]State{
	StateDraft: {EventSend: StateSent},
	StateSent: {
		EventAdmissible: StateAdmissible, EventRejected: StateRejected,
		EventDone: StateDone, EventFailed: StateFailed, EventExpire: StateExpired,
	},
	StateAdmissible: {
		EventDone: StateDone, EventFailed: StateFailed, EventExpire: StateExpired,
		EventMeterData: StateAdmissible,
	},
	StateExpired: {
		EventAdmissible: StateAdmissible, EventRejected: StateRejected,
		EventDone: StateDone, EventFailed: StateFailed, EventMeterData: StateExpired,
	},
	StateDone: {EventMeterData: StateDone},
}

// Next returns the state that event leads to from state, or an error
// wrapping ErrTransition when the state does not accept the event.
func Next(from State, event EventKind) (State, error) {
	to, ok := transitions[from][event]
	if !ok {
		return from, fmt.Errorf("%w: event %s in state %s", ErrTransition, event, from)
	}
	return to, nil
}

// Event is one thing that happened to a request.
type Event struct {
	// Kind is the kind of event.
	Kind EventKind `json:"kind"`
	// At is when it happened (for outcomes, when the file was read).
	At time.Time `json:"at"`
	// File is the request or outcome file, when there is one.
	File string `json:"file,omitempty"`
	// Note is a free explanation, such as the reasons for a rejection.
	Note string `json:"note,omitempty"`
}

// Transition is one entry of a request's history.
type Transition struct {
	// From is the state before the event.
	From State `json:"from"`
	// To is the state after the event; it equals From for meter data.
	To State `json:"to"`
	// Event is the event's kind.
	Event EventKind `json:"event"`
	// At is the event's time.
	At time.Time `json:"at"`
	// File is the event's file.
	File string `json:"file,omitempty"`
	// Note is the event's note.
	Note string `json:"note,omitempty"`
}

// Case is the tracking record of one request: its state, its deadline and
// its history. It holds no hidden state, so a store can persist it as it
// is (it marshals to JSON) and rebuild it.
type Case struct {
	// CaseNumber is the seller's case number, cod_prat_utente.
	CaseNumber string `json:"case_number"`
	// Service is cod_servizio.
	Service string `json:"service"`
	// Profile is the ID of the distributor's profile.
	Profile string `json:"profile,omitempty"`
	// DistributorCase is cod_prat_distr, once an outcome gives it.
	DistributorCase string `json:"distributor_case,omitempty"`
	// State is the current state.
	State State `json:"state"`
	// Deadline is when a request with no final outcome expires; zero
	// means never.
	Deadline time.Time `json:"deadline,omitzero"`
	// History is every transition, oldest first.
	History []Transition `json:"history,omitempty"`
}

// NewCase returns the draft case of a request.
func NewCase(r *Request, profile string) *Case {
	return &Case{CaseNumber: r.IDs.CaseNumber, Service: r.Service, Profile: profile, State: StateDraft}
}

// Apply moves the case by one event and records the transition. On an
// invalid transition the case is unchanged and the error wraps
// ErrTransition.
func (c *Case) Apply(e Event) (Transition, error) {
	to, err := Next(c.State, e.Kind)
	if err != nil {
		return Transition{}, fmt.Errorf("case %s: %w", c.CaseNumber, err)
	}
	t := Transition{From: c.State, To: to, Event: e.Kind, At: e.At, File: e.File, Note: e.Note}
	c.State = to
	c.History = append(c.History, t)
	return t, nil
}

// Send records the delivery of the request file at the given time and
// sets the deadline from d.
func (c *Case) Send(at time.Time, file string, d Deadlines) (Transition, error) {
	t, err := c.Apply(Event{Kind: EventSend, At: at, File: file})
	if err != nil {
		return t, err
	}
	if limit := d.For(c.Service); limit > 0 {
		c.Deadline = at.Add(limit)
	}
	return t, nil
}

// ExpireIfDue moves a sent or admissible case whose deadline has passed at
// now to StateExpired, and reports whether it did.
func (c *Case) ExpireIfDue(now time.Time) (Transition, bool) {
	if c.Deadline.IsZero() || now.Before(c.Deadline) {
		return Transition{}, false
	}
	if c.State != StateSent && c.State != StateAdmissible {
		return Transition{}, false
	}
	t, err := c.Apply(Event{Kind: EventExpire, At: now, Note: "no final outcome by " + c.Deadline.UTC().Format(time.RFC3339)})
	return t, err == nil
}

// Deadlines is the time a distributor has, from sending, to give a final
// outcome.
type Deadlines struct {
	// Default applies to services without their own deadline; zero means
	// no deadline.
	Default time.Duration
	// PerService overrides Default by service code.
	PerService map[string]time.Duration
}

// For returns the deadline of a service.
func (d Deadlines) For(service string) time.Duration {
	if v, ok := d.PerService[service]; ok {
		return v
	}
	return d.Default
}

// Deadlines returns the profile's DeadlineDays as Deadlines, counting a
// day as 24 hours. A nil profile has no deadlines.
func (p *Profile) Deadlines() Deadlines {
	var d Deadlines
	if p == nil {
		return d
	}
	for k, days := range p.DeadlineDays {
		v := time.Duration(days) * 24 * time.Hour
		if k == "*" {
			d.Default = v
			continue
		}
		if d.PerService == nil {
			d.PerService = map[string]time.Duration{}
		}
		d.PerService[k] = v
	}
	return d
}
