package sii

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/bludispatcher/dispatcher/internal/anomaly"
	"github.com/bludispatcher/dispatcher/internal/civil"
)

// Anomaly is the finding type shared by every validator of the project.
type Anomaly = anomaly.Anomaly

// Anomaly codes of the RCU validator.
const (
	// CodeRCUColumn: the header lacks a known column, repeats one, or has
	// one this package does not know (warning only).
	CodeRCUColumn = "RCU-COLUMN"
	// CodeRCUPOD: COD_POD is empty or not shaped IT, three digits, E,
	// eight digits and an optional 15th character.
	CodeRCUPOD = "RCU-POD"
	// CodeRCUDuplicate: the same POD (first 14 characters) appears twice.
	CodeRCUDuplicate = "RCU-DUPLICATE"
	// CodeRCUVAT: a VAT column is not an 11-digit number with a valid check
	// digit.
	CodeRCUVAT = "RCU-VAT"
	// CodeRCUDate: a date is not dd/mm/yyyy.
	CodeRCUDate = "RCU-DATE"
	// CodeRCUNumber: a number column is not a number.
	CodeRCUNumber = "RCU-NUMBER"
	// CodeRCURange: an end date precedes its start date.
	CodeRCURange = "RCU-RANGE"
	// CodeRCUMissing: a value needed for settlement (CONSUMO_TOT,
	// TRATTAMENTO, DATA_INIZIO_FORNITURA) is empty or absent.
	CodeRCUMissing = "RCU-MISSING"
	// CodeRCUWidth: a line has more or fewer fields than the header.
	CodeRCUWidth = "RCU-WIDTH"
	// CodeRCUEncoding: a value is not valid UTF-8, so the file encoding was
	// probably guessed wrong.
	CodeRCUEncoding = "RCU-ENCODING"
	// CodeRCUParse: a line cannot be split into fields.
	CodeRCUParse = "RCU-PARSE"
)

// RCUValidatorOptions configure an RCUValidator.
type RCUValidatorOptions struct {
	// File is the file name reported in anomalies.
	File string
}

// RCUValidator checks an RCU extract record by record. It remembers the
// POD keys it has seen to report duplicates, so its memory grows by about
// 30 bytes per point.
type RCUValidator struct {
	opts RCUValidatorOptions
	seen map[string]int // POD key → first line
}

// NewRCUValidator returns a validator with the given options.
func NewRCUValidator(opts RCUValidatorOptions) *RCUValidator {
	return &RCUValidator{opts: opts, seen: map[string]int{}}
}

// Header returns warnings about the header of r: missing, repeated and
// unknown columns. None blocks loading, because the column set changes
// between versions of the extract.
func (v *RCUValidator) Header(r *RCUReader) anomaly.List {
	var out anomaly.List
	add := func(col, msg string) {
		out = append(out, Anomaly{Code: CodeRCUColumn, Rule: "header", Severity: anomaly.Warning,
			Level: anomaly.FileLevel, File: v.opts.File, Line: 1, Field: col, Message: msg})
	}
	for _, col := range r.Missing() {
		add(col, "column missing from the header; its values are treated as absent")
	}
	for _, col := range r.Duplicates() {
		add(col, "column repeated in the header; only the first one is read")
	}
	for _, col := range r.Unknown() {
		add(col, "column not known; its values are kept as text")
	}
	return out
}

// ParseAnomaly turns an error of RCUReader.Next into a blocking anomaly.
func (v *RCUValidator) ParseAnomaly(err error) Anomaly {
	a := Anomaly{Code: CodeRCUParse, Rule: "structure", Severity: anomaly.Blocking, Level: anomaly.RecordLevel,
		File: v.opts.File, Message: err.Error()}
	var pe *ParseError
	if errors.As(err, &pe) {
		a.Line = pe.Line
	} else {
		a.Level = anomaly.FileLevel
	}
	return a
}

// Check returns the anomalies of one record. Only an empty POD, a
// duplicate POD and a line broken by an unbalanced quote block the record:
// a point dropped from the extract would later show as billed without
// being owned, so doubtful values are warnings.
func (v *RCUValidator) Check(rec *RCURecord) anomaly.List {
	c := rcuCheck{v: v, rec: rec}
	c.pod()
	c.width()
	c.encoding()
	c.vat(ColDistributorVAT, false)
	c.vat(ColUdDVAT, true)
	c.vat(ColCounterpartyVAT, true)
	for _, f := range dateFields {
		c.date(f.col)
	}
	for _, f := range numberFields {
		c.number(f.col)
	}
	c.required(ColSupplyStart)
	c.required(ColAnnualConsumption)
	c.required(ColTreatment)
	c.order(ColSupplyStart, rec.SupplyStart, ColSupplyEnd, rec.SupplyEnd)
	c.order(ColPhysicalBonusStart, rec.PhysicalBonus.Start, ColPhysicalBonusEnd, rec.PhysicalBonus.End)
	c.order(ColEconomicBonusStart, rec.EconomicBonus.Start, ColEconomicBonusEnd, rec.EconomicBonus.End)
	c.crpp()
	return c.out
}

