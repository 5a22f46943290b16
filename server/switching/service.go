// Package switching validates the switch-ins of the reference server. A
// switch-in is a POD passing to the company under an SII practice
// (CodPrat_SII) on a switch date. Its data arrive in separate files. The
// switching reading (SNM, SNM2G) is taken at 24:00 of the day before the
// switch. The functional data (SOF, SNF, F2G) describe the supply, the
// historical data (SOS, SNS, S2G) the months before the switch, and a
// correction (RSN, RSN2G) may replace the reading later.
//
// Once the reading, the functional data and the historical data are all
// stored, the rules of rules.go decide whether the switch is valid, to
// review or invalid. A valid switch is queued for billing as a "switch
// completed" event carrying the starting reading and the technical data.
// Operators accept or reject a switch to review, and each decision is
// logged. A correction of the reading that arrives later reopens the
// switch. A daily job reports switches still missing data.
//
// Billing gets an event for every later change of a switch whose
// completed event was queued, whether or not billing has taken it yet.
// Accepting a reopened switch, or new data that keep it valid, queues the
// completed event of its current data again. That is a new item when the
// starting reading changed, or else the old item, offered again once
// billing has taken it. A switch that becomes invalid,
// because an operator rejected it or because new data break a blocking
// rule, queues one "switch withdrawn" event for the starting reading of
// that completed event. That event carries the practice code, POD, switch
// date, reason codes and the operator's decision, if any. Validating the
// switch again queues nothing more until the switch is valid once more.
// A switch that goes back to review or becomes incomplete queues no event,
// so billing keeps its completed event until the switch becomes invalid.
package switching

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/bludispatcher/dispatcher/flows"
	"github.com/bludispatcher/dispatcher/internal/anomaly"
	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/server/store"
)

// Defaults of Options.
var (
	// DefaultTolerance allows the implied monthly consumption to differ
	// from the historical average by half of it.
	DefaultTolerance = decimal.RequireFromString("0.5")
)

// Defaults of Options that are plain numbers.
const (
	// DefaultMissingAfterDays is how many days after its first file a
	// switch still missing data is reported.
	DefaultMissingAfterDays = 10
	// DefaultJobInterval is the time between two runs of the missing-data
	// report.
	DefaultJobInterval = 24 * time.Hour
)

// Options configure the validation. Zero fields take the defaults.
type Options struct {
	// Tolerance is the allowed relative difference between the monthly
	// consumption implied by the reading and the historical average, such
	// as 0.5 for 50 %.
	Tolerance decimal.Decimal
	// MissingAfterDays is how many days after its first file a switch
	// still incomplete is reported as missing data.
	MissingAfterDays int
	// JobInterval is the time between two runs of the missing-data report.
	JobInterval time.Duration
	// Now returns the current time (time.Now when nil).
	Now func() time.Time
}

