package reseller

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/sii"
)

// Unassigned is the name of the output that receives what no rule routes.
// It is reserved: no company may use it as its ID.
const Unassigned = "unassigned"

// MaxTableBytes bounds the JSON text that LoadTable reads.
const MaxTableBytes = 64 << 20

// ErrTable is wrapped by every error about an invalid routing table.
var ErrTable = errors.New("invalid routing table")

// Table is the routing table of a group: which company receives the records
// of each POD. It is plain data, encoded as JSON, so it can sit in the server
// configuration or be replaced through a web service. A Table is not safe for
// concurrent use; Compile returns an immutable Router for the splitters.
type Table struct {
	// Companies are the companies of the group, in the order of the file.
	Companies []Company `json:"companies"`
	// Counterparties map PODs to the VAT number of their commercial
	// counterparty (PIVA_CC), usually built from the latest RCU extract
	// with CounterpartiesFromRCU. Metering flows carry no counterparty, so
	// this map is what lets the CounterpartyVATs of a company apply to them.
	Counterparties []Counterparty `json:"counterparties,omitempty"`
}

// Company is one company of the group and the keys that route records to it.
type Company struct {
	// ID names the company's output folder and must match the company ID
	// of the server configuration: lower-case letters, digits, '-' and '_'.
	ID string `json:"id"`
	// Name is the display name (ragione sociale).
	Name string `json:"name,omitempty"`
	// Contracts are the (PIvaUtente, CodContrDisp) pairs whose files go to
	// this company when no POD-level rule applies.
	Contracts []Contract `json:"contracts,omitempty"`
	// CounterpartyVATs are the VAT numbers of the commercial counterparty
	// (PIVA_CC, PIVA_CONTROPARTE_COMMERCIALE) that this company is.
	CounterpartyVATs []string `json:"counterparty_vats,omitempty"`
	// PODs are the points explicitly assigned to this company, each for a
	// range of days.
	PODs []PODAssignment `json:"pods,omitempty"`
}

// Contract is a dispatching user and one of its dispatching contracts, as
// in the IdentificativiFlusso block of a metering flow.
type Contract struct {
	// SellerVAT is PIvaUtente: the VAT number (or fiscal code) of the
	// dispatching user (UdD).
	SellerVAT string `json:"seller_vat"`
	// DispatchingContract is CodContrDisp, such as "DP0427".
	DispatchingContract string `json:"dispatching_contract"`
}

// Validity is a range of civil days, both ends included. A zero From has no
// start and a zero To has no end.
type Validity struct {
	// From is the first day (yyyy-mm-dd in JSON); omitted means no start.
	From civil.Date `json:"from,omitzero"`
	// To is the last day (yyyy-mm-dd in JSON); omitted means no end.
	To civil.Date `json:"to,omitzero"`
}

// Covers reports whether day d is in the range. An unknown (zero) day is
// covered only by a range with neither start nor end.
func (v Validity) Covers(d civil.Date) bool {
	if d.IsZero() {
		return v.From.IsZero() && v.To.IsZero()
	}
	if !v.From.IsZero() && d.Before(v.From) {
		return false
	}
	return v.To.IsZero() || !d.After(v.To)
}

// overlaps reports whether two ranges share at least one day.
func (v Validity) overlaps(w Validity) bool {
	if !v.To.IsZero() && !w.From.IsZero() && v.To.Before(w.From) {
		return false
	}
	if !w.To.IsZero() && !v.From.IsZero() && w.To.Before(v.From) {
		return false
	}
	return true
}

// PODAssignment assigns one POD to a company for a range of days.
type PODAssignment struct {
	// POD is the 14 or 15 character point code. Only its first 14
	// characters are compared, as the SII does.
	POD string `json:"pod"`
	Validity
}

// Counterparty states that a POD's commercial counterparty (PIVA_CC) was
// VAT for a range of days.
type Counterparty struct {
	// POD is the 14 or 15 character point code (COD_POD).
	POD string `json:"pod"`
	// VAT is PIVA_CC, the VAT number of the commercial counterparty.
	VAT string `json:"vat"`
	Validity
}

// LoadTable decodes a routing table from JSON and validates it. Unknown
// fields are rejected so that a misspelt key does not silently drop a rule.
func LoadTable(r io.Reader) (*Table, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxTableBytes+1))
	if err != nil {
		return nil, fmt.Errorf("reading routing table: %w", err)
	}
	if len(data) > MaxTableBytes {
		return nil, fmt.Errorf("%w: larger than %d bytes", ErrTable, MaxTableBytes)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var t Table
	if err := dec.Decode(&t); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrTable, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%w: data after the JSON object", ErrTable)
	}
	if err := t.Validate(); err != nil {
		return nil, err
	}
	return &t, nil
}

