package flows

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// finding is the part of an anomaly the structure tests compare.
type finding struct {
	Rule, Field, Value string
	Severity           Severity
}

func findings(list Anomalies, rules ...string) []finding {
	var out []finding
	for _, a := range list {
		for _, r := range rules {
			if a.Rule == r {
				out = append(out, finding{a.Rule, a.Field, a.Value, a.Severity})
			}
		}
	}
	return out
}

func TestStructureChecks(t *testing.T) {
	tests := []struct {
		name   string
		flow   string
		record func() *Record
		want   []finding
	}{
		{name: "valid PDO", flow: "PDO", record: pdoRecord},
		{name: "Pod missing", flow: "PDO", record: func() *Record {
			r := pdoRecord()
			r.POD = Value{}
			return r
		}, want: []finding{{RuleStructure, "Pod", "", Blocking}}},
		{name: "Validato missing", flow: "PDO", record: func() *Record {
			r := pdoRecord()
			r.Measure.Validated = Value{}
			return r
		}, want: []finding{{RuleStructure, "Validato", "", Blocking}}},
		{name: "Forfait missing", flow: "PNO", record: func() *Record {
			r := pnoRecord()
			r.Pdp.Flat = Value{}
			return r
		}, want: []finding{{RuleStructure, "Forfait", "", Blocking}}},
		{name: "unknown element", flow: "PDO", record: func() *Record {
			r := pdoRecord()
			r.Extra = []Element{{Name: "Note", Line: 9, XML: "<Note>x</Note>"}}
			return r
		}, want: []finding{{RuleStructure, "Note", "", Blocking}}},
		{name: "repeated element", flow: "PDO", record: func() *Record {
			r := pdoRecord()
			r.Extra = []Element{{Name: "MeseAnno", Line: 9, XML: "<MeseAnno>01/2013</MeseAnno>"}}
			return r
		}, want: []finding{{RuleStructure, "MeseAnno", "", Blocking}}},
		{name: "element not of this flow", flow: "PDO", record: func() *Record {
			r := pdoRecord()
			r.CorrectionType = V("P")
			return r
		}, want: []finding{{RuleStructure, "TipoRettifica", "P", Blocking}}},
		{name: "out of order", flow: "PDO", record: func() *Record {
			r := pdoRecord()
			r.POD.Index, r.MonthYear.Index, r.Pdp.Index, r.Measure.Index = 2, 1, 3, 4
			return r
		}, want: []finding{{RuleStructure, "Pod", "", Blocking}}},
		{name: "in order", flow: "PDO", record: func() *Record {
			r := pdoRecord()
			r.POD.Index, r.MonthYear.Index, r.Pdp.Index, r.Measure.Index = 1, 2, 3, 4
			return r
		}},
		{name: "33 Ea in a monthly curve", flow: "PDO", record: func() *Record {
			r := pdoRecord()
			r.Measure.Curves = nil
			for i := 0; i < 33; i++ {
				r.Measure.Curves = append(r.Measure.Curves, Curve{Kind: ActiveEnergy, Day: V("01")})
			}
			r.Measure.Curves = append(r.Measure.Curves, Curve{Kind: ReactiveEnergy, Day: V("01")})
			return r
		}, want: []finding{{RuleStructure, "Ea", "33", Blocking}}},
		{name: "3 Ea in a daily 2G curve", flow: "PDO2G", record: func() *Record {
			r := pdo2gRecord()
			r.Measure.Curves = append(r.Measure.Curves, fullCurve(ActiveEnergy, "16"), fullCurve(ActiveEnergy, "17"))
			return r
		}, want: []finding{{RuleStructure, "Ea", "3", Blocking}}},
		{name: "Misura and Consumo", flow: "PNO", record: func() *Record {
			r := pnoRecord()
			r.Consumption = &Measure{Element: "Consumo", PeriodStart: V("01/01/2013"), Registers: Registers{EaM: V("1,000")}}
			return r
		}, want: []finding{{RuleStructure, "Misura|Consumo", "", Blocking}}},
		{name: "neither Misura nor Consumo", flow: "PNO", record: func() *Record {
			r := pnoRecord()
			r.Measure = nil
			return r
		}, want: []finding{{RuleStructure, "Misura|Consumo", "", Blocking}}},
		{name: "correction without sections", flow: "RFO", record: func() *Record {
			r := rfoRecord()
			r.Reason = V("3")
			r.Measure = nil
			return r
		}},
		{name: "single rate with bands", flow: "PNO", record: func() *Record {
			r := pnoRecord()
			r.Measure.Registers.EaM = V("5,000")
			return r
		}, want: []finding{{RuleSingleRateAndBands, "EaM", "5,000", Warning}}},
		{name: "unknown xsi:type", flow: "PDO", record: func() *Record {
			r := pdoRecord()
			r.Measure.XSIType = "DettaglioMisuraPDOv3Type"
			return r
		}, want: []finding{{RuleStructure, "Misura/@xsi:type", "DettaglioMisuraPDOv3Type", Blocking}}},
		{name: "xsi:type missing", flow: "PDO", record: func() *Record {
			r := pdoRecord()
			r.Measure.XSIType = ""
			return r
		}, want: []finding{{RuleStructure, "Misura", "", Blocking}}},
		{name: "correction type in periodic flow", flow: "PDO", record: func() *Record {
			r := pdoRecord()
			r.Measure.XSIType = "DettaglioMisuraRFOv2Type"
			return r
		}, want: []finding{{RuleStructure, "Misura/@xsi:type", "DettaglioMisuraRFOv2Type", Blocking}}},
		{name: "E97 attribute", flow: "PDO", record: func() *Record {
			r := pdoRecord()
			r.Measure.Curves[0].SetE(97, "0,100")
			return r
		}, want: []finding{{RuleStructure, "Ea[1]/E97", "0,100", Blocking}}},
		{name: "unknown attribute", flow: "PDO", record: func() *Record {
			r := pdoRecord()
			r.Measure.Curves[0].AddExtraAttr("Unit", "kWh")
			return r
		}, want: []finding{{RuleStructure, "Ea[1]/Unit", "kWh", Blocking}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := runFile(testOptions(), "", testHeader(tt.flow), tt.record())
			assert.Equal(t, tt.want, findings(got, RuleStructure, RuleValue, RuleSingleRateAndBands))
		})
	}
}

