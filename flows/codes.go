package flows

// Family groups flow codes by the schema their files follow.
type Family uint8

const (
	// UnknownFamily is a code this package does not know.
	UnknownFamily Family = iota
	// Periodic is Flusso 1 of the SII standard: PDO, PNO, VNO, SNM and their
	// 2G variants.
	Periodic
	// Correction is Flusso 2: RFO, RNO, RNV, RSN and their 2G variants.
	Correction
	// SwitchingFunctional is SOF, SNF and F2G: technical data of a switched POD.
	SwitchingFunctional
	// SwitchingHistorical is SOS, SNS and S2G: the 12 months before a switch.
	SwitchingHistorical
	// MeterReplacement is SMIS.
	MeterReplacement
)

// String returns a short English name of the family.
func (f Family) String() string {
	switch f {
	case Periodic:
		return "periodic"
	case Correction:
		return "correction"
	case SwitchingFunctional:
		return "switching-functional"
	case SwitchingHistorical:
		return "switching-historical"
	case MeterReplacement:
		return "meter-replacement"
	}
	return "unknown"
}

// FlowInfo describes one flow code (CodFlusso).
type FlowInfo struct {
	Code   string // CodFlusso, such as "PNO2G"
	Family Family
	// Is2G reports whether the code is for 2G (second-generation) meters.
	Is2G bool
	// Hourly reports whether the flow carries hourly-treated curves
	// (the "O" of PDO, RFO, SOF, SOS).
	Hourly bool
}

var flowTable = map[string]FlowInfo{
	"PDO": {"PDO", Periodic, false, true}, "PDO2G": {"PDO2G", Periodic, true, true},
	"PNO": {"PNO", Periodic, false, false}, "PNO2G": {"PNO2G", Periodic, true, false},
	"VNO": {"VNO", Periodic, false, false}, "VNO2G": {"VNO2G", Periodic, true, false},
	"SNM": {"SNM", Periodic, false, false}, "SNM2G": {"SNM2G", Periodic, true, false},
	"RFO": {"RFO", Correction, false, true}, "RFO2G": {"RFO2G", Correction, true, true},
	"RNO": {"RNO", Correction, false, false}, "RNO2G": {"RNO2G", Correction, true, false},
	"RNV": {"RNV", Correction, false, false}, "RNV2G": {"RNV2G", Correction, true, false},
	"RSN": {"RSN", Correction, false, false}, "RSN2G": {"RSN2G", Correction, true, false},
	"SOF": {"SOF", SwitchingFunctional, false, true}, "SNF": {"SNF", SwitchingFunctional, false, false},
	"F2G": {"F2G", SwitchingFunctional, true, false},
	"SOS": {"SOS", SwitchingHistorical, false, true}, "SNS": {"SNS", SwitchingHistorical, false, false},
	"S2G":  {"S2G", SwitchingHistorical, true, false},
	"SMIS": {"SMIS", MeterReplacement, false, false},
}

// LookupFlow returns what is known of a flow code. The comparison is exact
// and case-sensitive: "PNO" never matches "PNO2G".
func LookupFlow(code string) (FlowInfo, bool) {
	info, ok := flowTable[code]
	return info, ok
}

// FlowCodes returns every flow code this package reads and writes.
func FlowCodes() []string {
	return []string{
		"PDO", "PDO2G", "PNO", "PNO2G", "VNO", "VNO2G", "SNM", "SNM2G",
		"RFO", "RFO2G", "RNO", "RNO2G", "RNV", "RNV2G", "RSN", "RSN2G",
		"SOF", "SNF", "F2G", "SOS", "SNS", "S2G", "SMIS",
	}
}
