package switching

import (
	"github.com/bludispatcher/dispatcher/internal/anomaly"
)

// Rule is one check of a switch: a stable code, a short name, the
// severity of its finding and the plain message shown to operators. A
// blocking finding makes the switch invalid and a warning puts it to
// review. The three missing-data rules keep the switch incomplete instead.
type Rule struct {
	Code     string           `json:"code"`
	Name     string           `json:"name"`
	Severity anomaly.Severity `json:"severity"`
	Message  string           `json:"message"`
}

// The rules of a switch-in, in the order they run.
var (
	// RuleReadingMissing: no switching reading (SNM or SNM2G) with the
	// practice code has been loaded.
	RuleReadingMissing = Rule{"SW01", "reading-missing", anomaly.Warning,
		"the switching reading (SNM or SNM2G) has not arrived"}
	// RuleFunctionalMissing: no functional data (SOF, SNF or F2G) with the
	// practice code has been loaded.
	RuleFunctionalMissing = Rule{"SW02", "functional-missing", anomaly.Warning,
		"the functional data (SOF, SNF or F2G) have not arrived"}
	// RuleHistoryMissing: no historical data (SOS, SNS or S2G) of the POD
	// for the 13 months before the switch has been loaded.
	RuleHistoryMissing = Rule{"SW03", "history-missing", anomaly.Warning,
		"the historical data (SOS, SNS or S2G) have not arrived"}
	// RuleReadingDate: DataMisura of the switching reading must be the day
	// before the switch date, because the reading is taken at 24:00 of
	// that day.
	RuleReadingDate = Rule{"SW04", "reading-date", anomaly.Blocking,
		"the switching reading is not dated the day before the switch date"}
	// RuleSwitchDate: DataPrest of the reading and DataInizio of the
	// functional data must name the same switch date.
	RuleSwitchDate = Rule{"SW05", "switch-date", anomaly.Blocking,
		"the switch date of the reading (DataPrest) differs from that of the functional data (DataInizio)"}
	// RuleBandMissing: every band register the meter sends must be
	// present and not empty: EaF1..EaF3 for 1G meters (EaM when treated
	// single-rate), and EaF1..EaF6, ErF1..ErF6 and PotF1..PotF6 for 2G.
	RuleBandMissing = Rule{"SW06", "band-missing", anomaly.Blocking,
		"a band register of the switching reading is missing or empty"}
	// RuleDigits: a register divided by its meter constant (Ka, Kr, Kp)
	// must fit the digits of the meter (CifreAtt, CifreRea, CifrePot).
	RuleDigits = Rule{"SW07", "digits", anomaly.Blocking,
		"a register of the switching reading does not fit the digits of the meter"}
	// RuleRegisterValue: a register must be a number with a decimal comma
	// and at most three decimals.
	RuleRegisterValue = Rule{"SW08", "register-value", anomaly.Blocking,
		"a register of the switching reading is not a valid number"}
	// RuleEstimated: a reading with TipoDato S is an estimate.
	RuleEstimated = Rule{"SW09", "estimated", anomaly.Warning,
		"the switching reading is an estimate (TipoDato S)"}
	// RuleConsumption: the monthly consumption implied by the reading and
	// the nearest other reading of the meter must be within the tolerance
	// of the historical monthly average, and never negative.
	RuleConsumption = Rule{"SW10", "consumption", anomaly.Warning,
		"the consumption implied by the switching reading is far from the historical monthly average"}
	// RuleRegistryMissing: the POD must be in the billing registry on the
	// switch date.
	RuleRegistryMissing = Rule{"SW11", "registry-missing", anomaly.Warning,
		"the POD is not in the billing registry on the switch date"}
	// RuleRegistryMismatch: treatment, power and voltage of the functional
	// data must match the billing registry where it records them.
	RuleRegistryMismatch = Rule{"SW12", "registry-mismatch", anomaly.Warning,
		"the functional data differ from the billing registry"}
	// RuleReopened: a correction of the switching reading (RSN or RSN2G)
	// arrived after the switch was validated, so an operator must look at
	// it again.
	RuleReopened = Rule{"SW13", "reopened", anomaly.Warning,
		"a correction of the switching reading arrived after validation"}
)

// Rules lists every rule, for documentation and the API.
var Rules = []Rule{RuleReadingMissing, RuleFunctionalMissing, RuleHistoryMissing, RuleReadingDate,
	RuleSwitchDate, RuleBandMissing, RuleDigits, RuleRegisterValue, RuleEstimated, RuleConsumption,
	RuleRegistryMissing, RuleRegistryMismatch, RuleReopened}

// missingRules are the rules whose findings keep a switch incomplete.
var missingRules = map[string]bool{
	RuleReadingMissing.Code: true, RuleFunctionalMissing.Code: true, RuleHistoryMissing.Code: true,
}

// finding builds the anomaly of rule r for one POD. detail, when not
// empty, is appended to the rule's message.
func (r Rule) finding(pod, field, value, detail string) anomaly.Anomaly {
	msg := r.Message
	if detail != "" {
		msg += ": " + detail
	}
	return anomaly.Anomaly{Code: r.Code, Rule: r.Name, Severity: r.Severity, Level: anomaly.RecordLevel,
		Key: pod, Field: field, Value: value, Message: msg}
}
