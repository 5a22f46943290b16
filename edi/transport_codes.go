package edi

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

//go:embed data/transport_codes.json
var transportCodesJSON []byte

// ComponentGroup is the accounting group of a tariff component.
type ComponentGroup string

// The component groups of the journal and the cost analysis.
const (
	GroupTransport    ComponentGroup = "transport"    // trasmissione
	GroupDistribution ComponentGroup = "distribution" // distribuzione
	GroupMetering     ComponentGroup = "metering"     // misura
	GroupSystem       ComponentGroup = "system"       // oneri generali di sistema (ASOS, ARIM)
	GroupOther        ComponentGroup = "other"        // ulteriori prestazioni e altri corrispettivi
)

// TransportCodes is the code table of transport invoices: the letters
// distributors use for invoice types and debit/credit entries, and the
// group of each tariff component. Entries with a Distributor VAT number
// apply to that sender only and win over the general ones.
type TransportCodes struct {
	Source          string            `json:"source"`
	ValidFrom       string            `json:"validFrom"`
	InvoiceTypes    []InvoiceTypeCode `json:"invoiceTypes"`
	EntryKinds      []EntryKindCode   `json:"entryKinds"`
	ComponentGroups []ComponentCode   `json:"componentGroups"`
}

// InvoiceTypeCode maps a letter to an InvoiceType.
type InvoiceTypeCode struct {
	Commodity   string `json:"commodity"`             // electricity or gas
	Distributor string `json:"distributor,omitempty"` // sender VAT number; empty for all
	Code        string `json:"code"`
	Type        string `json:"type"`            // cycle, correction or further-services
	Guess       bool   `json:"guess,omitempty"` // unconfirmed by a public source
}

// EntryKindCode maps a letter to Debit or Credit.
type EntryKindCode struct {
	Commodity   string `json:"commodity"`
	Distributor string `json:"distributor,omitempty"`
	Code        string `json:"code"`
	Kind        string `json:"kind"` // debit or credit
	Guess       bool   `json:"guess,omitempty"`
}

// ComponentCode maps a tariff component to its group.
type ComponentCode struct {
	Commodity string         `json:"commodity"`
	Code      string         `json:"code"`
	Group     ComponentGroup `json:"group"`
}

// DefaultTransportCodes returns the embedded code table.
func DefaultTransportCodes() *TransportCodes {
	c, err := LoadTransportCodes(strings.NewReader(string(transportCodesJSON)))
	if err != nil {
		panic(fmt.Sprintf("edi: embedded data/transport_codes.json is invalid: %v", err))
	}
	return c
}

// LoadTransportCodes reads a code table in the JSON layout of
// data/transport_codes.json, to override the embedded one.
func LoadTransportCodes(r io.Reader) (*TransportCodes, error) {
	var c TransportCodes
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("invalid transport code table: %w", err)
	}
	for _, t := range c.InvoiceTypes {
		if parseInvoiceType(t.Type) == TypeUnknown {
			return nil, fmt.Errorf("invalid transport code table: invoice type %q of code %q: want cycle, correction or further-services", t.Type, t.Code)
		}
	}
	for _, k := range c.EntryKinds {
		if k.Kind != "debit" && k.Kind != "credit" {
			return nil, fmt.Errorf("invalid transport code table: kind %q of code %q: want debit or credit", k.Kind, k.Code)
		}
	}
	return &c, nil
}

func parseInvoiceType(s string) InvoiceType {
	switch s {
	case "cycle":
		return TypeCycle
	case "correction":
		return TypeCorrection
	case "further-services":
		return TypeFurtherServices
	}
	return TypeUnknown
}

// InvoiceType resolves an invoice type letter for a sender.
func (c *TransportCodes) InvoiceType(commodity Commodity, distributor, code string) (InvoiceType, bool) {
	code = strings.ToUpper(strings.TrimSpace(code))
	found, ok := TypeUnknown, false
	for _, t := range c.InvoiceTypes {
		if t.Commodity != commodity.String() || !strings.EqualFold(t.Code, code) {
			continue
		}
		if t.Distributor == distributor && distributor != "" {
			return parseInvoiceType(t.Type), true
		}
		if t.Distributor == "" && !ok {
			found, ok = parseInvoiceType(t.Type), true
		}
	}
	return found, ok
}

// EntryKind resolves a debit/credit letter for a sender. An empty code is a
// debit.
func (c *TransportCodes) EntryKind(commodity Commodity, distributor, code string) (EntryKind, bool) {
	code = strings.ToUpper(strings.TrimSpace(code))
	if code == "" {
		return Debit, true
	}
	found, ok := Debit, false
	for _, k := range c.EntryKinds {
		if k.Commodity != commodity.String() || !strings.EqualFold(k.Code, code) {
			continue
		}
		kind := Debit
		if k.Kind == "credit" {
			kind = Credit
		}
		if k.Distributor == distributor && distributor != "" {
			return kind, true
		}
		if k.Distributor == "" && !ok {
			found, ok = kind, true
		}
	}
	return found, ok
}

// Group returns the group of a tariff component, GroupOther when unknown.
// Electricity components are matched on their prefix too, so "DIS_FISSA"
// and "ASOS_SCAGL1" find DIS and ASOS.
func (c *TransportCodes) Group(commodity Commodity, component string) ComponentGroup {
	component = strings.ToUpper(strings.TrimSpace(component))
	best, bestLen := GroupOther, 0
	for _, g := range c.ComponentGroups {
		if g.Commodity != commodity.String() {
			continue
		}
		if g.Code == component {
			return g.Group
		}
		if commodity == Electricity && strings.HasPrefix(component, g.Code) && len(g.Code) > bestLen {
			best, bestLen = g.Group, len(g.Code)
		}
	}
	return best
}

// resolve fills Type and Entry of the invoice and its charges.
func (c *TransportCodes) resolve(t *TransportInvoice) {
	sender := t.Flow.SenderVAT
	t.Type, _ = c.InvoiceType(t.Commodity, sender, t.TypeCode)
	t.Entry, _ = c.EntryKind(t.Commodity, sender, t.EntryCode)
	for i := range t.Points {
		for j := range t.Points[i].Charges {
			ch := &t.Points[i].Charges[j]
			ch.Entry, _ = c.EntryKind(t.Commodity, sender, ch.EntryCode)
		}
	}
}
