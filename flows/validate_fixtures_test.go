package flows

import (
	"fmt"
	"time"

	"github.com/bludispatcher/dispatcher/internal/civil"
)

// Records built in code for the validator tests. Each builder returns a
// record that passes every check for its flow; tests change one thing.

const (
	testDistributor = "01234567890"
	testSeller      = "12345678901"
	testContract    = "DP0001"
	testPOD         = "IT001E12345678"
)

// testName returns a current file name for flow and month token (yyyyMM)
// with meter state R.
func testName(flow, month string) string {
	return fmt.Sprintf("%s_%s_%s_%s_20130218060523_1%s_R.xml", testDistributor, testSeller, month, flow, testContract)
}

func testHeader(flow string) *Header {
	return &Header{
		Root:                "FlussoMisure",
		FlowCode:            V(flow),
		SellerVAT:           V(testSeller),
		DistributorVAT:      V(testDistributor),
		DispatchingContract: V(testContract),
	}
}

// testOptions processes files in January 2013.
func testOptions() ValidateOptions {
	return ValidateOptions{Now: time.Date(2013, time.January, 20, 12, 0, 0, 0, civil.Rome)}
}

func testPdp(treatment string) Pdp {
	return Pdp{
		Set: true, Treatment: V(treatment), Voltage: V("400"), Flat: V("NO"), MeterGroup: V("SI"),
		Ka: V("1,000"), Kr: V("1,000"), Kp: V("1,000"),
	}
}

// fullCurve returns a day of kind with E1..E96 set to "0,250".
func fullCurve(kind CurveKind, day string) Curve {
	c := Curve{Kind: kind, Day: V(day)}
	for n := 1; n <= 96; n++ {
		c.SetE(n, "0,250")
	}
	return c
}

// dstCurve returns a curve day with Dst and only the slots from..to set.
func dstCurve(kind CurveKind, day, dst string, from, to int) Curve {
	c := Curve{Kind: kind, Day: V(day), Dst: V(dst)}
	for n := from; n <= to; n++ {
		c.SetE(n, "0,100")
	}
	return c
}

// pdoRecord is a 1G hourly PDO record: a monthly curve for January 2013.
func pdoRecord() *Record {
	return &Record{
		Line: 7, POD: V(testPOD), MonthYear: V("01/2013"), Pdp: testPdp("O"),
		Measure: &Measure{
			Element: "Misura", XSIType: "DettaglioMisuraPDOv2Type",
			Collection: V("P"), DataType: V("E"), Validated: V("S"), PotMax: V("12,240"),
			Curves: []Curve{fullCurve(ActiveEnergy, "01"), fullCurve(ActiveEnergy, "02"), fullCurve(ReactiveEnergy, "01"), fullCurve(ReactiveEnergy, "02")},
		},
	}
}

// bands6 sets the six band registers of a quantity.
func bands6(vals *[6]Value, n int) {
	for i := 0; i < n; i++ {
		vals[i] = V("10,000")
	}
}

// pdo2gRecord is a 2G hourly daily record (DettaglioMisuraPeriodico2GORType).
func pdo2gRecord() *Record {
	m := &Measure{
		Element: "Misura", XSIType: "DettaglioMisuraPeriodico2GORType",
		Collection: V("P"), DataType: V("E"), Validated: V("S"), PotMax: V("3,000"),
		Curves: []Curve{fullCurve(ActiveEnergy, "15"), fullCurve(ReactiveEnergy, "15")},
	}
	bands6(&m.Registers.Ea, 6)
	bands6(&m.Registers.Er, 6)
	bands6(&m.Registers.Pot, 6)
	return &Record{Line: 7, POD: V(testPOD), MonthYear: V("01/2013"), Pdp: testPdp("O"), Measure: m}
}