func TestValueChecks(t *testing.T) {
	tests := []struct {
		name   string
		change func(r *Record)
		field  string
		value  string
	}{
		{name: "thousands separator", change: func(r *Record) { r.Measure.Registers.Ea[0] = V("1.234,567") }, field: "EaF1", value: "1.234,567"},
		{name: "negative", change: func(r *Record) { r.Measure.Registers.Ea[1] = V("-0,500") }, field: "EaF2", value: "-0,500"},
		{name: "one decimal", change: func(r *Record) { r.Measure.Registers.Ea[2] = V("0,5") }, field: "EaF3", value: "0,5"},
		{name: "empty register", change: func(r *Record) { r.Measure.Registers.Ea[0] = V("") }, field: "EaF1", value: ""},
		{name: "PotMax beyond 7 digits", change: func(r *Record) { r.Measure.PotMax = V("12345678,000") }, field: "PotMax", value: "12345678,000"},
		{name: "short POD", change: func(r *Record) { r.POD = V("IT001E1234567") }, field: "Pod", value: "IT001E1234567"},
		{name: "long POD", change: func(r *Record) { r.POD = V("IT001E1234567890") }, field: "Pod", value: "IT001E1234567890"},
		{name: "practice code pattern", change: func(r *Record) { r.PracticeCode = V("SII-2013-111111") }, field: "CodPrat_SII", value: "SII-2013-111111"},
		{name: "date pattern", change: func(r *Record) { r.MeasureDate = V("31/2/2013") }, field: "DataMisura", value: "31/2/2013"},
		{name: "date before 1900", change: func(r *Record) { r.MeasureDate = V("31/01/1899") }, field: "DataMisura", value: "31/01/1899"},
		{name: "treatment enumeration", change: func(r *Record) { r.Pdp.Treatment = V("X") }, field: "Trattamento", value: "X"},
		{name: "voltage leading zero", change: func(r *Record) { r.Pdp.Voltage = V("0400") }, field: "Tensione", value: "0400"},
		{name: "TipoDato enumeration", change: func(r *Record) { r.Measure.DataType = V("X") }, field: "TipoDato", value: "X"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := pnoRecord()
			tt.change(r)
			got := withRule(runFile(testOptions(), "", testHeader("PNO"), r), RuleValue)
			require.Len(t, got, 1)
			assert.Equal(t, tt.field, got[0].Field)
			assert.Equal(t, tt.value, got[0].Value)
			assert.Equal(t, r.POD.Text, got[0].Key)
			assert.Equal(t, Blocking, got[0].Severity)
			assert.Equal(t, CodeStructure, got[0].Code)
			assert.Contains(t, got[0].Message, tt.field)
		})
	}
}

