package flows

import (
	"fmt"
	"slices"
)

// podRuleContext carries what the POD-level rules read of one record.
type podRuleContext struct {
	key        string
	flow       string
	periodic   bool // Flusso 1
	correction bool // Flusso 2
	treatment  string
	collection string // Misura/Raccolta, "" without Misura
	reason     string // Motivazione
	corrType   string // TipoRettifica
}

// checkPodRules runs the POD-level admissibility rules 16–33 (code 010) of
// Flusso 1 and Flusso 2 records.
func (v *Validator) checkPodRules(out *Anomalies, r *Record) {
	ctx := podRuleContext{
		key:        r.POD.Text,
		flow:       v.flow.Code,
		periodic:   v.flow.Family == Periodic,
		correction: v.flow.Family == Correction,
		treatment:  r.Pdp.Treatment.Text,
		reason:     r.Reason.Text,
		corrType:   r.CorrectionType.Text,
	}
	if r.Measure != nil {
		ctx.collection = r.Measure.Collection.Text
	}
	v.ruleDates(out, r, &ctx)
	v.ruleServiceData(out, r, &ctx)
	v.ruleConstants(out, r, &ctx)
	v.ruleFlowCoherence(out, r, &ctx)
	v.rulePotMax(out, r, &ctx)
	v.ruleSections(out, r, &ctx)
}

// validDate reports whether v holds a dd/MM/yyyy date.
func validDate(v Value) bool {
	_, err := v.Date()
	return v.HasText() && err == nil
}

// validMonth reports whether v holds a MM/yyyy month.
func validMonth(v Value) bool {
	_, err := v.Month()
	return v.HasText() && err == nil
}

// missingOrInvalid describes an absent or unparsable value for a message.
func missingOrInvalid(name string, v Value) string {
	if !v.Set {
		return name + " is missing"
	}
	return fmt.Sprintf("%s %q is not a valid date", name, v.Text)
}

// ruleDates runs rule 16 (Trattamento M, F or C needs DataMisura) and rule
// 17 (Trattamento O needs MeseAnno).
func (v *Validator) ruleDates(out *Anomalies, r *Record, ctx *podRuleContext) {
	switch ctx.treatment {
	case "M", "F", "C":
		if !validDate(r.MeasureDate) {
			v.add(out, RuleMeasureDate, lineOr(r.MeasureDate, r), ctx.key, "DataMisura", r.MeasureDate.Text,
				fmt.Sprintf("Trattamento %s requires DataMisura (dd/MM/yyyy): %s", ctx.treatment, missingOrInvalid("DataMisura", r.MeasureDate)))
		}
	case "O":
		if !validMonth(r.MonthYear) {
			msg := "MeseAnno is missing"
			if r.MonthYear.Set {
				msg = fmt.Sprintf("MeseAnno %q is not a valid MM/yyyy month", r.MonthYear.Text)
			}
			v.add(out, RuleCurveMonth, lineOr(r.MonthYear, r), ctx.key, "MeseAnno", r.MonthYear.Text,
				"Trattamento O requires MeseAnno (MM/yyyy): "+msg)
		}
	}
}

// ruleServiceData runs rules 18 and 19 (Flusso 1 switching, voltura and
// technical readings need CodPrat_SII and DataPrest) and rule 20 (Flusso 2
// corrections of such readings need DataPrest).
func (v *Validator) ruleServiceData(out *Anomalies, r *Record, ctx *podRuleContext) {
	if ctx.periodic {
		if (ctx.collection == "S" || ctx.collection == "V") && !r.PracticeCode.HasText() {
			v.add(out, RulePracticeCode, lineOr(r.PracticeCode, r), ctx.key, "CodPrat_SII", r.PracticeCode.Text,
				fmt.Sprintf("Raccolta %s requires CodPrat_SII, the SII practice code", ctx.collection))
		}
		if slices.Contains([]string{"S", "V", "T"}, ctx.collection) && !validDate(r.ServiceDate) {
			v.add(out, RuleServiceDate, lineOr(r.ServiceDate, r), ctx.key, "DataPrest", r.ServiceDate.Text,
				fmt.Sprintf("Raccolta %s requires DataPrest (dd/MM/yyyy): %s", ctx.collection, missingOrInvalid("DataPrest", r.ServiceDate)))
		}
	}
	if ctx.correction && slices.Contains([]string{"S", "V", "T"}, ctx.corrType) && !validDate(r.ServiceDate) {
		v.add(out, RuleCorrServiceDate, lineOr(r.ServiceDate, r), ctx.key, "DataPrest", r.ServiceDate.Text,
			fmt.Sprintf("TipoRettifica %s requires DataPrest (dd/MM/yyyy): %s", ctx.corrType, missingOrInvalid("DataPrest", r.ServiceDate)))
	}
}

// constantsFlows are the flows whose records must carry Ka, Kr and Kp
// (rule 21).
var constantsFlows = []string{"PDO2G", "SNM2G", "SNM", "PNO2G", "PNO", "VNO2G", "VNO",
	"RFO2G", "RSN2G", "RSN", "RNO2G", "RNO", "RNV2G", "RNV"}

// ruleConstants runs rule 21: one anomaly for each of Ka, Kr and Kp that
// is absent from DatiPdp.
func (v *Validator) ruleConstants(out *Anomalies, r *Record, ctx *podRuleContext) {
	if !slices.Contains(constantsFlows, ctx.flow) {
		return
	}
	for _, k := range []struct {
		name string
		val  Value
	}{{"Ka", r.Pdp.Ka}, {"Kr", r.Pdp.Kr}, {"Kp", r.Pdp.Kp}} {
		if !k.val.Set {
			v.add(out, RuleConstants, r.Pdp.Line, ctx.key, k.name, "",
				fmt.Sprintf("%s is missing from DatiPdp; %s files must carry Ka, Kr and Kp", k.name, ctx.flow))
		}
	}
}

