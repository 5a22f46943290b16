package gme

import (
	"errors"
	"fmt"
	"sort"

	"github.com/bludispatcher/dispatcher/internal/anomaly"
	"github.com/bludispatcher/dispatcher/internal/civil"
)

// Anomaly is the finding type shared by every validator of the project.
type Anomaly = anomaly.Anomaly

// Anomaly codes of this package.
const (
	// CodeInvalidNumber: a value is not a decimal-comma number.
	CodeInvalidNumber = "GME-NUMBER"
	// CodeEmptyValue: a value element is present with no text; it is kept
	// as absent, never as zero.
	CodeEmptyValue = "GME-EMPTY"
	// CodeDuplicate: two rows have the same market, kind, day and period.
	CodeDuplicate = "GME-DUPLICATE"
	// CodeMissingPeriods: a day of the file lacks some of its hours or
	// quarter-hours.
	CodeMissingPeriods = "GME-MISSING"
	// CodeMissingPUN: a day-ahead (MGP) price row has no PUN.
	CodeMissingPUN = "GME-PUN"
	// CodeGranularity: a 15-minute row declares a granularity other than
	// PT15.
	CodeGranularity = "GME-GRANULARITY"
	// CodeRow: a row could not be placed in time (see RowError).
	CodeRow = "GME-ROW"
)

// ValidatorOptions select the optional checks of a Validator.
type ValidatorOptions struct {
	// File is the file name reported in anomalies.
	File string
	// RequirePUN makes a day-ahead (MGP) Prezzi or Prezzi15 row without a
	// PUN value a warning. Intraday files never carry a PUN.
	RequirePUN bool
}

// Validator checks the records of one file as they stream by. Its memory
// grows with the number of distinct days in the file, not with the rows.
type Validator struct {
	opts ValidatorOptions
	days map[dayKey]map[int]int // periods seen per day, with their line
}

type dayKey struct {
	market string
	kind   Kind
	date   civil.Date
}

// NewValidator returns a Validator with the given options.
func NewValidator(opts ValidatorOptions) *Validator {
	return &Validator{opts: opts, days: map[dayKey]map[int]int{}}
}

// Check returns the anomalies of one record and remembers its period for
// the completeness check of Finish.
func (v *Validator) Check(rec *Record) anomaly.List {
	var out anomaly.List
	for _, f := range rec.Fields {
		switch {
		case f.Empty:
			out = append(out, v.recordAnomaly(rec, f, CodeEmptyValue, anomaly.Warning, "value is empty; it is kept as absent"))
		case !f.Valid:
			out = append(out, v.recordAnomaly(rec, f, CodeInvalidNumber, anomaly.Blocking, "value is not a decimal-comma number"))
		}
	}
	if v.opts.RequirePUN && rec.Market == "MGP" && (rec.Kind == KindPrices || rec.Kind == KindPrices15) {
		if _, ok := rec.PUN(); !ok {
			out = append(out, v.recordAnomaly(rec, Field{Name: "PUN", Line: rec.Line}, CodeMissingPUN, anomaly.Warning, "day-ahead price row has no valid PUN"))
		}
	}
	if rec.Kind == KindPrices15 && rec.Granularity != "" && rec.Granularity != "PT15" {
		out = append(out, v.recordAnomaly(rec, Field{Name: "Granularity", Text: rec.Granularity, Line: rec.Line}, CodeGranularity, anomaly.Warning, "15-minute row declares another granularity; it is read as PT15"))
	}
	key := dayKey{rec.Market, rec.Kind, rec.Date}
	seen := v.days[key]
	if seen == nil {
		seen = map[int]int{}
		v.days[key] = seen
	}
	if first, dup := seen[rec.Period]; dup {
		msg := fmt.Sprintf("period %d of %s already read at line %d", rec.Period, rec.Date, first)
		out = append(out, v.recordAnomaly(rec, Field{Name: periodField(rec.Kind), Line: rec.Line}, CodeDuplicate, anomaly.Blocking, msg))
	} else {
		seen[rec.Period] = rec.Line
	}
	return out
}

// RowAnomaly turns an error of Reader.Next into an anomaly: a *RowError
// becomes a blocking record-level anomaly, any other error a blocking
// file-level one.
func (v *Validator) RowAnomaly(err error) Anomaly {
	var rowErr *RowError
	if errors.As(err, &rowErr) {
		return Anomaly{Code: CodeRow, Rule: "row", Severity: anomaly.Blocking, Level: anomaly.RecordLevel,
			File: v.opts.File, Line: rowErr.Line, Field: rowErr.Field, Value: rowErr.Value, Message: rowErr.Err.Error()}
	}
	a := Anomaly{Code: CodeRow, Rule: "structure", Severity: anomaly.Blocking, Level: anomaly.FileLevel,
		File: v.opts.File, Message: err.Error()}
	var syn *SyntaxError
	if errors.As(err, &syn) {
		a.Line = syn.Line
	}
	return a
}

// Finish returns one anomaly per day of the file that lacks some of its
// hours or quarter-hours, in day order.
func (v *Validator) Finish() anomaly.List {
	keys := make([]dayKey, 0, len(v.days))
	for k := range v.days {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if c := a.date.Compare(b.date); c != 0 {
			return c < 0
		}
		if a.market != b.market {
			return a.market < b.market
		}
		return a.kind < b.kind
	})
	var out anomaly.List
	for _, k := range keys {
		want := periodsIn(k.kind, k.date)
		seen := v.days[k]
		if len(seen) >= want {
			continue
		}
		missing := missingPeriods(seen, want)
		out = append(out, Anomaly{Code: CodeMissingPeriods, Rule: "completeness", Severity: anomaly.Warning,
			Level: anomaly.FileLevel, File: v.opts.File, Key: fmt.Sprintf("%s/%s/%s", k.market, k.kind, k.date),
			Field: periodField(k.kind), Message: fmt.Sprintf("day has %d of %d periods; missing %v", len(seen), want, missing)})
	}
	return out
}

func missingPeriods(seen map[int]int, want int) []int {
	var out []int
	for p := 1; p <= want; p++ {
		if _, ok := seen[p]; !ok {
			out = append(out, p)
		}
	}
	return out
}

func periodField(k Kind) string {
	if k == KindPrices15 {
		return "Periodo"
	}
	return "Ora"
}

func (v *Validator) recordAnomaly(rec *Record, f Field, code string, sev anomaly.Severity, msg string) Anomaly {
	return Anomaly{Code: code, Rule: "value", Severity: sev, Level: anomaly.RecordLevel, File: v.opts.File,
		Line: f.Line, Key: rec.Key(), Field: f.Name, Value: f.Text, Message: msg}
}