func (o Options) withDefaults() Options {
	if !o.Tolerance.IsPositive() {
		o.Tolerance = DefaultTolerance
	}
	if o.MissingAfterDays <= 0 {
		o.MissingAfterDays = DefaultMissingAfterDays
	}
	if o.JobInterval <= 0 {
		o.JobInterval = DefaultJobInterval
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// RegistrySource returns the technical data that the billing registry
// records for a POD on a date, by regulated name (Trattamento, Tensione,
// PotImp, PotDisp), or nil when it records none.
type RegistrySource interface {
	RegistryFacts(ctx context.Context, company store.CompanyID, pod string, date civil.Date) (map[string]string, error)
}

// Exporter queues the billing events of switches: "switch completed" for
// a valid switch and "switch withdrawn" for an invalid switch whose
// completed event, of the starting reading record completed, was queued.
// A store.Store implements it (see store.SwitchStore).
type Exporter interface {
	QueueSwitchCompleted(ctx context.Context, sw store.Switch) error
	QueueSwitchWithdrawn(ctx context.Context, sw store.Switch, completed store.RecordRef) error
}

// Service validates switches against a store.
type Service struct {
	store    store.Store
	opts     Options
	registry RegistrySource
	export   Exporter
	log      *slog.Logger
}

// New returns a service over st. registry and export may be nil: without
// a registry source only the POD's presence in the registry is checked,
// and without an exporter no event is queued.
func New(st store.Store, opts Options, registry RegistrySource, export Exporter, log *slog.Logger) *Service {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{store: st, opts: opts.withDefaults(), registry: registry, export: export, log: log}
}

// Options returns the options with their defaults filled in.
func (s *Service) Options() Options { return s.opts }

// ErrNoData is returned by Validate for a practice code with neither a
// switching reading nor functional data stored. It wraps store.ErrNotFound.
var ErrNoData = fmt.Errorf("%w: no switching reading or functional data for the practice", store.ErrNotFound)

// Validate gathers the data of the switch of practiceCode on pod, runs
// the rules, stores the outcome and queues the billing event of a valid
// switch. An operator's decision is kept while the data it was taken on
// do not change.
func (s *Service) Validate(ctx context.Context, company store.CompanyID, practiceCode, pod string) (store.Switch, error) {
	in, err := gather(ctx, s.store, company, practiceCode, pod)
	if err != nil {
		return store.Switch{}, err
	}
	if in.Functional == nil && in.ReadingRow == nil {
		return store.Switch{}, fmt.Errorf("%w: %s, POD %s", ErrNoData, practiceCode, pod)
	}
	if s.registry != nil && !in.SwitchDate.IsZero() {
		if in.RegistryFacts, err = s.registry.RegistryFacts(ctx, company, pod, in.SwitchDate); err != nil {
			return store.Switch{}, err
		}
	}
	out := Evaluate(in, s.opts)

	existing, err := s.store.SwitchByPractice(ctx, company, practiceCode)
	found := err == nil
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return store.Switch{}, err
	}
	if found && existing.Decision != "" && existing.Inputs == out.Inputs {
		return s.queueEvent(ctx, existing)
	}
	if found && reopened(existing, out) {
		out.Reasons = append(out.Reasons, RuleReopened.finding(pod, "CodPrat_SII", practiceCode,
			"the starting reading is now "+out.Data.Reading.FlowCode))
		out.Status = statusOf(out.Reasons)
	}

	sw := store.Switch{Company: company, PracticeCode: practiceCode, POD: pod, SwitchDate: in.SwitchDate,
		Is2G: in.Is2G(), Status: out.Status, Reasons: out.Reasons, Data: out.Data, Inputs: out.Inputs}
	if !found {
		sw.FirstSeen = s.opts.Now()
	}
	if out.Status != store.SwitchIncomplete {
		sw.ValidatedAt = s.opts.Now()
	}
	saved, err := s.store.PutSwitch(ctx, sw)
	if err != nil {
		return store.Switch{}, err
	}
	if !found || existing.Status != saved.Status {
		s.log.Info("switch validated", "company", company, "practice", practiceCode, "pod", pod,
			"status", saved.Status, "reasons", codes(saved.Reasons))
	}
	return s.queueEvent(ctx, saved)
}

// reopened reports whether a correction changed the starting reading of
// a switch already validated, or whether the stored switch was reopened
// before and its data have not changed since.
func reopened(existing store.Switch, out Outcome) bool {
	if out.Status == store.SwitchIncomplete {
		return false
	}
	if existing.Inputs == out.Inputs {
		for _, r := range existing.Reasons {
			if r.Code == RuleReopened.Code {
				return true
			}
		}
		return false
	}
	return !existing.ValidatedAt.IsZero() && correctionPart(existing.Inputs) != correctionPart(out.Inputs) &&
		correctionPart(out.Inputs) != "correction=-"
}

// correctionPart returns the correction reference of an inputs fingerprint.
func correctionPart(inputs string) string {
	for _, part := range strings.Split(inputs, ";") {
		if strings.HasPrefix(part, "correction=") {
			return part
		}
	}
	return ""
}

// queueEvent queues the billing event that the status of sw calls for. A
// valid switch whose data have not been queued yet gets the "switch
// completed" event. An invalid switch whose completed event was queued
// gets the "switch withdrawn" event.
func (s *Service) queueEvent(ctx context.Context, sw store.Switch) (store.Switch, error) {
	switch {
	case s.export == nil:
		return sw, nil
	case sw.Status == store.SwitchValid && sw.ExportedInputs != sw.Inputs:
		return s.queueCompleted(ctx, sw)
	case sw.Status == store.SwitchInvalid && sw.ExportedInputs != "":
		return s.queueWithdrawn(ctx, sw)
	}
	return sw, nil
}

func (s *Service) queueCompleted(ctx context.Context, sw store.Switch) (store.Switch, error) {
	if err := s.export.QueueSwitchCompleted(ctx, sw); err != nil {
		return sw, fmt.Errorf("queue switch completed event of %s: %w", sw.PracticeCode, err)
	}
	if err := s.store.MarkSwitchExported(ctx, sw.Company, sw.ID, sw.Inputs); err != nil {
		return sw, err
	}
	sw.ExportedInputs = sw.Inputs
	s.log.Info("switch completed event queued", "company", sw.Company, "practice", sw.PracticeCode, "pod", sw.POD)
	return sw, nil
}

// queueWithdrawn queues the "switch withdrawn" event of the completed
// event queued for sw, then clears ExportedInputs so that later runs
// on the same data queue nothing.
func (s *Service) queueWithdrawn(ctx context.Context, sw store.Switch) (store.Switch, error) {
	candidates := exportedReadings(sw.ExportedInputs)
	var err error
	for _, ref := range candidates {
		err = s.export.QueueSwitchWithdrawn(ctx, sw, ref)
		if !errors.Is(err, store.ErrNotFound) {
			break
		}
	}
	switch {
	case len(candidates) == 0:
		return sw, fmt.Errorf("queue switch withdrawn event of %s: exported inputs %q name no starting reading record",
			sw.PracticeCode, sw.ExportedInputs)
	case err != nil:
		return sw, fmt.Errorf("queue switch withdrawn event of %s: %w", sw.PracticeCode, err)
	}
	if err := s.store.MarkSwitchExported(ctx, sw.Company, sw.ID, ""); err != nil {
		return sw, err
	}
	s.log.Info("switch withdrawn event queued", "company", sw.Company, "practice", sw.PracticeCode, "pod", sw.POD,
		"reasons", codes(sw.Reasons), "decision", sw.Decision)
	sw.ExportedInputs = ""
	return sw, nil
}

// exportedReadings returns the records that may be the starting reading
// of the completed event queued for an inputs fingerprint: the switching
// correction first, then the switching reading. The event used the
// correction unless its reading was missing.
func exportedReadings(inputs string) []store.RecordRef {
	var reading, correction []store.RecordRef
	for _, part := range strings.Split(inputs, ";") {
		name, value, _ := strings.Cut(part, "=")
		load, seq, ok := strings.Cut(value, "/")
		if !ok {
			continue
		}
		l, errLoad := strconv.ParseInt(load, 10, 64)
		n, errSeq := strconv.Atoi(seq)
		if errLoad != nil || errSeq != nil {
			continue
		}
		ref := store.RecordRef{Load: store.LoadID(l), Seq: n}
		switch name {
		case "reading":
			reading = append(reading, ref)
		case "correction":
			correction = append(correction, ref)
		}
	}
	return append(correction, reading...)
}

// ValidateLoad validates the switches that a committed load may complete
// or change. Switching readings, functional data and switching corrections
// name their switch by practice code. Historical data and corrections also
// reach the stored switches of their PODs, and any other flow reaches the
// stored switches of its PODs that wait for a decision.
func (s *Service) ValidateLoad(ctx context.Context, company store.CompanyID, l store.Load) ([]store.Switch, error) {
	if l.Status != store.StatusLoaded && l.Status != store.StatusLoadedWithAnomalies {
		return nil, nil
	}
	keys, err := s.loadKeys(ctx, company, l)
	if err != nil {
		return nil, err
	}
	var out []store.Switch
	var errs []error
	for _, k := range keys {
		sw, err := s.Validate(ctx, company, k.practice, k.pod)
		if errors.Is(err, ErrNoData) {
			continue
		}
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, sw)
	}
	return out, errors.Join(errs...)
}

