package distributor

import (
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/bludispatcher/dispatcher/internal/civil"
)

// Result is the value of verifica_amm in an admissibility outcome or of
// Esito in a final outcome.
type Result uint8

const (
	// ResultNone is an absent or unreadable result.
	ResultNone Result = iota
	// ResultPositive is "1": admissible, or executed.
	ResultPositive
	// ResultNegative is "0": rejected, or not executed.
	ResultNegative
)

// String returns "positive", "negative" or "none".
func (r Result) String() string {
	switch r {
	case ResultPositive:
		return "positive"
	case ResultNegative:
		return "negative"
	}
	return "none"
}

// MarshalText encodes the result as its String form.
func (r Result) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// UnmarshalText decodes "positive", "negative" or "none".
func (r *Result) UnmarshalText(b []byte) error {
	switch string(b) {
	case "positive":
		*r = ResultPositive
	case "negative":
		*r = ResultNegative
	case "none", "":
		*r = ResultNone
	default:
		return fmt.Errorf("distributor: invalid result %q: want positive, negative or none", b)
	}
	return nil
}

// Outcome is one message of a distributor about a request: an
// admissibility outcome, a final outcome, or the meter data that follow an
// activation.
type Outcome struct {
	// File is the name of the file the outcome was read from.
	File string `json:"file,omitempty"`
	// Line is the line of its Prestazione element.
	Line int `json:"line,omitempty"`
	// Service is cod_servizio.
	Service string `json:"service"`
	// Flow is cod_flusso.
	Flow string `json:"flow"`
	// Phase is the phase of the flow: PhaseAdmissibility, PhaseOutcome or
	// PhaseMeterData.
	Phase Phase `json:"phase"`
	// IDs is IdentificativiRichiesta. IDs.CaseNumber matches the request.
	IDs Identifiers `json:"ids"`
	// Result is Ammissibilita/verifica_amm or Esito.
	Result Result `json:"result"`
	// ResultText is the result as read, such as "1".
	ResultText string `json:"result_text,omitempty"`
	// Reasons are the Causale elements: the reasons for rejection or for a
	// negative final outcome.
	Reasons []Reason `json:"reasons,omitempty"`
	// Note is note.
	Note string `json:"note,omitempty"`
	// Data is DatiTecnici, the execution and technical data.
	Data OutcomeData `json:"data,omitzero"`
}

// Reason is one Causale: a reason for rejection ("causale di
// inammissibilità") or for a negative outcome. No public source gives the
// element names, so Causale, cod_causale and des_causale are this
// package's choice. The reader also takes a Causale with the code as its
// text.
type Reason struct {
	// Code is cod_causale.
	Code string `json:"code"`
	// Description is des_causale.
	Description string `json:"description,omitempty"`
}

// OutcomeData is DatiTecnici of an outcome. Public seller code shows two
// forms, both read here: D01 writes matr_mis/matr_mis_attiva,
// data_disattivazione and lettura_disattivazione/lett_att/lett_att_1..3,
// while A01 and E01 write Misuratore/matr_mis1, data_attivazione or
// data_esecuzione, and LetturaAttiva/segn_Attiva1..3.
type OutcomeData struct {
	// POD is cod_pod.
	POD string `json:"pod,omitempty"`
	// ExecutionDate is data_esecuzione, data_attivazione or
	// data_disattivazione, whichever is present.
	ExecutionDate civil.Date `json:"execution_date,omitzero"`
	// MeterSerial is Misuratore/matr_mis1 or matr_mis/matr_mis_attiva, the
	// serial number of the meter.
	MeterSerial string `json:"meter_serial,omitempty"`
	// Active is the active-energy reading by band F1, F2, F3, in kWh:
	// LetturaAttiva/segn_Attiva1..3 or lett_att_1..3.
	Active BandReadings `json:"active,omitzero"`
	// Reactive is LetturaReattiva/segn_Reattiva1..3, in kvarh.
	Reactive BandReadings `json:"reactive,omitzero"`
	// Power is LetturaPotenza/segn_Potenza1..3, in kW.
	Power BandReadings `json:"power,omitzero"`
	// AvailablePower is pot_disp, in kW (a name chosen by this package).
	AvailablePower decimal.NullDecimal `json:"available_power_kw,omitzero"`
	// Voltage is tensione, in volts.
	Voltage string `json:"voltage,omitempty"`
	// PhaseCount is fase: M single-phase, T three-phase.
	PhaseCount string `json:"phase,omitempty"`
	// Other holds every other element of DatiTecnici as read, by path below
	// DatiTecnici, and the AltriDati/Dato values by their nome, so that no
	// value is lost.
	Other map[string]string `json:"other,omitempty"`
}

// BandReadings is one reading per ARERA time band: index 0 is F1, 1 is F2,
// 2 is F3. An invalid NullDecimal is an absent band.
type BandReadings [3]decimal.NullDecimal
