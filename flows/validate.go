package flows

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/bludispatcher/dispatcher/internal/civil"
)

// Validator checks one flow file at a time as it streams: Start with the
// file name and header, Record for each DatiPod, Finish at the end (and
// CheckDigest when the file's SHA-256 is known). It keeps only what the
// file-wide checks need: for duplicates, one entry per POD, curve kind and
// month (plus one per record without curves), and for rule 15 one per POD
// of RFO files. Reuse it for the next file by
// calling Start again. A Validator is not safe for concurrent use.
type Validator struct {
	opts ValidateOptions
	set  settings

	file      string // base name of the file, for Anomaly.File
	name      FileName
	nameOK    bool // name parsed (possibly after a tolerated repair)
	header    Header
	flow      FlowInfo
	flowKnown bool

	schemaFailures int // blocking structure and value anomalies so far
	records        int
	blocked        int

	// While capping is set, addLevel lists at most
	// ValidateOptions.MaxRecordAnomalies anomalies, counts the others in
	// dropped, and records in droppedBlocking whether any was blocking.
	capping         bool
	dropped         int
	droppedBlocking bool

	seen    map[dupKey]int32
	days    map[dayGroup]*daySet
	rfoPods map[string]*monthMatch
	rfoList []string
}

// NewValidator returns a Validator configured by opts.
func NewValidator(opts ValidateOptions) *Validator {
	return &Validator{opts: opts, set: opts.resolve()}
}

// Start begins a file: it resets the Validator and checks the file name
// against the header (rules 1, 3, 5, 7–10, 14, and 4 and 6 when a Registry
// is set) and the header's own structure. The name may carry folders,
// which are ignored, or be empty when unknown, in which case the rules
// that compare it with the header do not run. The error is non-nil when
// the options name an unknown rule (see ValidateOptions.Check), in which
// case nothing is checked, or when a Registry lookup fails.
func (v *Validator) Start(name string, h *Header) (Anomalies, error) {
	if err := v.opts.Check(); err != nil {
		return nil, err
	}
	v.reset(name, h)
	var out Anomalies
	v.checkHeader(&out)
	v.checkFileName(&out, name)
	if err := v.checkRegistry(&out); err != nil {
		return out, err
	}
	return out, nil
}

func (v *Validator) reset(name string, h *Header) {
	v.file = baseName(name)
	v.name, v.nameOK = FileName{}, false
	v.header = Header{}
	if h != nil {
		v.header = *h
	}
	v.flow, v.flowKnown = LookupFlow(v.header.FlowCode.Text)
	v.schemaFailures, v.records, v.blocked = 0, 0, 0
	v.seen = make(map[dupKey]int32)
	v.days = make(map[dayGroup]*daySet)
	v.rfoPods = make(map[string]*monthMatch)
	v.rfoList = v.rfoList[:0]
}

// Record checks one DatiPod record: the schema structure and simple types,
// the POD-level admissibility rules 16–33, month coherence (rule 15),
// curve days and duplicates within the file.
func (v *Validator) Record(r *Record) Anomalies {
	var out Anomalies
	v.startCapping()
	v.checkRecordStructure(&out, r)
	if v.isFlusso() {
		v.checkMeasureType(&out, r)
		v.checkPodRules(&out, r)
	}
	v.checkMonthCoherence(&out, r)
	v.checkCurves(&out, r)
	v.checkDuplicates(&out, r)
	v.summariseDropped(&out, RecordLevel, r.Line, r.POD.Text)
	v.records++
	for _, a := range out {
		if a.Blocking() && a.Level == RecordLevel {
			v.blocked++
			break
		}
	}
	return out
}

// Finish ends the file: it reports rule 15 for RFO and RFO2G files (each
// POD needs a MeseAnno or DataMisura in the file's month), a file with no
// DatiPod, and rules 12 and 13 when any schema check failed.
func (v *Validator) Finish() Anomalies {
	var out Anomalies
	v.finishMonthCoherence(&out)
	if v.records == 0 {
		v.addSchema(&out, RuleStructure, FileLevel, 0, "", "DatiPod", "",
			"the file has no DatiPod: at least one is required")
	}
	if v.schemaFailures > 0 {
		switch {
		case v.flowKnown && v.flow.Family == Periodic:
			v.add(&out, RuleSchemaPeriodic, 0, "", "", "",
				fmt.Sprintf("the Flusso 1 file fails the official schema in %d place(s)", v.schemaFailures))
		case v.flowKnown && v.flow.Family == Correction:
			v.add(&out, RuleSchemaCorrection, 0, "", "", "",
				fmt.Sprintf("the Flusso 2 file fails the official schema in %d place(s)", v.schemaFailures))
		}
	}
	return out
}

