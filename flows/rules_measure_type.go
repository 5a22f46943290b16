package flows

import (
	"fmt"
	"slices"
	"strings"
)

// measureTypesByFlow lists the concrete Misura types (xsi:type) each flow
// uses, after the official samples of version 1.8 of the SII standard and
// the comments of its complex-types schema, which name the flows of each
// type. The schema lets any Flusso 1 type appear in any Flusso 1 flow, and
// likewise for Flusso 2, so a type outside this list is only a warning.
//
// NOTE: version 1.8 has no sample of SNM, RNV, RSN or RSN2G, so their
// entries rest on the schema comments alone and may be incomplete.
var measureTypesByFlow = map[string][]string{
	"PDO":   {"DettaglioMisuraPDOv2Type"},
	"PDO2G": {"DettaglioMisuraPeriodico2GORType", "DettaglioMisuraPDOv2Type"},
	"PNO":   {"DettaglioMisuraNOv2Type"},
	"PNO2G": {"DettaglioMisuraPeriodico2GRType", "DettaglioMisuraPeriodico2GNRType"},
	"VNO":   {"DettaglioMisuraNOv2Type"},
	"VNO2G": {"DettaglioMisuraPeriodico2GRType", "DettaglioMisuraPeriodico2GNRType"},
	"SNM":   {"DettaglioMisuraNOv2Type"},
	"SNM2G": {"DettaglioMisuraSNM2GType"},
	"RFO":   {"DettaglioMisuraRFOv2Type"},
	"RFO2G": {"DettaglioMisuraRORType", "DettaglioMisuraRRType", "DettaglioMisuraRFOv2Type"},
	"RNO":   {"DettaglioMisuraRNOv2Type"},
	"RNO2G": {"DettaglioMisuraRRType", "DettaglioMisuraRNRType"},
	"RNV":   {"DettaglioMisuraRNOv2Type"},
	"RNV2G": {"DettaglioMisuraRRType", "DettaglioMisuraRNRType"},
	"RSN":   {"DettaglioMisuraRSNRType", "DettaglioMisuraRNOv2Type"},
	"RSN2G": {"DettaglioMisuraRSNRType"},
}

// checkMeasureType reports a Misura whose xsi:type is a valid type of the
// flow's schema but not one the flow uses (RuleMeasureType). Unknown types
// are structure anomalies and are not reported again here.
func (v *Validator) checkMeasureType(out *Anomalies, r *Record) {
	m := r.Measure
	if m == nil || m.Element != "Misura" {
		return
	}
	want, ok := measureTypesByFlow[v.flow.Code]
	xsiType := strings.TrimSpace(m.XSIType)
	if _, known := MeasureSchema(xsiType); !ok || !known || slices.Contains(want, xsiType) {
		return
	}
	v.add(out, RuleMeasureType, m.Line, r.POD.Text, "Misura/@xsi:type", xsiType,
		fmt.Sprintf("a %s file uses Misura of type %s, not %s", v.flow.Code, strings.Join(want, " or "), xsiType))
}
