package reseller

import (
	"fmt"

	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/sii"
)

// Rule names the rule that routed a record, as reported in Decision.Rule.
type Rule string

// The routing rules, in order of precedence.
const (
	// RulePOD is an explicit POD assignment whose range covers the day.
	RulePOD Rule = "pod"
	// RuleCounterparty is the POD's commercial counterparty (PIVA_CC) on
	// the day, when a company lists that VAT number.
	RuleCounterparty Rule = "counterparty"
	// RuleContract is the file's PIvaUtente and CodContrDisp.
	RuleContract Rule = "contract"
	// RuleNone means no rule applies: the record is unassigned.
	RuleNone Rule = "none"
)

// Decision is the output chosen for one record, or for one day of it.
type Decision struct {
	// Company is the company ID, or Unassigned.
	Company string
	// Rule is the rule that decided.
	Rule Rule
	// Reason explains an Unassigned decision.
	Reason string
}

// Router answers routing questions from a compiled Table. It is immutable and
// safe for concurrent use.
type Router struct {
	ids            []string
	pods           map[string][]routedRange
	counterparties map[string][]counterpartyRange
	byVAT          map[string]string
	byContract     map[Contract]string
}

type routedRange struct {
	company string
	v       Validity
}

type counterpartyRange struct {
	vat string
	v   Validity
}

// Compile validates the table and builds its Router. Later changes to the
// table do not affect the Router.
func (t *Table) Compile() (*Router, error) {
	if err := t.Validate(); err != nil {
		return nil, err
	}
	r := &Router{
		pods:           map[string][]routedRange{},
		counterparties: map[string][]counterpartyRange{},
		byVAT:          map[string]string{},
		byContract:     map[Contract]string{},
	}
	for _, c := range t.Companies {
		r.ids = append(r.ids, c.ID)
		for _, k := range c.Contracts {
			r.byContract[normContract(k.SellerVAT, k.DispatchingContract)] = c.ID
		}
		for _, v := range c.CounterpartyVATs {
			r.byVAT[normVAT(v)] = c.ID
		}
		for _, p := range c.PODs {
			key := sii.PODKey(p.POD)
			r.pods[key] = append(r.pods[key], routedRange{c.ID, p.Validity})
		}
	}
	for _, cp := range t.Counterparties {
		key := sii.PODKey(cp.POD)
		r.counterparties[key] = append(r.counterparties[key], counterpartyRange{normVAT(cp.VAT), cp.Validity})
	}
	return r, nil
}

// Companies returns the company IDs in table order.
func (r *Router) Companies() []string { return append([]string(nil), r.ids...) }

// Route decides the company of POD pod on day, for a file of contract k.
// The rules apply in this order, and the first that matches decides:
//
//  1. an explicit POD assignment covering day;
//  2. the POD's counterparty (from Table.Counterparties) covering day: its
//     company when one lists that VAT, else Unassigned, because the point
//     belongs to a counterparty outside the group;
//  3. the company of contract k;
//  4. Unassigned.
//
// A zero day matches only ranges with neither start nor end.
func (r *Router) Route(pod string, day civil.Date, k Contract) Decision {
	key := sii.PODKey(pod)
	for _, p := range r.pods[key] {
		if p.v.Covers(day) {
			return Decision{Company: p.company, Rule: RulePOD}
		}
	}
	for _, cp := range r.counterparties[key] {
		if !cp.v.Covers(day) {
			continue
		}
		if id, ok := r.byVAT[cp.vat]; ok {
			return Decision{Company: id, Rule: RuleCounterparty}
		}
		return Decision{Company: Unassigned, Rule: RuleNone,
			Reason: fmt.Sprintf("counterparty VAT %s is not a company of the group", cp.vat)}
	}
	if id, ok := r.byContract[normContract(k.SellerVAT, k.DispatchingContract)]; ok {
		return Decision{Company: id, Rule: RuleContract}
	}
	return Decision{Company: Unassigned, Rule: RuleNone, Reason: noRuleReason(day, k)}
}

// RouteCounterparty decides the company of an RCU row: an explicit POD
// assignment covering day first, then the row's own PIVA_CC. There is no
// contract fallback because the extract rows carry no CodContrDisp.
func (r *Router) RouteCounterparty(pod, vat string, day civil.Date) Decision {
	key := sii.PODKey(pod)
	for _, p := range r.pods[key] {
		if p.v.Covers(day) {
			return Decision{Company: p.company, Rule: RulePOD}
		}
	}
	if id, ok := r.byVAT[normVAT(vat)]; ok {
		return Decision{Company: id, Rule: RuleCounterparty}
	}
	if normVAT(vat) == "" {
		return Decision{Company: Unassigned, Rule: RuleNone, Reason: "empty PIVA_CC"}
	}
	return Decision{Company: Unassigned, Rule: RuleNone,
		Reason: fmt.Sprintf("counterparty VAT %s is not a company of the group", normVAT(vat))}
}

func noRuleReason(day civil.Date, k Contract) string {
	when := "on an unknown day"
	if !day.IsZero() {
		when = "on " + day.String()
	}
	return fmt.Sprintf("no POD or counterparty rule %s and contract %s/%s is not routed", when, k.SellerVAT, k.DispatchingContract)
}
