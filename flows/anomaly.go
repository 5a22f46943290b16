package flows

import "github.com/bludispatcher/dispatcher/internal/anomaly"

// Anomaly is one finding of the validator: its code, the rule that fired,
// whether it blocks loading, and where it is (file, line, POD, field, value).
type Anomaly = anomaly.Anomaly

// Anomalies is the list of findings of one file or one record.
type Anomalies = anomaly.List

// Severity marks whether an anomaly keeps its record or file from loading.
type Severity = anomaly.Severity

// Level is the scope of an anomaly: the whole file or one POD record.
type Level = anomaly.Level

// Severities and levels of an Anomaly.
const (
	// Warning is a finding that does not stop loading.
	Warning = anomaly.Warning
	// Blocking keeps the record (or, at file level, the whole file) from
	// loading.
	Blocking = anomaly.Blocking
	// RecordLevel findings concern one DatiPod record; Key is its POD.
	RecordLevel = anomaly.RecordLevel
	// FileLevel findings concern the whole file: its name, header or
	// structure as a whole.
	FileLevel = anomaly.FileLevel
)

// The codes of the Acquirente Unico admissibility checks for the SII
// metering flows. Every anomaly of this package carries one of them.
const (
	// CodeStructure (904): the file does not have the required structure.
	// Schema violations, name and header mismatches and registry checks
	// use it.
	CodeStructure = "904"
	// CodeMonth (906): the data do not refer to the month of the file.
	CodeMonth = "906"
	// CodeMonthRange (914): the file's month is in the future or more than
	// the allowed number of months (68 by default) in the past.
	CodeMonthRange = "914"
	// CodeAlreadyLoaded (919): the same file was already transmitted.
	CodeAlreadyLoaded = "919"
	// CodeDispatchingContract (967): CodContrDisp is not "DP" followed by
	// four digits other than 0000.
	CodeDispatchingContract = "967"
	// CodeRequiredField (010): a required field is missing or not filled in
	// correctly. Every POD-level admissibility rule uses it.
	CodeRequiredField = "010"
)
