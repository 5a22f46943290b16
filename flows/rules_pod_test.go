package flows

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPodRules(t *testing.T) {
	tests := []struct {
		name   string
		rule   string
		flow   string
		change func(r *Record)
		fires  bool
		field  string
	}{
		{name: "R16 DataMisura missing", rule: RuleMeasureDate, flow: "PNO",
			change: func(r *Record) { r.MeasureDate = Value{} }, fires: true, field: "DataMisura"},
		{name: "R16 DataMisura invalid", rule: RuleMeasureDate, flow: "PNO",
			change: func(r *Record) { r.MeasureDate = V("2013-01-31") }, fires: true, field: "DataMisura"},
		{name: "R16 DataMisura present", rule: RuleMeasureDate, flow: "PNO"},
		{name: "R17 MeseAnno missing", rule: RuleCurveMonth, flow: "PDO",
			change: func(r *Record) { r.MonthYear = Value{} }, fires: true, field: "MeseAnno"},
		{name: "R17 MeseAnno invalid", rule: RuleCurveMonth, flow: "PDO",
			change: func(r *Record) { r.MonthYear = V("13/2013") }, fires: true, field: "MeseAnno"},
		{name: "R17 MeseAnno present", rule: RuleCurveMonth, flow: "PDO"},
		{name: "R18 CodPrat_SII missing", rule: RulePracticeCode, flow: "SNM2G",
			change: func(r *Record) { r.PracticeCode = Value{} }, fires: true, field: "CodPrat_SII"},
		{name: "R18 CodPrat_SII present", rule: RulePracticeCode, flow: "SNM2G"},
		{name: "R18 periodic reading", rule: RulePracticeCode, flow: "PNO"},
		{name: "R19 DataPrest missing", rule: RuleServiceDate, flow: "SNM2G",
			change: func(r *Record) { r.ServiceDate = Value{} }, fires: true, field: "DataPrest"},
		{name: "R19 technical event", rule: RuleServiceDate, flow: "PNO",
			change: func(r *Record) { r.Measure.Collection = V("T") }, fires: true, field: "DataPrest"},
		{name: "R19 DataPrest present", rule: RuleServiceDate, flow: "SNM2G"},
		{name: "R20 DataPrest missing", rule: RuleCorrServiceDate, flow: "RSN2G",
			change: func(r *Record) { r.ServiceDate = Value{} }, fires: true, field: "DataPrest"},
		{name: "R20 DataPrest present", rule: RuleCorrServiceDate, flow: "RSN2G"},
		{name: "R20 periodic correction", rule: RuleCorrServiceDate, flow: "RNO"},
		{name: "R21 Kr missing", rule: RuleConstants, flow: "PNO",
			change: func(r *Record) { r.Pdp.Kr = Value{} }, fires: true, field: "Kr"},
		{name: "R21 constants present", rule: RuleConstants, flow: "PNO"},
		{name: "R21 PDO not concerned", rule: RuleConstants, flow: "PDO",
			change: func(r *Record) { r.Pdp.Kr = Value{} }},
		{name: "R22 estimate without cause", rule: RuleEstimateReason, flow: "PNO",
			change: func(r *Record) { r.Measure.DataType = V("S") }, fires: true, field: "CausaOstativa"},
		{name: "R22 estimate with cause", rule: RuleEstimateReason, flow: "PNO",
			change: func(r *Record) { r.Measure.DataType = V("S"); r.Measure.ObstacleCause = V("NO") }},
		{name: "R22 effective reading", rule: RuleEstimateReason, flow: "PNO"},
		{name: "R23 PNO2G hourly", rule: RuleHourlyNotAllowed, flow: "PNO",
			change: func(r *Record) { r.Pdp.Treatment = V("O") }},
		{name: "R24 SNM2G periodic collection", rule: RuleCollection, flow: "SNM2G",
			change: func(r *Record) { r.Measure.Collection = V("P") }, fires: true, field: "Raccolta"},
		{name: "R24 SNM2G switching collection", rule: RuleCollection, flow: "SNM2G"},
		{name: "R25 RSN2G periodic correction", rule: RuleCorrectionType, flow: "RSN2G",
			change: func(r *Record) { r.CorrectionType = V("P") }, fires: true, field: "TipoRettifica"},
		{name: "R25 RSN2G switching correction", rule: RuleCorrectionType, flow: "RSN2G"},
		{name: "R26 PotMax missing", rule: RulePotMax, flow: "PDO",
			change: func(r *Record) { r.Measure.PotMax = Value{} }, fires: true, field: "PotMax"},
		{name: "R26 PotMax present", rule: RulePotMax, flow: "PDO"},
		{name: "R26 sent by mistake", rule: RulePotMax, flow: "RFO",
			change: func(r *Record) { r.Reason = V("3"); r.Measure = nil }},
		{name: "R29 hourly correction with Consumo", rule: RuleHourlyConsumo, flow: "RFO",
			change: func(r *Record) {
				r.Measure = nil
				r.Consumption = &Measure{Element: "Consumo", PeriodStart: V("01/01/2013")}
			}, fires: true, field: "Consumo"},
		{name: "R29 hourly correction with Misura", rule: RuleHourlyConsumo, flow: "RFO"},
		{name: "R30 Consumo and Misura", rule: RuleConsumoAndCurve, flow: "RFO",
			change: func(r *Record) {
				r.Consumption = &Measure{Element: "Consumo", PeriodStart: V("01/01/2013")}
			}, fires: true, field: "Consumo"},
		{name: "R30 Misura only", rule: RuleConsumoAndCurve, flow: "RFO"},
		{name: "R31 flat without Consumo", rule: RuleFlatNoConsumo, flow: "PNO",
			change: func(r *Record) { r.Pdp.Flat = V("SI") }, fires: true, field: "Forfait"},
		{name: "R31 flat with Consumo", rule: RuleFlatNoConsumo, flow: "PNO",
			change: func(r *Record) {
				r.Pdp.Flat = V("SI")
				r.Measure = nil
				r.Consumption = &Measure{Element: "Consumo", PeriodStart: V("01/01/2013"), Registers: Registers{EaM: V("100,000")}}
			}},
		{name: "R32 sent by mistake with Misura", rule: RuleSentByMistake, flow: "RFO",
			change: func(r *Record) { r.Reason = V("3") }, fires: true, field: "Misura"},
		{name: "R32 sent by mistake without data", rule: RuleSentByMistake, flow: "RFO",
			change: func(r *Record) { r.Reason = V("3"); r.Measure = nil }},
		{name: "R33 switching correction reason 4", rule: RuleReasonForType, flow: "RSN2G",
			change: func(r *Record) { r.Reason = V("4") }, fires: true, field: "Motivazione"},
		{name: "R33 switching correction reason 6", rule: RuleReasonForType, flow: "RSN2G",
			change: func(r *Record) { r.Reason = V("6") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := recordFor(tt.flow)
			if tt.change != nil {
				tt.change(r)
			}
			got := withRule(runFile(testOptions(), testName(tt.flow, "201301"), testHeader(tt.flow), r), tt.rule)
			if !tt.fires {
				assert.Empty(t, got)
				return
			}
			require.NotEmpty(t, got)
			info, _ := LookupRule(tt.rule)
			assert.Equal(t, CodeRequiredField, got[0].Code)
			assert.Equal(t, info.Severity, got[0].Severity)
			assert.Equal(t, RecordLevel, got[0].Level)
			assert.Equal(t, testPOD, got[0].Key)
			assert.Equal(t, tt.field, got[0].Field)
		})
	}
}