// CheckDigest runs rule 11 (file already transmitted, code 919) through
// ValidateOptions.AlreadyLoaded with the SHA-256 digest of the file's bytes.
// It returns nothing when AlreadyLoaded is nil, and the hook's error as is.
func (v *Validator) CheckDigest(sha256 [32]byte) (Anomalies, error) {
	if v.opts.AlreadyLoaded == nil {
		return nil, nil
	}
	loaded, err := v.opts.AlreadyLoaded(v.file, sha256)
	if err != nil || !loaded {
		return nil, err
	}
	var out Anomalies
	v.add(&out, RuleAlreadyLoaded, 0, "", "", fmt.Sprintf("%x", sha256[:8]),
		"a file with this name and content was already loaded")
	return out, nil
}

// Stats returns how many records the current file had so far and how
// many of them carry a blocking record-level anomaly.
func (v *Validator) Stats() (records, blocked int) { return v.records, v.blocked }

// isFlusso reports whether the file is Flusso 1 or Flusso 2, the flows the
// admissibility rules are written for.
func (v *Validator) isFlusso() bool {
	return v.flowKnown && (v.flow.Family == Periodic || v.flow.Family == Correction)
}

// fileMonth returns the month of the file name, the reference month of
// rules 14 and 15.
func (v *Validator) fileMonth() (civil.Month, bool) {
	if !v.nameOK || v.name.Month.IsZero() {
		return civil.Month{}, false
	}
	return v.name.Month, true
}

// add appends an anomaly of rule id unless the rule is disabled, with the
// rule's code, level and (possibly overridden) severity.
func (v *Validator) add(out *Anomalies, id string, line int32, key, field, value, msg string) {
	v.addLevel(out, id, ruleLevel(id), line, key, field, value, msg)
}

// addLevel appends an anomaly like add, at the given level. Past the
// bound of ValidateOptions.MaxRecordAnomalies it only counts the anomaly.
// It returns the severity and whether the rule is enabled.
func (v *Validator) addLevel(out *Anomalies, id string, level Level, line int32, key, field, value, msg string) (Severity, bool) {
	if v.set.disabled[id] {
		return Warning, false
	}
	info := ruleTable[ruleIndex[id]]
	sev := info.Severity
	if s, ok := v.set.severities[id]; ok {
		sev = s
	}
	if v.capping && len(*out) >= v.set.maxAnomalies {
		v.dropped++
		v.droppedBlocking = v.droppedBlocking || sev == Blocking
		return sev, true
	}
	*out = append(*out, Anomaly{
		Code: info.Code, Rule: id, Severity: sev, Level: level,
		File: v.file, Line: int(line), Key: key, Field: field, Value: value,
		Message: msg,
	})
	return sev, true
}

// addSchema appends a structure or value anomaly and counts it for rules
// 12 and 13 when it is blocking, also past the anomaly bound.
func (v *Validator) addSchema(out *Anomalies, id string, level Level, line int32, key, field, value, msg string) {
	if sev, on := v.addLevel(out, id, level, line, key, field, value, msg); on && sev == Blocking {
		v.schemaFailures++
	}
}

// startCapping bounds the anomalies that addLevel lists until
// summariseDropped.
func (v *Validator) startCapping() {
	v.capping, v.dropped, v.droppedBlocking = true, 0, false
}

// summariseDropped ends the bound of startCapping and appends one anomaly
// of rule RuleTooManyAnomalies that counts the anomalies past it. It is
// blocking when any of them is, so the outcome does not change.
func (v *Validator) summariseDropped(out *Anomalies, level Level, line int, key string) {
	v.capping = false
	if v.dropped == 0 {
		return
	}
	info := ruleTable[ruleIndex[RuleTooManyAnomalies]]
	sev := Warning
	if v.droppedBlocking {
		sev = Blocking
	}
	*out = append(*out, Anomaly{
		Code: info.Code, Rule: RuleTooManyAnomalies, Severity: sev, Level: level,
		File: v.file, Line: line, Key: key,
		Message: fmt.Sprintf("%d more anomalies are not listed: at most %d are listed per record and for the unknown elements under the root", v.dropped, v.set.maxAnomalies),
	})
}

func ruleLevel(id string) Level { return ruleTable[ruleIndex[id]].Level }

// baseName strips folders. A backslash separates folders only where it is
// the OS path separator, because elsewhere it is a legal byte of a file
// name. A "!" never does, because it is a legal byte too. A caller that
// reads a zip entry passes the entry's own name, as the zip walker returns
// it, and not its archive path.
func baseName(name string) string {
	if i := strings.LastIndexAny(name, pathSeparators); i >= 0 {
		return name[i+1:]
	}
	return name
}

// pathSeparators are the bytes that end a folder in a name.
const pathSeparators = "/" + string(filepath.Separator)
