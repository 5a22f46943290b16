package flows

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/bludispatcher/dispatcher/internal/civil"
)

// DefaultMaxMonthsBack is how many months before the processing month a
// file's month may be (rule 14): the Acquirente Unico checker's default of
// 68, which covers the five years that corrections may reach back.
const DefaultMaxMonthsBack = 68

// DefaultMaxRecordAnomalies is how many anomalies Validator.Record returns
// for one record before it summarises the rest. The largest record, a
// monthly curve of four quantities, has 4 × 32 × 100 slots, so every one of
// its values can still be reported.
const DefaultMaxRecordAnomalies = 20000

// ValidateOptions configures a Validator. The zero value runs every rule
// with its default severity, takes the current month as the processing
// month and skips the rules that need a registry or a load history.
type ValidateOptions struct {
	// Now is the processing time: its month in Europe/Rome is the
	// processing month of rule 14. The zero value means time.Now().
	Now time.Time
	// MaxMonthsBack is how many months before the processing month a file's
	// month may be (rule 14); 0 means DefaultMaxMonthsBack.
	MaxMonthsBack int

	// Disabled lists rule identifiers (such as RuleCollection or "R24")
	// whose anomalies are dropped.
	Disabled []string
	// Severities overrides the default severity of rules by identifier,
	// as the Acquirente Unico checker lets configuration re-classify its
	// rules.
	Severities map[string]Severity

	// Registry, when not nil, runs rules 4 and 6 against the RCU.
	Registry Registry
	// RegistryExemptContracts are the dispatching contracts for which rules
	// 4 and 6 are skipped; nil means DefaultRegistryExemptContracts.
	RegistryExemptContracts []string

	// AlreadyLoaded, when not nil, runs rule 11: it reports whether a file
	// with this base name and SHA-256 digest of its bytes was already
	// loaded. Validator.CheckDigest calls it.
	AlreadyLoaded func(name string, sha256 [32]byte) (bool, error)

	// AcceptForeignVAT turns off the warning for header VAT numbers that
	// are not 11 digits. The schema allows up to 16 characters so foreign
	// distributors and sellers fit.
	AcceptForeignVAT bool
	// MaxRecordAnomalies bounds the anomalies Validator.Record returns for
	// one record, and Validator.RootElements for the unknown elements under
	// the root; 0 means DefaultMaxRecordAnomalies. The anomalies past the
	// bound are counted in one last anomaly of rule RuleTooManyAnomalies,
	// blocking when any of them is, so a hostile file cannot make the
	// list grow without limit.
	MaxRecordAnomalies int

	// AcceptPDO2GNotRegime reports rule 10 (meter state NR with flow PDO2G)
	// as a warning. The official samples of version 1.8 of the SII standard
	// include a PDO2G NR file, while the Acquirente Unico checker rejects
	// the combination.
	AcceptPDO2GNotRegime bool
}

// ErrUnknownRule is wrapped by the errors of ValidateOptions.Check for a
// rule identifier that names no check of the validator.
var ErrUnknownRule = errors.New("flows: unknown rule id")

// Check returns an error naming every identifier in Disabled and
// Severities that is not a rule of the validator (see Rules), or nil. The
// identifiers are case-sensitive, so the error suggests the rule that
// differs only in letter case. ValidateFile and Validator.Start return
// this error and check nothing.
func (o ValidateOptions) Check() error {
	var errs []error
	for _, id := range o.Disabled {
		if err := checkRuleID("Disabled", id); err != nil {
			errs = append(errs, err)
		}
	}
	ids := make([]string, 0, len(o.Severities))
	for id := range o.Severities {
		ids = append(ids, id)
	}
	slices.Sort(ids) // map order varies, and the message should not
	for _, id := range ids {
		if err := checkRuleID("Severities", id); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// checkRuleID returns an error wrapping ErrUnknownRule when id is not a
// rule identifier; field is the option that holds it.
func checkRuleID(field, id string) error {
	if _, ok := ruleIndex[id]; ok {
		return nil
	}
	for _, r := range ruleTable {
		if strings.EqualFold(r.ID, id) {
			return fmt.Errorf("%w %q in ValidateOptions.%s: rule ids are case-sensitive, did you mean %q?",
				ErrUnknownRule, id, field, r.ID)
		}
	}
	return fmt.Errorf("%w %q in ValidateOptions.%s: flows.Rules lists the valid ids", ErrUnknownRule, id, field)
}

// settings is ValidateOptions resolved once per Validator.
type settings struct {
	processing    civil.Month
	maxMonthsBack int
	disabled      map[string]bool
	severities    map[string]Severity
	exempt        map[string]bool
	maxAnomalies  int
}

func (o ValidateOptions) resolve() settings {
	s := settings{
		processing:    civil.DateOf(o.Now.In(civil.Rome)).MonthOf(),
		maxMonthsBack: o.MaxMonthsBack,
		disabled:      make(map[string]bool, len(o.Disabled)),
		severities:    make(map[string]Severity, len(o.Severities)+1),
		exempt:        map[string]bool{},
	}
	if o.Now.IsZero() {
		s.processing = civil.DateOf(time.Now().In(civil.Rome)).MonthOf()
	}
	if s.maxMonthsBack <= 0 {
		s.maxMonthsBack = DefaultMaxMonthsBack
	}

	s.maxAnomalies = o.MaxRecordAnomalies
	if s.maxAnomalies <= 0 {
		s.maxAnomalies = DefaultMaxRecordAnomalies
	}

	for _, id := range o.Disabled {
		s.disabled[id] = true
	}
	if o.AcceptPDO2GNotRegime {
		s.severities[RulePDO2GNotRegime] = Warning
	}
	if o.AcceptForeignVAT {
		s.disabled[RuleForeignVAT] = true
	}
	for id, sev := range o.Severities {
		s.severities[id] = sev
	}
	exempt := o.RegistryExemptContracts
	if exempt == nil {
		exempt = DefaultRegistryExemptContracts()
	}
	for _, c := range exempt {
		s.exempt[c] = true
	}
	return s
}