// TableError is one problem of a routing table, located by company and field.
type TableError struct {
	// Company is the ID of the company concerned, or "" for the
	// Counterparties list.
	Company string
	// Field is the JSON path of the offending field, such as "pods[2].to".
	Field string
	// Value is the offending value as text.
	Value string
	// Reason describes the problem.
	Reason string
}

// Error returns the location, the value and the reason.
func (e *TableError) Error() string {
	where := e.Field
	if e.Company != "" {
		where = fmt.Sprintf("company %q %s", e.Company, e.Field)
	}
	return fmt.Sprintf("%s: %s %q: %s", ErrTable, where, e.Value, e.Reason)
}

// Unwrap returns ErrTable.
func (e *TableError) Unwrap() error { return ErrTable }

// Validate checks the whole table and returns every problem joined, or nil.
// It rejects a missing, malformed, reserved or repeated company ID, a range
// that ends before it starts and a POD that is not 14 or 15 characters.
// It also rejects any key that would route the same record to two
// companies. Such keys are a contract or a counterparty VAT listed by two
// companies, and two POD assignments (or two counterparties of one POD)
// whose ranges overlap.
func (t *Table) Validate() error {
	var errs []error
	ids := map[string]bool{}
	contracts := map[Contract]string{}
	vats := map[string]string{}
	for i, c := range t.Companies {
		errs = append(errs, c.validateID(i, ids)...)
		errs = append(errs, c.validateContracts(contracts)...)
		errs = append(errs, c.validateVATs(vats)...)
		for j, p := range c.PODs {
			errs = append(errs, validatePOD(c.ID, fmt.Sprintf("pods[%d]", j), p.POD, p.Validity)...)
		}
	}
	errs = append(errs, t.validateOverlaps()...)
	for i, cp := range t.Counterparties {
		field := fmt.Sprintf("counterparties[%d]", i)
		errs = append(errs, validatePOD("", field, cp.POD, cp.Validity)...)
		if strings.TrimSpace(cp.VAT) == "" {
			errs = append(errs, &TableError{Field: field + ".vat", Reason: "missing VAT number"})
		}
	}
	return errors.Join(errs...)
}

func (c Company) validateID(i int, seen map[string]bool) []error {
	field := fmt.Sprintf("companies[%d].id", i)
	switch {
	case c.ID == "":
		return []error{&TableError{Field: field, Reason: "missing company ID"}}
	case c.ID == Unassigned:
		return []error{&TableError{Field: field, Value: c.ID, Reason: "reserved for the records no rule routes"}}
	case !validID(c.ID):
		return []error{&TableError{Field: field, Value: c.ID, Reason: "use lower-case letters, digits, '-' and '_' only"}}
	case seen[c.ID]:
		return []error{&TableError{Field: field, Value: c.ID, Reason: "company ID used twice"}}
	}
	seen[c.ID] = true
	return nil
}

func validID(id string) bool {
	if len(id) > 64 {
		return false
	}
	for _, r := range id {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '-' && r != '_' {
			return false
		}
	}
	return true
}

func (c Company) validateContracts(seen map[Contract]string) []error {
	var errs []error
	for j, k := range c.Contracts {
		field := fmt.Sprintf("contracts[%d]", j)
		if k.SellerVAT == "" || k.DispatchingContract == "" {
			errs = append(errs, &TableError{Company: c.ID, Field: field, Value: k.SellerVAT + "/" + k.DispatchingContract,
				Reason: "both seller_vat and dispatching_contract are required"})
			continue
		}
		key := normContract(k.SellerVAT, k.DispatchingContract)
		if other, ok := seen[key]; ok {
			errs = append(errs, &TableError{Company: c.ID, Field: field, Value: k.SellerVAT + "/" + k.DispatchingContract,
				Reason: fmt.Sprintf("contract also routed to company %q", other)})
			continue
		}
		seen[key] = c.ID
	}
	return errs
}

func (c Company) validateVATs(seen map[string]string) []error {
	var errs []error
	for j, v := range c.CounterpartyVATs {
		field := fmt.Sprintf("counterparty_vats[%d]", j)
		key := normVAT(v)
		if key == "" {
			errs = append(errs, &TableError{Company: c.ID, Field: field, Reason: "missing VAT number"})
			continue
		}
		if other, ok := seen[key]; ok {
			errs = append(errs, &TableError{Company: c.ID, Field: field, Value: v,
				Reason: fmt.Sprintf("counterparty VAT also routed to company %q", other)})
			continue
		}
		seen[key] = c.ID
	}
	return errs
}