// ruleFlowCoherence runs rules 22–25 and 33: the estimate reason and the
// combinations of flow code with Trattamento, Raccolta, TipoRettifica and
// Motivazione.
//
// Rule 22 requires CausaOstativa on a Flusso 1 estimate, as RuleEstimateReason
// explains.
//
// Rule 24 reads Raccolta, which only Misura carries, so it does not fire
// on a record with Consumo instead.
func (v *Validator) ruleFlowCoherence(out *Anomalies, r *Record, ctx *podRuleContext) {
	if m := r.Measure; ctx.periodic && m != nil && m.DataType.Text == "S" && !m.ObstacleCause.Set {
		v.add(out, RuleEstimateReason, m.DataType.Line, ctx.key, "CausaOstativa", "",
			"an estimate (TipoDato S) requires CausaOstativa, the reason of the estimate")
	}
	if (ctx.flow == "PNO2G" || ctx.flow == "VNO") && ctx.treatment == "O" {
		v.add(out, RuleHourlyNotAllowed, r.Pdp.Treatment.Line, ctx.key, "Trattamento", ctx.treatment,
			fmt.Sprintf("a %s file cannot carry an hourly-treated POD (Trattamento O)", ctx.flow))
	}
	if m := r.Measure; m != nil && m.Element == "Misura" {
		want := map[string]string{"VNO": "V", "VNO2G": "V", "SNM": "S", "SNM2G": "S"}[ctx.flow]
		if want != "" && ctx.collection != want {
			v.add(out, RuleCollection, lineOr(m.Collection, r), ctx.key, "Raccolta", ctx.collection,
				fmt.Sprintf("a %s file requires Raccolta %s", ctx.flow, want))
		}
	}
	if want := map[string]string{"RNV": "V", "RNV2G": "V", "RSN": "S", "RSN2G": "S"}[ctx.flow]; want != "" && ctx.corrType != want {
		v.add(out, RuleCorrectionType, lineOr(r.CorrectionType, r), ctx.key, "TipoRettifica", ctx.corrType,
			fmt.Sprintf("a %s file requires TipoRettifica %s", ctx.flow, want))
	}
	if (ctx.flow == "RSN2G" || ctx.flow == "RNV2G") && (ctx.corrType == "S" || ctx.corrType == "V") &&
		!slices.Contains([]string{"1", "2", "6"}, ctx.reason) {
		v.add(out, RuleReasonForType, lineOr(r.Reason, r), ctx.key, "Motivazione", ctx.reason,
			fmt.Sprintf("a correction of switching or voltura data (TipoRettifica %s) allows Motivazione 1, 2 or 6", ctx.corrType))
	}
}

// potMaxFlows are the flows whose records must carry PotMax (rule 26).
// The Acquirente Unico checker's list also names PDO2G, but with a stray
// quote character, so it never matches. The rule as specified leaves PDO2G
// out, and so does this list.
var potMaxFlows = []string{"PDO", "PNO2G", "VNO2G", "RFO", "RFO2G", "RNO2G", "RNV2G"}

// rulePotMax runs rule 26: PotMax is required in these flows, except in
// corrections with Motivazione 3 (sent by mistake), which carry no data.
func (v *Validator) rulePotMax(out *Anomalies, r *Record, ctx *podRuleContext) {
	if !slices.Contains(potMaxFlows, ctx.flow) || (ctx.correction && ctx.reason == "3") {
		return
	}
	if r.Measure != nil && r.Measure.PotMax.Set {
		return
	}
	line := int32(r.Line)
	if r.Measure != nil {
		line = r.Measure.Line
	}
	v.add(out, RulePotMax, line, ctx.key, "PotMax", "",
		fmt.Sprintf("PotMax is missing; %s files must carry the maximum power", ctx.flow))
}

// ruleSections runs rules 29–32 on the Misura and Consumo sections.
// Rule 31 (Forfait SI needs Consumo) does not fire on corrections with
// Motivazione 3, which rule 32 requires to carry neither section.
func (v *Validator) ruleSections(out *Anomalies, r *Record, ctx *podRuleContext) {
	hasMeasure, hasConsumption := r.Measure != nil, r.Consumption != nil
	if ctx.correction && ctx.treatment == "O" && hasConsumption {
		v.add(out, RuleHourlyConsumo, r.Consumption.Line, ctx.key, "Consumo", "",
			"a correction of an hourly-treated POD (Trattamento O) cannot carry Consumo")
		if hasMeasure {
			v.add(out, RuleConsumoAndCurve, r.Consumption.Line, ctx.key, "Consumo", "",
				"a correction of an hourly-treated POD carries both Consumo and Misura")
		}
	}
	sentByMistake := ctx.correction && ctx.reason == "3"
	if r.Pdp.Flat.Text == "SI" && !hasConsumption && !sentByMistake {
		v.add(out, RuleFlatNoConsumo, r.Pdp.Flat.Line, ctx.key, "Forfait", "SI",
			"a flat-rate point (Forfait SI) requires Consumo")
	}
	if sentByMistake && (hasMeasure || hasConsumption) {
		name, line := "Misura", int32(0)
		if hasMeasure {
			line = r.Measure.Line
		} else {
			name, line = "Consumo", r.Consumption.Line
		}
		v.add(out, RuleSentByMistake, line, ctx.key, name, "",
			"Motivazione 3 (measure sent by mistake) allows neither Misura nor Consumo")
	}
}

// lineOr returns the line of v, or the record's line when v is absent.
func lineOr(v Value, r *Record) int32 {
	if v.Set && v.Line > 0 {
		return v.Line
	}
	return int32(r.Line)
}
