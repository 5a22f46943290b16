package flows

// Identifiers of the validator's checks, as they appear in Anomaly.Rule.
// "R1" to "R33" are the admissibility rules of the Acquirente Unico checker
// for Flusso 1 and Flusso 2, numbered as there: 1–15 at file level and
// 16–33 at POD level. Rule 2 needs the delivery folder and rule 28 no
// longer exists, so neither is implemented. The other identifiers are
// checks of this package.
const (
	RuleDistributorVAT   = "R1"  // header PIvaDistributore differs from the file name
	RuleSellerVAT        = "R3"  // header PIvaUtente differs from the file name
	RuleSellerRegistered = "R4"  // PIvaUtente not active in the RCU for the month
	RuleContract         = "R5"  // header CodContrDisp differs from the file name
	RuleContractOfSeller = "R6"  // CodContrDisp not associated with PIvaUtente in the RCU
	RuleTimestamp        = "R7"  // timestamp token is not yyyyMMddHHmmss
	RuleFlowCode         = "R8"  // CodFlusso differs from the flow token of the name
	RuleMeterState       = "R9"  // meter-state token is not R or NR
	RulePDO2GNotRegime   = "R10" // meter state NR with flow PDO2G
	RuleAlreadyLoaded    = "R11" // the same file was already transmitted
	RuleSchemaPeriodic   = "R12" // a Flusso 1 file fails the schema checks (warning by default, see ruleTable)
	RuleSchemaCorrection = "R13" // a Flusso 2 file fails the schema checks (warning by default, see ruleTable)
	RuleMonthRange       = "R14" // file month in the future or too far back
	RuleMonthCoherence   = "R15" // MeseAnno/DataMisura outside the file month
	RuleMeasureDate      = "R16" // DataMisura missing for Trattamento M, F, C
	RuleCurveMonth       = "R17" // MeseAnno missing for Trattamento O
	RulePracticeCode     = "R18" // CodPrat_SII missing for Raccolta S, V
	RuleServiceDate      = "R19" // DataPrest missing for Raccolta S, V, T
	RuleCorrServiceDate  = "R20" // DataPrest missing for TipoRettifica S, V, T
	RuleConstants        = "R21" // Ka, Kr or Kp missing
	// RuleEstimateReason is rule 22. The checker requires MotivazioneStima
	// on Flusso 1 estimates (TipoDato S), an element that version 1.8 of the
	// standard no longer has. Its field table labels the row
	// "MotivazioneStima / Causa Ostativa" and requires it when TipoDato is S,
	// so the rule requires CausaOstativa on a Misura with TipoDato S.
	RuleEstimateReason   = "R22"
	RuleHourlyNotAllowed = "R23" // PNO2G or VNO with Trattamento O
	RuleCollection       = "R24" // Raccolta does not match VNO/SNM flows
	RuleCorrectionType   = "R25" // TipoRettifica does not match RNV/RSN flows
	RulePotMax           = "R26" // PotMax missing
	RuleDST              = "R27" // daylight-saving day rules of the curves
	RuleHourlyConsumo    = "R29" // correction of an hourly POD with Consumo
	RuleConsumoAndCurve  = "R30" // correction of an hourly POD with Consumo and Misura
	RuleFlatNoConsumo    = "R31" // Forfait SI without Consumo
	RuleSentByMistake    = "R32" // Motivazione 3 with Misura or Consumo
	RuleReasonForType    = "R33" // RSN2G/RNV2G reason not 1, 2 or 6

	// RuleStructure covers the element structure of the official schemas:
	// required, unknown, repeated and out-of-order elements, xsi:type.
	RuleStructure = "structure"
	// RuleStructureReconstructed is RuleStructure for the switching and meter
	// replacement flows, whose structure is reconstructed from public code
	// because no official schema is published: departures are warnings.
	RuleStructureReconstructed = "structure-reconstructed"
	// RuleEmptyValue fires for an empty numeric element where the
	// historical switching flows allow one (a negative monthly sum).
	RuleEmptyValue = "empty-value"
	// RuleValue covers the simple types of the official schemas: numbers,
	// dates, codes and lengths.
	RuleValue = "value"
	// RuleDuplicate fires when a file carries the same POD twice for the
	// same day or competence.
	RuleDuplicate = "duplicate"
	// RuleSingleRateAndBands fires when a measure carries a single-rate
	// register (EaM, ErM, PotM, ErcM, EriM) together with band registers of
	// the same quantity: single-rate meters send the M register instead of
	// the bands.
	RuleSingleRateAndBands = "registers"
	// RuleMeasureType fires when a Misura has a type of the flow's schema
	// that the flow does not use, such as DettaglioMisuraSNM2GType in a
	// PDO file.
	RuleMeasureType = "misura-type"
	// RuleCalendarDate fires for a date that matches the DataItaType
	// pattern but does not exist, such as 30/02/2013. The official schema
	// accepts it, so it is not a schema violation.
	RuleCalendarDate = "date"
	// RuleCurveDay fires when a curve day does not exist in its month.
	RuleCurveDay = "day"
	// RuleMalformed fires when the file is not well-formed XML or ends
	// before its root element closes.
	RuleMalformed = "xml"
	// RuleFileName fires when the file name cannot be parsed, so the rules
	// that compare it with the header cannot run.
	RuleFileName = "filename"
	// RuleFileNameDefect fires for a departure from the naming scheme that
	// the parser tolerates, such as a doubled underscore.
	RuleFileNameDefect = "filename-defect"
	// RuleContractFormat fires when CodContrDisp is not "DP" and four
	// digits other than 0000 (code 967).
	RuleContractFormat = "R967"
	// RuleTooManyAnomalies counts the anomalies of one record past
	// ValidateOptions.MaxRecordAnomalies, which are not listed one by one.
	RuleTooManyAnomalies = "anomaly-limit"
	// RuleForeignVAT fires when a header VAT number is not 11 digits, the
	// shape of an Italian VAT number; ValidateOptions.AcceptForeignVAT
	// turns it off.
	RuleForeignVAT = "vat"
)