// TestPodRulesByFlowCode covers the rules that depend on the flow code with
// a record of another flow's builder.
func TestPodRulesByFlowCode(t *testing.T) {
	tests := []struct {
		name   string
		rule   string
		flow   string
		record func() *Record
		change func(r *Record)
		fires  bool
	}{
		{name: "R23 PNO2G with hourly POD", rule: RuleHourlyNotAllowed, flow: "PNO2G", record: pnoRecord,
			change: func(r *Record) { r.Pdp.Treatment = V("O"); r.MonthYear = V("01/2013") }, fires: true},
		{name: "R23 VNO with bands POD", rule: RuleHourlyNotAllowed, flow: "VNO", record: pnoRecord},
		{name: "R24 VNO periodic collection", rule: RuleCollection, flow: "VNO", record: pnoRecord, fires: true},
		{name: "R24 VNO voltura collection", rule: RuleCollection, flow: "VNO", record: pnoRecord,
			change: func(r *Record) { r.Measure.Collection = V("V") }},
		{name: "R25 RNV periodic correction", rule: RuleCorrectionType, flow: "RNV", record: rnoRecord, fires: true},
		{name: "R25 RNV voltura correction", rule: RuleCorrectionType, flow: "RNV", record: rnoRecord,
			change: func(r *Record) { r.CorrectionType = V("V") }},
		{name: "R33 RNV2G voltura reason 5", rule: RuleReasonForType, flow: "RNV2G", record: rnoRecord,
			change: func(r *Record) { r.CorrectionType = V("V"); r.Reason = V("5") }, fires: true},
		{name: "R33 RNV voltura reason 5", rule: RuleReasonForType, flow: "RNV", record: rnoRecord,
			change: func(r *Record) { r.CorrectionType = V("V"); r.Reason = V("5") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.record()
			if tt.change != nil {
				tt.change(r)
			}
			got := withRule(runFile(testOptions(), testName(tt.flow, "201301"), testHeader(tt.flow), r), tt.rule)
			if tt.fires {
				assert.NotEmpty(t, got)
			} else {
				assert.Empty(t, got)
			}
		})
	}
}