func validatePOD(company, field, pod string, v Validity) []error {
	var errs []error
	if n := len(strings.TrimSpace(pod)); n != 14 && n != 15 {
		errs = append(errs, &TableError{Company: company, Field: field + ".pod", Value: pod, Reason: "a POD has 14 or 15 characters"})
	}
	if !v.From.IsZero() && !v.To.IsZero() && v.To.Before(v.From) {
		errs = append(errs, &TableError{Company: company, Field: field + ".to", Value: v.To.String(),
			Reason: "ends before from " + v.From.String()})
	}
	return errs
}

// validateOverlaps rejects two explicit assignments of one POD, or two
// counterparties of one POD, that share a day.
func (t *Table) validateOverlaps() []error {
	type owned struct {
		company string
		index   int
		v       Validity
	}
	var errs []error
	byPOD := map[string][]owned{}
	for _, c := range t.Companies {
		for j, p := range c.PODs {
			key := sii.PODKey(p.POD)
			for _, o := range byPOD[key] {
				if o.v.overlaps(p.Validity) {
					errs = append(errs, &TableError{Company: c.ID, Field: fmt.Sprintf("pods[%d]", j), Value: p.POD,
						Reason: fmt.Sprintf("overlaps pods[%d] of company %q", o.index, o.company)})
				}
			}
			byPOD[key] = append(byPOD[key], owned{c.ID, j, p.Validity})
		}
	}
	cps := map[string][]owned{}
	for i, cp := range t.Counterparties {
		key := sii.PODKey(cp.POD)
		for _, o := range cps[key] {
			if o.v.overlaps(cp.Validity) {
				errs = append(errs, &TableError{Field: fmt.Sprintf("counterparties[%d]", i), Value: cp.POD,
					Reason: fmt.Sprintf("overlaps counterparties[%d] of the same POD", o.index)})
			}
		}
		cps[key] = append(cps[key], owned{"", i, cp.Validity})
	}
	return errs
}

// PutCompany adds c, or replaces the company with the same ID. The table is
// left unchanged when the result would not validate.
func (t *Table) PutCompany(c Company) error {
	next := t.clone()
	i := slices.IndexFunc(next.Companies, func(o Company) bool { return o.ID == c.ID })
	if i >= 0 {
		next.Companies[i] = c
	} else {
		next.Companies = append(next.Companies, c)
	}
	return t.replaceWith(next)
}

// RemoveCompany removes the company with the given ID and reports whether it
// was there.
func (t *Table) RemoveCompany(id string) bool {
	i := slices.IndexFunc(t.Companies, func(o Company) bool { return o.ID == id })
	if i < 0 {
		return false
	}
	t.Companies = slices.Delete(t.Companies, i, i+1)
	return true
}

// AssignPOD adds an explicit assignment of a POD to the company with the
// given ID. It fails, leaving the table unchanged, when the company does not
// exist or the range overlaps another assignment of the same POD.
func (t *Table) AssignPOD(companyID string, a PODAssignment) error {
	next := t.clone()
	i := slices.IndexFunc(next.Companies, func(o Company) bool { return o.ID == companyID })
	if i < 0 {
		return &TableError{Field: "companies", Value: companyID, Reason: "company not found"}
	}
	next.Companies[i].PODs = append(next.Companies[i].PODs, a)
	return t.replaceWith(next)
}

// SetCounterparties replaces the POD to counterparty map, typically with
// the one built from a new RCU extract. The table is left unchanged when
// the list does not validate.
func (t *Table) SetCounterparties(list []Counterparty) error {
	next := t.clone()
	next.Counterparties = slices.Clone(list)
	return t.replaceWith(next)
}

func (t *Table) replaceWith(next *Table) error {
	if err := next.Validate(); err != nil {
		return err
	}
	*t = *next
	return nil
}

// clone copies the table deeply enough that changing the copy's slices
// leaves t unchanged.
func (t *Table) clone() *Table {
	out := &Table{Counterparties: slices.Clone(t.Counterparties)}
	for _, c := range t.Companies {
		c.Contracts = slices.Clone(c.Contracts)
		c.CounterpartyVATs = slices.Clone(c.CounterpartyVATs)
		c.PODs = slices.Clone(c.PODs)
		out.Companies = append(out.Companies, c)
	}
	return out
}

func normVAT(v string) string { return strings.ToUpper(strings.TrimSpace(v)) }

// normContract keys a contract as the SII compares it: VAT trimmed and
// upper-cased, dispatching contract trimmed and upper-cased.
func normContract(vat, contract string) Contract {
	return Contract{SellerVAT: normVAT(vat), DispatchingContract: strings.ToUpper(strings.TrimSpace(contract))}
}