// RuleInfo describes one check: its identifier, the code and default
// severity of its anomalies, and the level it applies to.
type RuleInfo struct {
	ID       string
	Code     string
	Severity Severity
	Level    Level
	// Summary describes in one line when the rule fires.
	Summary string
}

// ruleTable lists every check with its defaults. The file-level rules of
// the Acquirente Unico checker reject the file, so they are blocking,
// except rules 12 and 13. Each schema violation they summarise is already
// a blocking anomaly of its own record, so by default they are warnings and
// the records without violations still load; ValidateOptions.Severities
// makes them blocking, which rejects the whole file as that checker does.
// The POD-level rules are blocking or not as that checker classifies them.
var ruleTable = []RuleInfo{
	{RuleDistributorVAT, CodeStructure, Blocking, FileLevel, "PIvaDistributore differs from the distributor VAT of the file name"},
	{RuleSellerVAT, CodeStructure, Blocking, FileLevel, "PIvaUtente differs from the seller VAT of the file name"},
	{RuleSellerRegistered, CodeStructure, Blocking, FileLevel, "PIvaUtente is not an active dispatching user in the RCU for the file month"},
	{RuleContract, CodeStructure, Blocking, FileLevel, "CodContrDisp differs from the dispatching contract of the file name"},
	{RuleContractOfSeller, CodeStructure, Blocking, FileLevel, "CodContrDisp is not associated with PIvaUtente in the RCU"},
	{RuleTimestamp, CodeStructure, Blocking, FileLevel, "the timestamp of the file name is not a valid yyyyMMddHHmmss"},
	{RuleFlowCode, CodeStructure, Blocking, FileLevel, "CodFlusso differs from the flow code of the file name"},
	{RuleMeterState, CodeStructure, Blocking, FileLevel, "the meter state of the file name is not R or NR"},
	{RulePDO2GNotRegime, CodeStructure, Blocking, FileLevel, "a PDO2G file has meter state NR"},
	{RuleAlreadyLoaded, CodeAlreadyLoaded, Blocking, FileLevel, "the same file was already transmitted"},
	{RuleSchemaPeriodic, CodeStructure, Warning, FileLevel, "a Flusso 1 file does not conform to the official schema"},
	{RuleSchemaCorrection, CodeStructure, Warning, FileLevel, "a Flusso 2 file does not conform to the official schema"},
	{RuleMonthRange, CodeMonthRange, Blocking, FileLevel, "the file month is after the processing month or too far before it"},
	{RuleMonthCoherence, CodeMonth, Blocking, FileLevel, "MeseAnno or DataMisura is outside the month of the file"},
	{RuleMeasureDate, CodeRequiredField, Warning, RecordLevel, "Trattamento M, F or C without a valid DataMisura"},
	{RuleCurveMonth, CodeRequiredField, Blocking, RecordLevel, "Trattamento O without a valid MeseAnno"},
	{RulePracticeCode, CodeRequiredField, Warning, RecordLevel, "Flusso 1 with Raccolta S or V without CodPrat_SII"},
	{RuleServiceDate, CodeRequiredField, Warning, RecordLevel, "Flusso 1 with Raccolta S, V or T without a valid DataPrest"},
	{RuleCorrServiceDate, CodeRequiredField, Warning, RecordLevel, "Flusso 2 with TipoRettifica S, V or T without a valid DataPrest"},
	{RuleConstants, CodeRequiredField, Warning, RecordLevel, "Ka, Kr or Kp missing"},
	{RuleEstimateReason, CodeRequiredField, Warning, RecordLevel, "Flusso 1 estimate (TipoDato S) without CausaOstativa"},
	{RuleHourlyNotAllowed, CodeRequiredField, Warning, RecordLevel, "PNO2G or VNO with Trattamento O"},
	{RuleCollection, CodeRequiredField, Warning, RecordLevel, "VNO/VNO2G without Raccolta V, or SNM/SNM2G without Raccolta S"},
	{RuleCorrectionType, CodeRequiredField, Warning, RecordLevel, "RNV/RNV2G without TipoRettifica V, or RSN/RSN2G without TipoRettifica S"},
	{RulePotMax, CodeRequiredField, Warning, RecordLevel, "PotMax missing"},
	{RuleDST, CodeRequiredField, Blocking, RecordLevel, "a curve breaks the daylight-saving day rules (Dst, E9..E12)"},
	{RuleHourlyConsumo, CodeRequiredField, Blocking, RecordLevel, "Flusso 2 with Trattamento O carries Consumo"},
	{RuleConsumoAndCurve, CodeRequiredField, Warning, RecordLevel, "Flusso 2 with Trattamento O carries both Consumo and Misura"},
	{RuleFlatNoConsumo, CodeRequiredField, Warning, RecordLevel, "Forfait SI without Consumo"},
	{RuleSentByMistake, CodeRequiredField, Warning, RecordLevel, "Motivazione 3 with Misura or Consumo"},
	{RuleReasonForType, CodeRequiredField, Warning, RecordLevel, "RSN2G or RNV2G correcting S or V data with Motivazione other than 1, 2 or 6"},
	{RuleStructure, CodeStructure, Blocking, RecordLevel, "an element is missing, unknown, repeated or out of order"},
	{RuleStructureReconstructed, CodeStructure, Warning, RecordLevel, "a switching or meter replacement record departs from the reconstructed structure"},
	{RuleEmptyValue, CodeStructure, Warning, RecordLevel, "an empty numeric element in a historical switching flow"},
	{RuleValue, CodeStructure, Blocking, RecordLevel, "a value does not match its type in the official schema"},
	{RuleDuplicate, CodeStructure, Blocking, RecordLevel, "the same POD appears twice for the same day or competence"},
	{RuleSingleRateAndBands, CodeRequiredField, Warning, RecordLevel, "a single-rate register together with band registers of the same quantity"},
	{RuleMeasureType, CodeStructure, Warning, RecordLevel, "Misura has a type the flow does not use"},
	{RuleCalendarDate, CodeRequiredField, Warning, RecordLevel, "a date matches the schema pattern but does not exist"},
	{RuleCurveDay, CodeRequiredField, Blocking, RecordLevel, "a curve day does not exist in its month"},
	{RuleMalformed, CodeStructure, Blocking, FileLevel, "the file is not well-formed XML or is truncated"},
	{RuleFileName, CodeStructure, Blocking, FileLevel, "the file name cannot be parsed"},
	{RuleFileNameDefect, CodeStructure, Warning, FileLevel, "the file name departs from the naming scheme in a tolerated way"},
	{RuleContractFormat, CodeDispatchingContract, Blocking, FileLevel, "CodContrDisp is not DP and four digits other than 0000"},
	{RuleForeignVAT, CodeStructure, Warning, FileLevel, "a header VAT number is not 11 digits"},
	{RuleTooManyAnomalies, CodeStructure, Warning, RecordLevel, "a record has more anomalies than are listed; blocking when any unlisted one is"},
}

// Rules returns every check of the validator with its default code,
// severity and level, in rule order.
func Rules() []RuleInfo {
	out := make([]RuleInfo, len(ruleTable))
	copy(out, ruleTable)
	return out
}

// LookupRule returns the defaults of one check, and false for an unknown
// identifier.
func LookupRule(id string) (RuleInfo, bool) {
	for _, r := range ruleTable {
		if r.ID == id {
			return r, true
		}
	}
	return RuleInfo{}, false
}

var ruleIndex = func() map[string]int {
	m := make(map[string]int, len(ruleTable))
	for i, r := range ruleTable {
		m[r.ID] = i
	}
	return m
}()
