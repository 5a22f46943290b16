package distributor

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"sort"

	"github.com/bludispatcher/dispatcher/internal/civil"
)

// Phase is a step of the exchange for one request.
type Phase string

// The phases of a request. Each service maps the phases it uses to a flow
// code (cod_flusso).
const (
	// PhaseRequest is the seller's request (E050 or 0050).
	PhaseRequest Phase = "request"
	// PhaseAdmissibility is the distributor's admissibility outcome, with
	// verifica_amm and the reasons for rejection (E100 or 0100).
	PhaseAdmissibility Phase = "admissibility"
	// PhaseOutcome is the distributor's final outcome, with Esito and the
	// execution data (E150 or 0150).
	PhaseOutcome Phase = "outcome"
	// PhaseMeterData is the flow that public seller code reads after an
	// activation (A01 0300), assumed to carry meter and reading data.
	PhaseMeterData Phase = "meter_data"
)

// Service is one kind of request: a service of the ARERA standard or one
// that a distributor offers on its own.
type Service struct {
	// Code is cod_servizio, such as "A01".
	Code string `json:"code"`
	// Name is the service's name as the standard or the distributor gives
	// it.
	Name string `json:"name"`
	// Standard is true for the services of the ARERA standard.
	Standard bool `json:"standard"`
	// Flows maps each phase the service uses to its flow code.
	Flows map[Phase]string `json:"flows"`
	// FlowsSeen is true when the flow codes were seen in public material;
	// false when they follow the other services by assumption.
	FlowsSeen bool `json:"flows_seen"`
	// SchemaFolder is the folder of the service's XSDs in the official set,
	// by convention the first letter of the code.
	SchemaFolder string `json:"schema_folder,omitempty"`
	// Required lists the element paths (see FieldPaths) the request must
	// carry, besides the catalogue's common ones.
	Required []string `json:"required,omitempty"`
	// Optional lists the element paths the request may carry.
	Optional []string `json:"optional,omitempty"`
	// RequireName requires the customer's name: rag_soc, or cognome and
	// nome.
	RequireName bool `json:"require_name,omitempty"`
	// RequireTaxID requires the customer's cf or piva.
	RequireTaxID bool `json:"require_tax_id,omitempty"`
	// Extra declares fields outside the standard catalogue, sent in
	// AltriDati. Profiles use it for their own services.
	Extra []ExtraField `json:"extra,omitempty"`
	// Source names where the service and its fields come from.
	Source string `json:"source,omitempty"`
}

// ExtraField is a field that a profile declares for one of its services,
// outside the standard catalogue.
type ExtraField struct {
	// Name is the value of the nome attribute of its Dato element.
	Name string `json:"name"`
	// Kind is "text", "date", "flag" or "decimal".
	Kind string `json:"kind"`
	// Required makes the field mandatory.
	Required bool `json:"required,omitempty"`
	// Description is the meaning of the field.
	Description string `json:"description,omitempty"`
}

// Flow returns the flow code of a phase, and false when the service does
// not use that phase.
func (s *Service) Flow(p Phase) (string, bool) {
	f, ok := s.Flows[p]
	return f, ok && f != ""
}

// PhaseOf returns the phase of a flow code of the service.
func (s *Service) PhaseOf(flow string) (Phase, bool) {
	for p, f := range s.Flows {
		if f == flow {
			return p, true
		}
	}
	return "", false
}

// Catalog is a set of services with the element paths every request
// carries.
type Catalog struct {
	// Source names the documents the catalogue is written from.
	Source string `json:"source"`
	// SchemaDate is the date of the ARERA electricity Schema XML document
	// the flow codes come from. Later updates of the standard are not
	// public, so the catalogue may lag behind them.
	SchemaDate civil.Date `json:"schema_date"`
	// CommonRequired lists the element paths every request must carry.
	CommonRequired []string `json:"common_required"`
	// CommonOptional lists the element paths every request may carry.
	CommonOptional []string `json:"common_optional"`
	// Services is the list of services.
	Services []*Service `json:"services"`
}

//go:embed data/services.json
var servicesJSON []byte

var standard = mustCatalog(servicesJSON)

func mustCatalog(b []byte) *Catalog {
	var c Catalog
	if err := json.Unmarshal(b, &c); err != nil {
		panic("distributor: embedded services.json: " + err.Error())
	}
	if err := c.check(); err != nil {
		panic("distributor: embedded services.json: " + err.Error())
	}
	return &c
}

// StandardSchemaDate returns the date of the ARERA document that the
// standard catalogue follows.
func StandardSchemaDate() civil.Date { return standard.SchemaDate }

// StandardServices returns the services of the ARERA standard, sorted by
// code. The returned services are shared and must not be changed.
func StandardServices() []*Service {
	out := slices.Clone(standard.Services)
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out
}

// StandardService returns one service of the ARERA standard.
func StandardService(code string) (*Service, bool) {
	for _, s := range standard.Services {
		if s.Code == code {
			return s, true
		}
	}
	return nil, false
}

// check verifies that every path is in the field catalogue and every
// service has a request flow.
func (c *Catalog) check() error {
	for _, p := range append(slices.Clone(c.CommonRequired), c.CommonOptional...) {
		if _, ok := lookupField(p); !ok {
			return fmt.Errorf("unknown element path %q", p)
		}
	}
	for _, s := range c.Services {
		if err := s.check(); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) check() error {
	if s.Code == "" {
		return fmt.Errorf("service without code")
	}
	if _, ok := s.Flow(PhaseRequest); !ok {
		return fmt.Errorf("service %s: missing the request flow code", s.Code)
	}
	seen := map[string]bool{}
	for p, f := range s.Flows {
		if seen[f] {
			return fmt.Errorf("service %s: flow code %q used by two phases", s.Code, f)
		}
		seen[f] = true
		switch p {
		case PhaseRequest, PhaseAdmissibility, PhaseOutcome, PhaseMeterData:
		default:
			return fmt.Errorf("service %s: unknown phase %q", s.Code, p)
		}
	}
	for _, p := range append(slices.Clone(s.Required), s.Optional...) {
		if _, ok := lookupField(p); !ok {
			return fmt.Errorf("service %s: unknown element path %q", s.Code, p)
		}
	}
	for _, e := range s.Extra {
		switch e.Kind {
		case "text", "date", "flag", "decimal":
		default:
			return fmt.Errorf("service %s: extra field %q: invalid kind %q: want text, date, flag or decimal", s.Code, e.Name, e.Kind)
		}
		if e.Name == "" {
			return fmt.Errorf("service %s: extra field without name", s.Code)
		}
	}
	return nil
}

// usage maps each catalogue path that a service sends to true when it is
// required and false when it is optional. Paths the service does not send
// are absent. extraRequired adds the paths a profile requires.
func usage(c *Catalog, s *Service, extraRequired []string) map[string]bool {
	u := map[string]bool{}
	for _, p := range c.CommonOptional {
		u[p] = false
	}
	for _, p := range s.Optional {
		u[p] = false
	}
	for _, p := range c.CommonRequired {
		u[p] = true
	}
	for _, p := range s.Required {
		u[p] = true
	}
	for _, p := range extraRequired {
		u[p] = true
	}
	return u
}