// pnoRecord is a 1G non-hourly reading by bands (DettaglioMisuraNOv2Type).
func pnoRecord() *Record {
	m := &Measure{
		Element: "Misura", XSIType: "DettaglioMisuraNOv2Type",
		Collection: V("P"), DataType: V("E"), Validated: V("S"), PotMax: V("3,000"),
	}
	bands6(&m.Registers.Ea, 3)
	return &Record{Line: 7, POD: V(testPOD), MeasureDate: V("31/01/2013"), Pdp: testPdp("F"), Measure: m}
}

// snm2gRecord is a 2G switching reading (DettaglioMisuraSNM2GType).
func snm2gRecord() *Record {
	m := &Measure{
		Element: "Misura", XSIType: "DettaglioMisuraSNM2GType",
		Collection: V("S"), DataType: V("E"), Validated: V("S"),
	}
	bands6(&m.Registers.Ea, 6)
	bands6(&m.Registers.Er, 6)
	bands6(&m.Registers.Pot, 6)
	return &Record{
		Line: 7, POD: V(testPOD), MeasureDate: V("31/12/2012"), ServiceDate: V("01/01/2013"),
		PracticeCode: V("SII201311111111"), Pdp: testPdp("F"), Measure: m,
	}
}

// rfoRecord is an hourly correction (DettaglioMisuraRFOv2Type).
func rfoRecord() *Record {
	return &Record{
		Line: 7, POD: V(testPOD), MonthYear: V("01/2013"), CorrectionType: V("P"), Reason: V("2"),
		Pdp: testPdp("O"),
		Measure: &Measure{
			Element: "Misura", XSIType: "DettaglioMisuraRFOv2Type", PotMax: V("12,240"),
			Curves: []Curve{fullCurve(ActiveEnergy, "01"), fullCurve(ReactiveEnergy, "01")},
		},
	}
}

// rnoRecord is a non-hourly correction (DettaglioMisuraRNOv2Type).
func rnoRecord() *Record {
	m := &Measure{Element: "Misura", XSIType: "DettaglioMisuraRNOv2Type", PotMax: V("3,000")}
	bands6(&m.Registers.Ea, 3)
	return &Record{
		Line: 7, POD: V(testPOD), MeasureDate: V("31/01/2013"), CorrectionType: V("P"), Reason: V("2"),
		Pdp: testPdp("F"), Measure: m,
	}
}

// rsn2gRecord is a correction of a 2G switching reading (DettaglioMisuraRSNRType).
func rsn2gRecord() *Record {
	r := rnoRecord()
	r.Measure.XSIType = "DettaglioMisuraRSNRType"
	r.MeasureDate = V("31/12/2012")
	r.CorrectionType = V("S")
	r.ServiceDate = V("01/01/2013")
	r.PracticeCode = V("SII201311111111")
	return r
}

// recordFor returns the valid record builder of a flow code.
func recordFor(flow string) *Record {
	switch flow {
	case "PDO":
		return pdoRecord()
	case "PDO2G":
		return pdo2gRecord()
	case "PNO", "RNO":
		if flow == "RNO" {
			return rnoRecord()
		}
		return pnoRecord()
	case "SNM2G":
		return snm2gRecord()
	case "RFO":
		return rfoRecord()
	case "RSN2G":
		return rsn2gRecord()
	}
	panic("no test record for " + flow)
}

// runFile validates one file made of name, header and records and returns
// every anomaly in order.
func runFile(opts ValidateOptions, name string, h *Header, records ...*Record) Anomalies {
	v := NewValidator(opts)
	out, err := v.Start(name, h)
	if err != nil {
		panic(err)
	}
	for _, r := range records {
		out = append(out, v.Record(r)...)
	}
	return append(out, v.Finish()...)
}

// rulesOf returns the Rule of each anomaly, in order.
func rulesOf(list Anomalies) []string {
	var out []string
	for _, a := range list {
		out = append(out, a.Rule)
	}
	return out
}

// withRule returns the anomalies of one rule.
func withRule(list Anomalies, rule string) Anomalies {
	var out Anomalies
	for _, a := range list {
		if a.Rule == rule {
			out = append(out, a)
		}
	}
	return out
}
