package sii

import (
	"errors"
	"fmt"

	"github.com/bludispatcher/dispatcher/internal/anomaly"
	"github.com/bludispatcher/dispatcher/internal/civil"
)

// Anomaly codes of the PRA validator.
const (
	// CodePRAArea: the area is empty.
	CodePRAArea = "PRA-AREA"
	// CodePRADistributor: the distributor VAT number is malformed.
	CodePRADistributor = "PRA-DISTRIBUTOR"
	// CodePRADate: the day is empty or does not match the profile layout.
	CodePRADate = "PRA-DATE"
	// CodePRAPeriod: the hour or quarter-hour is empty, not a number, or
	// beyond the day's 23–25 hours or 92–100 quarter-hours.
	CodePRAPeriod = "PRA-PERIOD"
	// CodePRAEnergy: the energy is empty or not a number.
	CodePRAEnergy = "PRA-ENERGY"
	// CodePRANegative: the energy is negative.
	CodePRANegative = "PRA-NEGATIVE"
	// CodePRADuplicate: two values share area, distributor, day and period.
	CodePRADuplicate = "PRA-DUPLICATE"
	// CodePRAWidth: the line has more fields than the header.
	CodePRAWidth = "PRA-WIDTH"
	// CodePRAParse: the line cannot be read.
	CodePRAParse = "PRA-PARSE"
)

// PRAValidatorOptions configure a PRAValidator.
type PRAValidatorOptions struct {
	// File is the file name reported in anomalies.
	File string
	// AllowNegative accepts negative energies, which a residual can show
	// after losses adjustments; otherwise they are warnings.
	AllowNegative bool
}

// PRAValidator checks PRA values as they stream by. It remembers the keys
// it has seen to report duplicates.
type PRAValidator struct {
	opts PRAValidatorOptions
	seen map[string]int
}

// NewPRAValidator returns a validator with the given options.
func NewPRAValidator(opts PRAValidatorOptions) *PRAValidator {
	return &PRAValidator{opts: opts, seen: map[string]int{}}
}

// Check returns the anomalies of one value. A record with a blocking
// anomaly has no usable interval or energy.
func (v *PRAValidator) Check(rec *PRARecord) anomaly.List {
	var out anomaly.List
	add := func(code string, sev anomaly.Severity, field, value, msg string) {
		out = append(out, Anomaly{Code: code, Rule: "value", Severity: sev, Level: anomaly.RecordLevel,
			File: v.opts.File, Line: rec.Line, Key: rec.Key(), Field: field, Value: value, Message: msg})
	}
	if rec.Area == "" {
		add(CodePRAArea, anomaly.Blocking, "area", "", "area is empty")
	}
	if vat := rec.DistributorVAT; vat != "" && !validVATNumber(normalizeVAT(vat)) {
		add(CodePRADistributor, anomaly.Warning, "distributor", vat, "distributor VAT number is not 11 digits with a valid check digit")
	}
	if rec.Date.IsZero() {
		add(CodePRADate, anomaly.Blocking, "date", rec.DateText, "day is empty or does not match the profile's date layout")
	}
	v.period(rec, add)
	switch {
	case !rec.EnergyKWh.Valid:
		add(CodePRAEnergy, anomaly.Blocking, "energy", rec.EnergyText, "energy is empty or not a number")
	case rec.EnergyKWh.Decimal.IsNegative() && !v.opts.AllowNegative:
		add(CodePRANegative, anomaly.Warning, "energy", rec.EnergyText, "energy is negative")
	}
	if rec.Extra {
		add(CodePRAWidth, anomaly.Warning, "", "", "line has more fields than the header")
	}
	if !rec.Start.IsZero() && rec.Area != "" {
		key := rec.Key()
		if first, dup := v.seen[key]; dup {
			add(CodePRADuplicate, anomaly.Blocking, "", "", fmt.Sprintf("same area, distributor and interval already read at line %d", first))
		} else {
			v.seen[key] = rec.Line
		}
	}
	return out
}

func (v *PRAValidator) period(rec *PRARecord, add func(code string, sev anomaly.Severity, field, value, msg string)) {
	field := rec.Resolution.String()
	switch {
	case rec.PeriodText == "":
		add(CodePRAPeriod, anomaly.Blocking, field, "", field+" is empty")
	case rec.Period < 1:
		add(CodePRAPeriod, anomaly.Blocking, field, rec.PeriodText, field+" is not a positive whole number")
	case !rec.Date.IsZero() && rec.Start.IsZero():
		n := civil.HoursIn(rec.Date)
		if rec.Resolution == QuarterHourly {
			n = civil.QuarterHoursIn(rec.Date)
		}
		add(CodePRAPeriod, anomaly.Blocking, field, rec.PeriodText, fmt.Sprintf("%s is beyond the %d of %s", field, n, rec.Date))
	}
}

// ParseAnomaly turns an error of PRAReader.Next into a blocking anomaly.
func (v *PRAValidator) ParseAnomaly(err error) Anomaly {
	a := Anomaly{Code: CodePRAParse, Rule: "structure", Severity: anomaly.Blocking, Level: anomaly.FileLevel,
		File: v.opts.File, Message: err.Error()}
	var pe *ParseError
	if errors.As(err, &pe) {
		a.Level = anomaly.RecordLevel
		a.Line = pe.Line
	}
	return a
}