func TestCalendarDate(t *testing.T) {
	r := pnoRecord()
	r.MeasureDate = V("31/02/2013")
	got := runFile(testOptions(), "", testHeader("PNO"), r)
	assert.Equal(t, []finding{{RuleCalendarDate, "DataMisura", "31/02/2013", Warning}},
		findings(got, RuleCalendarDate, RuleValue, RuleStructure))
	assert.Len(t, withRule(got, RuleMeasureDate), 1)
}

func TestCurveValueChecks(t *testing.T) {
	tests := []struct {
		name   string
		change func(c *Curve)
		field  string
		value  string
	}{
		{name: "slot with one decimal", change: func(c *Curve) { c.SetE(5, "0,5") }, field: "Ea[1]/E5", value: "0,5"},
		{name: "slot with dot", change: func(c *Curve) { c.SetE(6, "1.234,567") }, field: "Ea[1]/E6", value: "1.234,567"},
		{name: "slot beyond 6 digits", change: func(c *Curve) { c.SetE(7, "1234567,000") }, field: "Ea[1]/E7", value: "1234567,000"},
		{name: "day 32", change: func(c *Curve) { c.Day = V("32") }, field: "Ea[1]", value: "32"},
		{name: "day without zero", change: func(c *Curve) { c.Day = V("1") }, field: "Ea[1]", value: "1"},
		{name: "Dst 4", change: func(c *Curve) { c.Dst = V("4") }, field: "Ea[1]/Dst", value: "4"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := pdoRecord()
			tt.change(&r.Measure.Curves[0])
			got := withRule(runFile(testOptions(), "", testHeader("PDO"), r), RuleValue)
			require.Len(t, got, 1)
			assert.Equal(t, tt.field, got[0].Field)
			assert.Equal(t, tt.value, got[0].Value)
			assert.Equal(t, testPOD, got[0].Key)
		})
	}
}

func TestHeaderValueChecks(t *testing.T) {
	h := testHeader("PDO")
	h.SellerVAT = V("IT123456789012345")
	h.DispatchingContract = V("DP00001")
	h.Extra = []Element{{Name: "Note"}}
	got := runFile(testOptions(), "", h, pdoRecord())
	want := []finding{
		{RuleValue, "PIvaUtente", "IT123456789012345", Blocking},
		{RuleValue, "CodContrDisp", "DP00001", Blocking},
		{RuleStructure, "Note", "", Blocking},
	}
	assert.Equal(t, want, findings(got, RuleStructure, RuleValue))
	for _, a := range withRule(got, RuleValue) {
		assert.Equal(t, FileLevel, a.Level)
	}

	h = testHeader("XYZ")
	got = runFile(testOptions(), "", h, pdoRecord())
	assert.Equal(t, []finding{{RuleValue, "CodFlusso", "XYZ", Blocking}}, findings(got, RuleStructure, RuleValue))
}

func TestSwitchingHistoryEmptyValues(t *testing.T) {
	r := &Record{
		Line: 5, POD: V(testPOD), MonthYear: V("12/2012"),
		Pdp: Pdp{Set: true, Treatment: V("F"), MeterType: V("O")},
		Consumption: &Measure{
			Element: "Consumo", DataType: V("E"),
			Registers: Registers{Ea: [6]Value{V(""), V("12,000"), V("3,000")}},
		},
	}
	got := runFile(testOptions(), "", testHeader("SNS"), r)
	assert.Equal(t, []finding{{RuleEmptyValue, "EaF1", "", Warning}}, findings(got, RuleEmptyValue, RuleValue, RuleStructure))
	assert.False(t, got.HasBlocking())
}

func TestSwitchingUnknownElementIsWarning(t *testing.T) {
	r := &Record{
		Line: 5, POD: V(testPOD), PracticeCode: V("SII201311111111"), StartDate: V("01/01/2013"),
		Pdp:   Pdp{Set: true, Treatment: V("O"), Voltage: V("400")},
		Extra: []Element{{Name: "NuovoCampo", Line: 8}},
	}
	got := runFile(testOptions(), "", testHeader("SOF"), r)
	assert.Equal(t, []finding{{RuleStructureReconstructed, "NuovoCampo", "", Warning}},
		findings(got, RuleStructureReconstructed, RuleStructure, RuleValue))
}