func TestRuleSeverityOverrideAndDisable(t *testing.T) {
	r := pnoRecord()
	r.Pdp.Kr = Value{}
	opts := testOptions()
	opts.Severities = map[string]Severity{RuleConstants: Blocking}
	got := withRule(runFile(opts, testName("PNO", "201301"), testHeader("PNO"), r), RuleConstants)
	require.Len(t, got, 1)
	assert.Equal(t, Blocking, got[0].Severity)

	opts.Disabled = []string{RuleConstants}
	got = withRule(runFile(opts, testName("PNO", "201301"), testHeader("PNO"), r), RuleConstants)
	assert.Empty(t, got)
}

func TestRulesCatalogue(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range Rules() {
		assert.False(t, seen[r.ID], "duplicate rule %s", r.ID)
		seen[r.ID] = true
		assert.Contains(t, []string{CodeStructure, CodeMonth, CodeMonthRange, CodeAlreadyLoaded, CodeDispatchingContract, CodeRequiredField}, r.Code, r.ID)
		assert.NotEmpty(t, r.Summary, r.ID)
	}
	for _, blocking := range []string{RuleCurveMonth, RuleDST, RuleHourlyConsumo, RuleMonthCoherence} {
		info, ok := LookupRule(blocking)
		require.True(t, ok)
		assert.Equal(t, Blocking, info.Severity, blocking)
	}
	_, ok := LookupRule("R28")
	assert.False(t, ok)
}

func TestMeasureTypeForFlow(t *testing.T) {
	tests := []struct {
		name    string
		flow    string
		xsiType string
		fires   bool
	}{
		{name: "PDO with its type", flow: "PDO", xsiType: "DettaglioMisuraPDOv2Type"},
		{name: "PDO with a 2G switching type", flow: "PDO", xsiType: "DettaglioMisuraSNM2GType", fires: true},
		{name: "PDO2G NR with the 1G type", flow: "PDO2G", xsiType: "DettaglioMisuraPDOv2Type"},
		{name: "unknown type left to structure", flow: "PDO", xsiType: "DettaglioMisuraXType"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := pdoRecord()
			r.Measure.XSIType = tt.xsiType
			got := withRule(runFile(testOptions(), "", testHeader(tt.flow), r), RuleMeasureType)
			if !tt.fires {
				assert.Empty(t, got)
				return
			}
			require.Len(t, got, 1)
			assert.Equal(t, Warning, got[0].Severity)
			assert.Equal(t, tt.xsiType, got[0].Value)
		})
	}
}

func TestMeasureTypesAreSchemaTypes(t *testing.T) {
	for flow, types := range measureTypesByFlow {
		info, ok := LookupFlow(flow)
		require.True(t, ok, flow)
		base := ShapeMisuraBase
		if info.Family == Correction {
			base = ShapeMisuraBaseR
		}
		for _, name := range types {
			shape, ok := MeasureSchema(name)
			require.True(t, ok, "%s: %s", flow, name)
			assert.Equal(t, base, shape.Base, "%s: %s", flow, name)
		}
	}
}