// rcuCheck collects the anomalies of one record.
type rcuCheck struct {
	v   *RCUValidator
	rec *RCURecord
	out anomaly.List
}

func (c *rcuCheck) add(code string, sev anomaly.Severity, field, value, msg string) {
	c.out = append(c.out, Anomaly{Code: code, Rule: "value", Severity: sev, Level: anomaly.RecordLevel,
		File: c.v.opts.File, Line: c.rec.Line, Key: c.rec.Key(), Field: field, Value: value, Message: msg})
}

func (c *rcuCheck) pod() {
	pod := c.rec.POD
	if pod == "" {
		c.add(CodeRCUPOD, anomaly.Blocking, ColPOD, "", "POD is empty")
		return
	}
	if !validPODShape(strings.ToUpper(pod)) {
		c.add(CodeRCUPOD, anomaly.Warning, ColPOD, pod, "POD is not IT, three digits, E and eight digits (plus an optional 15th character)")
	}
	key := c.rec.Key()
	if first, dup := c.v.seen[key]; dup {
		c.add(CodeRCUDuplicate, anomaly.Blocking, ColPOD, pod, fmt.Sprintf("POD already listed at line %d", first))
		return
	}
	c.v.seen[key] = c.rec.Line
}

func (c *rcuCheck) width() {
	if got, want := len(c.rec.values), len(c.rec.Columns()); got != want {
		c.add(CodeRCUWidth, anomaly.Warning, "", "", fmt.Sprintf("line has %d fields, the header %d", got, want))
	}
}

// encoding reports the first value that is not valid UTF-8 and every value
// that spans lines, which happens when a quote is unbalanced.
func (c *rcuCheck) encoding() {
	reported := false
	for i, val := range c.rec.values {
		col := c.columnAt(i)
		if !reported && !utf8.ValidString(val) {
			c.add(CodeRCUEncoding, anomaly.Warning, col, val, "value is not valid UTF-8; read the file as Latin-1")
			reported = true
		}
		if strings.ContainsAny(val, "\r\n") {
			c.add(CodeRCUParse, anomaly.Blocking, col, val, "value spans several lines; a quote is probably unbalanced")
		}
	}
}

// columnAt returns the header name of position i, or "" past the header.
func (c *rcuCheck) columnAt(i int) string {
	cols := c.rec.Columns()
	if i < len(cols) {
		return cols[i]
	}
	return ""
}

// vat checks an Italian VAT number column. When personal is true a
// 16-character codice fiscale is accepted too, because a dispatching user
// or counterparty may be a person.
func (c *rcuCheck) vat(col string, personal bool) {
	val, ok := c.rec.Get(col)
	val = strings.TrimSpace(val)
	if !ok || val == "" {
		return
	}
	switch {
	case validVATNumber(val):
	case personal && len(val) == 16:
	case digitsOnly(val) && len(val) < 11 && validVATNumber(strings.Repeat("0", 11-len(val))+val):
		c.add(CodeRCUVAT, anomaly.Warning, col, val, "VAT number lost its leading zeros; it is valid once left-padded to 11 digits")
	default:
		c.add(CodeRCUVAT, anomaly.Warning, col, val, "VAT number is not 11 digits with a valid check digit")
	}
}

func (c *rcuCheck) date(col string) {
	val, ok := c.rec.Get(col)
	val = strings.TrimSpace(val)
	if !ok || val == "" {
		return
	}
	if _, err := civil.ParseDate(val); err != nil {
		c.add(CodeRCUDate, anomaly.Warning, col, val, "date is not dd/mm/yyyy; it is read as absent")
	}
}

func (c *rcuCheck) number(col string) {
	val, ok := c.rec.Get(col)
	if !ok || strings.TrimSpace(val) == "" {
		return
	}
	if _, err := parseNumber(val); err != nil {
		c.add(CodeRCUNumber, anomaly.Warning, col, val, "value is not a number")
	}
}

func (c *rcuCheck) required(col string) {
	val, ok := c.rec.Get(col)
	if !ok {
		return // a missing column is reported once by Header
	}
	if strings.TrimSpace(val) == "" {
		c.add(CodeRCUMissing, anomaly.Warning, col, "", "value needed for settlement is empty")
	}
}

func (c *rcuCheck) order(startCol string, start civil.Date, endCol string, end civil.Date) {
	if start.IsZero() || end.IsZero() || !end.Before(start) {
		return
	}
	c.add(CodeRCURange, anomaly.Warning, endCol, end.Italian(), fmt.Sprintf("%s precedes %s %s", endCol, startCol, start.Italian()))
}

func (c *rcuCheck) crpp() {
	h := c.rec.header
	if h == nil {
		return
	}
	for _, pos := range h.crppPos {
		if pos >= len(c.rec.values) {
			continue
		}
		val := strings.TrimSpace(c.rec.values[pos])
		if val == "" {
			continue
		}
		if _, err := parseNumber(val); err != nil {
			c.add(CodeRCUNumber, anomaly.Warning, h.names[pos], val, "CRPP value is not a number")
		}
	}
}
