package distributor

import (
	"fmt"
	"strings"
	"time"

	"github.com/bludispatcher/dispatcher/internal/anomaly"
)

// EventOf returns the event that an outcome means for its request, read at
// the given time.
func EventOf(o *Outcome, at time.Time) (Event, error) {
	e := Event{At: at, File: o.File, Note: reasonsNote(o)}
	switch {
	case o.Phase == PhaseAdmissibility && o.Result == ResultPositive:
		e.Kind = EventAdmissible
	case o.Phase == PhaseAdmissibility && o.Result == ResultNegative:
		e.Kind = EventRejected
	case o.Phase == PhaseOutcome && o.Result == ResultPositive:
		e.Kind = EventDone
	case o.Phase == PhaseOutcome && o.Result == ResultNegative:
		e.Kind = EventFailed
	case o.Phase == PhaseMeterData:
		e.Kind = EventMeterData
	default:
		return e, fmt.Errorf("distributor: outcome of case %q has phase %q and result %s: no event", o.IDs.CaseNumber, o.Phase, o.Result)
	}
	return e, nil
}

// reasonsNote joins the reasons and the note of an outcome.
func reasonsNote(o *Outcome) string {
	var parts []string
	for _, r := range o.Reasons {
		s := r.Code
		if r.Description != "" {
			s += " " + r.Description
		}
		parts = append(parts, s)
	}
	if o.Note != "" {
		parts = append(parts, o.Note)
	}
	return strings.Join(parts, "; ")
}

// CaseFinder returns the case of a seller case number, and false when no
// request has it. A store implements it over its own tables.
type CaseFinder func(caseNumber string) (*Case, bool)

// ApplyOutcome matches an outcome to its case by cod_prat_utente and moves
// the case. It returns the transition, and anomalies instead when the case
// number is unknown (CodeUnknownCase), the service differs from the case's
// (CodeOutcome), the outcome has no event (CodeOutcome) or the case's state
// does not accept it (CodeTransition). The caller keeps the outcome either
// way, so that nothing is dropped.
func ApplyOutcome(find CaseFinder, o *Outcome, at time.Time) (Transition, Anomalies) {
	fail := func(code, field, value, msg string) (Transition, anomaly.List) {
		return Transition{}, anomaly.List{{
			Code: code, Rule: "match", Severity: anomaly.Blocking, Level: anomaly.RecordLevel,
			File: o.File, Line: o.Line, Key: o.IDs.CaseNumber, Field: field, Value: value, Message: msg,
		}}
	}
	c, ok := find(o.IDs.CaseNumber)
	if !ok {
		return fail(CodeUnknownCase, "IdentificativiRichiesta/cod_prat_utente", o.IDs.CaseNumber,
			fmt.Sprintf("no request has case number %q: check the seller case number, or register the request first", o.IDs.CaseNumber))
	}
	if o.Service != c.Service {
		return fail(CodeOutcome, "cod_servizio", o.Service,
			fmt.Sprintf("case %s is service %s but the outcome is for service %s", c.CaseNumber, c.Service, o.Service))
	}
	e, err := EventOf(o, at)
	if err != nil {
		return fail(CodeOutcome, "cod_flusso", o.Flow, err.Error())
	}
	t, err := c.Apply(e)
	if err != nil {
		return fail(CodeTransition, "cod_flusso", o.Flow, err.Error())
	}
	if o.IDs.DistributorCase != "" {
		c.DistributorCase = o.IDs.DistributorCase
	}
	return t, nil
}

// Ledger is an in-memory set of cases keyed by case number, with the
// outcomes that matched none. The server keeps cases in its store instead
// and calls ApplyOutcome with its own CaseFinder.
type Ledger struct {
	cases map[string]*Case
	// Unmatched holds the outcomes whose case number matched no case, in
	// arrival order.
	Unmatched []*Outcome
}

// NewLedger returns an empty ledger.
func NewLedger() *Ledger { return &Ledger{cases: map[string]*Case{}} }

// Add registers a case. A second case with the same number is an error.
func (l *Ledger) Add(c *Case) error {
	if c.CaseNumber == "" {
		return fmt.Errorf("distributor: case without case number")
	}
	if _, dup := l.cases[c.CaseNumber]; dup {
		return fmt.Errorf("distributor: case number %q already registered: give each request its own cod_prat_utente", c.CaseNumber)
	}
	l.cases[c.CaseNumber] = c
	return nil
}

// Case returns a case by number; it is a CaseFinder.
func (l *Ledger) Case(caseNumber string) (*Case, bool) {
	c, ok := l.cases[caseNumber]
	return c, ok
}

// Apply applies an outcome like ApplyOutcome and keeps an outcome whose
// case number is unknown in Unmatched.
func (l *Ledger) Apply(o *Outcome, at time.Time) (Transition, Anomalies) {
	t, as := ApplyOutcome(l.Case, o, at)
	for _, a := range as {
		if a.Code == CodeUnknownCase {
			l.Unmatched = append(l.Unmatched, o)
			break
		}
	}
	return t, as
}

// ExpireDue expires every case whose deadline has passed at now and
// returns the transitions, in no particular order.
func (l *Ledger) ExpireDue(now time.Time) []Transition {
	var out []Transition
	for _, c := range l.cases {
		if t, ok := c.ExpireIfDue(now); ok {
			out = append(out, t)
		}
	}
	return out
}