type switchKey struct{ practice, pod string }

// loadKeys returns the switches a load concerns, each once, in order.
func (s *Service) loadKeys(ctx context.Context, company store.CompanyID, l store.Load) ([]switchKey, error) {
	var keys []switchKey
	seen := map[switchKey]bool{}
	add := func(k switchKey) {
		if k.practice != "" && k.pod != "" && !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	fam := flowFamily(l.FlowCode)
	byPractice := isSwitchingReading(l.FlowCode) || isSwitchingCorrection(l.FlowCode) || fam == flows.SwitchingFunctional
	if byPractice {
		page := store.Page{Limit: store.MaxLimit}
		for {
			rows, total, err := s.store.SearchRecords(ctx, store.RecordFilter{Company: company, Load: l.ID, Page: page})
			if err != nil {
				return nil, err
			}
			for _, r := range rows {
				add(switchKey{text(r.PracticeCode), r.POD})
			}
			page.Offset += len(rows)
			if len(rows) == 0 || page.Offset >= total {
				break
			}
		}
	}
	stored, err := s.store.SwitchesOfLoad(ctx, company, l.ID)
	if err != nil {
		return nil, err
	}
	for _, sw := range stored {
		// A correction without practice code still reaches its switch by POD.
		relevant := fam == flows.SwitchingHistorical || isSwitchingCorrection(l.FlowCode) ||
			sw.Status == store.SwitchToReview && sw.Decision == ""
		if relevant {
			add(switchKey{sw.PracticeCode, sw.POD})
		}
	}
	return keys, nil
}

// Decide applies an operator's decision to a switch to review, logs it,
// and queues the billing event that the decision calls for: completed on
// acceptance, withdrawn on the rejection of a switch whose completed event
// was queued.
func (s *Service) Decide(ctx context.Context, company store.CompanyID, id int64, d store.SwitchDecision) (store.Switch, error) {
	sw, err := s.store.DecideSwitch(ctx, company, id, d)
	if err != nil {
		return store.Switch{}, err
	}
	s.log.Info("switch decided", "company", company, "switch", id, "practice", sw.PracticeCode, "pod", sw.POD,
		"decision", d.Decision, "actor", d.Actor, "reason", d.Reason, "status", sw.Status)
	return s.queueEvent(ctx, sw)
}

// Missing returns the switches of a company still incomplete more than
// MissingAfterDays after their first file, oldest first seen last.
func (s *Service) Missing(ctx context.Context, company store.CompanyID, page store.Page) ([]store.Switch, int, error) {
	before := s.opts.Now().Add(-time.Duration(s.opts.MissingAfterDays) * 24 * time.Hour)
	return s.store.ListSwitches(ctx, store.SwitchFilter{Company: company,
		Statuses: []store.SwitchStatus{store.SwitchIncomplete}, FirstSeenBefore: before, Page: page})
}

// ReportMissing logs, as warnings, every switch of the companies still
// missing data past the deadline, and returns how many it found.
func (s *Service) ReportMissing(ctx context.Context, companies []store.CompanyID) (int, error) {
	n := 0
	for _, co := range companies {
		page := store.Page{Limit: store.MaxLimit}
		for {
			list, total, err := s.Missing(ctx, co, page)
			if err != nil {
				return n, err
			}
			for _, sw := range list {
				s.log.Warn("switch still missing data", "company", co, "practice", sw.PracticeCode, "pod", sw.POD,
					"switch_date", sw.SwitchDate.String(), "first_seen", sw.FirstSeen, "missing", codes(sw.Reasons))
			}
			n += len(list)
			page.Offset += len(list)
			if len(list) == 0 || page.Offset >= total {
				break
			}
		}
	}
	return n, nil
}

// RunJob reports the switches missing data now and then every
// JobInterval until ctx is cancelled.
func (s *Service) RunJob(ctx context.Context, companies []store.CompanyID) {
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		}
		n, err := s.ReportMissing(ctx, companies)
		switch {
		case err != nil && ctx.Err() == nil:
			s.log.Error("missing switch data report failed", "error", err)
		case err == nil:
			s.log.Info("missing switch data report finished", "switches", n,
				"missing_after_days", s.opts.MissingAfterDays)
		}
		timer.Reset(s.opts.JobInterval)
	}
}

// codes returns the codes of the reasons, for logs.
func codes(reasons anomaly.List) string {
	out := make([]string, len(reasons))
	for i, r := range reasons {
		out[i] = r.Code
	}
	return strings.Join(out, ",")
}
