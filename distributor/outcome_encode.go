package distributor

import (
	"encoding/xml"
	"fmt"
	"io"
	"slices"
	"strings"
)

// EncodeOutcomeXML writes an outcome as the distributor would send it:
// an admissibility flow (E100, 0100), a final outcome flow (E150, 0150) or
// the A01 meter-data flow (0300), depending on o.Phase. The flow code comes
// from the service, not from o.Flow. D01 data are written in the D01 form
// of public seller code, other services in the A01 form. An empty
// piva_distr is written as the profile's DistributorVAT. Test suites and
// simulated distributors use it; a seller never sends outcomes.
func EncodeOutcomeXML(w io.Writer, o *Outcome, p *Profile) error {
	svc, ok := p.Service(o.Service)
	if !ok {
		return fmt.Errorf("%w %q", ErrUnknownService, o.Service)
	}
	flow, ok := svc.Flow(o.Phase)
	if !ok || o.Phase == PhaseRequest {
		return fmt.Errorf("distributor: service %s has no %q outcome flow", svc.Code, o.Phase)
	}

	vf := p.valueFormat()
	var x xmlWriter
	x.buf.WriteString(xml.Header)
	serviceAttr, flowAttr := attributeNames(p)
	fmt.Fprintf(&x.buf, "<Prestazione %s=\"%s\" %s=\"%s\">\n", serviceAttr, svc.Code, flowAttr, flow)
	ids := o.IDs
	if ids.DistributorVAT == "" && p != nil {
		ids.DistributorVAT = p.DistributorVAT
	}
	writeIdentifiers(&x, &ids, vf)

	switch o.Phase {
	case PhaseAdmissibility:
		x.start("Ammissibilita")
		x.leaf("verifica_amm", resultText(o.Result))
		writeReasons(&x, o.Reasons)
		x.end()
		writeNote(&x, o.Note)
	case PhaseOutcome:
		x.leaf("Esito", resultText(o.Result))
		writeReasons(&x, o.Reasons)
		writeNote(&x, o.Note)
		if !isZeroData(&o.Data) {
			writeData(&x, svc.Code, &o.Data, vf)
		}
	case PhaseMeterData:
		writeNote(&x, o.Note)
		writeData(&x, svc.Code, &o.Data, vf)
	}
	x.buf.WriteString("</Prestazione>\n")
	_, err := w.Write(x.buf.Bytes())
	return err
}

func resultText(r Result) string {
	if r == ResultPositive {
		return "1"
	}
	return "0"
}

func writeIdentifiers(x *xmlWriter, ids *Identifiers, vf valueFormat) {
	x.start("IdentificativiRichiesta")
	r := Request{IDs: *ids}
	for i := range fields {
		f := &fields[i]
		if !strings.HasPrefix(f.path, "IdentificativiRichiesta/") {
			continue
		}
		if value, ok := f.text(&r, vf); ok {
			x.leaf(f.name(), value)
		}
	}
	x.end()
}

func writeReasons(x *xmlWriter, reasons []Reason) {
	for _, r := range reasons {
		x.start("Causale")
		x.leaf("cod_causale", r.Code)
		if r.Description != "" {
			x.leaf("des_causale", r.Description)
		}
		x.end()
	}
}

func writeNote(x *xmlWriter, note string) {
	if note != "" {
		x.leaf("note", note)
	}
}

func isZeroData(d *OutcomeData) bool {
	return d.POD == "" && d.ExecutionDate.IsZero() && d.MeterSerial == "" && d.Active == BandReadings{} &&
		d.Reactive == BandReadings{} && d.Power == BandReadings{} && !d.AvailablePower.Valid &&
		d.Voltage == "" && d.PhaseCount == "" && len(d.Other) == 0
}

func writeData(x *xmlWriter, service string, d *OutcomeData, vf valueFormat) {
	d01 := service == "D01"
	x.start("DatiTecnici")
	if d.POD != "" {
		x.leaf("cod_pod", d.POD)
	}
	if !d.ExecutionDate.IsZero() {
		x.leaf(executionDateElement(service), formatDate(d.ExecutionDate, vf))
	}
	if d.MeterSerial != "" && d01 {
		x.start("matr_mis")
		x.leaf("matr_mis_attiva", d.MeterSerial)
		x.end()
	} else if d.MeterSerial != "" {
		x.start("Misuratore")
		x.leaf("matr_mis1", d.MeterSerial)
		x.end()
	}

	if d01 {
		writeBands(x, []string{"lettura_disattivazione", "lett_att"}, "lett_att_", d.Active, vf)
	} else {
		writeBands(x, []string{"LetturaAttiva"}, "segn_Attiva", d.Active, vf)
	}
	writeBands(x, []string{"LetturaReattiva"}, "segn_Reattiva", d.Reactive, vf)
	writeBands(x, []string{"LetturaPotenza"}, "segn_Potenza", d.Power, vf)

	if d.AvailablePower.Valid {
		x.leaf("pot_disp", formatDecimal(d.AvailablePower.Decimal, vf))
	}
	if d.Voltage != "" {
		x.leaf("tensione", d.Voltage)
	}
	if d.PhaseCount != "" {
		x.leaf("fase", d.PhaseCount)
	}
	writeOther(x, d.Other)
	x.end()
}

// executionDateElement returns the element of the execution date that
// public seller code uses for the service.
func executionDateElement(service string) string {
	switch service {
	case "D01":
		return "data_disattivazione"
	case "A01":
		return "data_attivazione"
	}
	return "data_esecuzione"
}

// writeBands writes the readings below the parent elements, one element
// per band present, named prefix plus the band number.
func writeBands(x *xmlWriter, parents []string, prefix string, b BandReadings, vf valueFormat) {
	if b == (BandReadings{}) {
		return
	}
	for _, p := range parents {
		x.start(p)
	}
	for i, v := range b {
		if v.Valid {
			x.leaf(fmt.Sprintf("%s%d", prefix, i+1), formatDecimal(v.Decimal, vf))
		}
	}
	for range parents {
		x.end()
	}
}

func writeOther(x *xmlWriter, other map[string]string) {
	if len(other) == 0 {
		return
	}
	keys := make([]string, 0, len(other))
	for k := range other {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	x.start(extraPath)
	for _, k := range keys {
		x.leaf("Dato", other[k], "nome", k)
	}
	x.end()
}
