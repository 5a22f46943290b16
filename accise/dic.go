package accise

import (
	"bufio"
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/shopspring/decimal"
)

//go:embed data/dic_layout.json
var dicLayoutJSON []byte

// ErrDic is the sentinel of every DicError.
var ErrDic = errors.New("invalid .dic record")

// DicError is a record of a legacy .dic file that could not be read or
// written, with its position.
type DicError struct {
	// Line is the 1-based line of the file (0 when writing).
	Line int
	// Type is the record type.
	Type string
	// Field names the offending field.
	Field string
	// Value is the offending text.
	Value string
	// Err is the cause.
	Err error
}

// Error formats the position, the field and the cause, leaving out the
// parts that are not known: the line when writing, the record type of a line
// too short to carry one.
func (e *DicError) Error() string {
	var b strings.Builder
	if e.Line > 0 {
		fmt.Fprintf(&b, "line %d: ", e.Line)
	}
	var where []string
	if e.Type != "" {
		where = append(where, "record "+e.Type)
	}
	if e.Field != "" {
		where = append(where, fmt.Sprintf("field %s %q", e.Field, e.Value))
	}
	if len(where) > 0 {
		b.WriteString(strings.Join(where, " ") + ": ")
	}
	fmt.Fprint(&b, e.Err)
	return b.String()
}

// Unwrap returns ErrDic.
func (e *DicError) Unwrap() error { return ErrDic }

// DicField is one fixed-position field of a .dic record.
type DicField struct {
	// Name is the key of the field in DicRecord.Values.
	Name string `json:"name"`
	// Start and End are 0-based byte offsets, End exclusive.
	Start int `json:"start"`
	End   int `json:"end"`
	// Kind is "A" (text, left-aligned, space-padded) or "N" (unsigned
	// number, right-aligned, zero-padded, with implied Decimals).
	Kind     string `json:"kind"`
	Decimals int32  `json:"decimals"`
}

// DicRecordDef is the layout of one record type.
type DicRecordDef struct {
	// Type is the two-digit record type of the common part.
	Type string `json:"type"`
	// Commodity is "electricity", "gas" or "both".
	Commodity string `json:"commodity"`
	// Title is the frame the record carries.
	Title string `json:"title"`
	// Fields are the fields after the common part.
	Fields []DicField `json:"fields"`
	// Unsupported lists field values that select a variant of the record
	// whose layout is not known; such records are rejected.
	Unsupported []DicVariant `json:"unsupported,omitempty"`
}

// DicVariant is a value of a field that selects a record variant.
type DicVariant struct {
	Field  string `json:"field"`
	Value  string `json:"value"`
	Reason string `json:"reason"`
}

// unsupported returns the reason a record's values select an unknown
// variant, or "".
func (def DicRecordDef) unsupported(values map[string]string) (DicVariant, bool) {
	for _, v := range def.Unsupported {
		if values[v.Field] == v.Value {
			return v, true
		}
	}
	return DicVariant{}, false
}

// DicMarker is the file marker of one commodity (the first six bytes).
type DicMarker struct {
	// Value is the marker; empty when no source gives it.
	Value string `json:"value"`
	// Status is the confidence of the marker: single-source or unknown.
	Status string `json:"status"`
}

// DicLayout is the table of .dic record layouts.
type DicLayout struct {
	// Source names where the offsets come from.
	Source string `json:"source"`
	// Status is the confidence of the offsets, such as single-source.
	Status string `json:"status"`
	// Note records the open points of the layout.
	Note string `json:"note"`
	// Markers are the file markers by commodity name.
	Markers map[string]DicMarker `json:"markers"`
	// Common is the common part of every record.
	Common []DicField `json:"common"`
	// Records are the layouts by record type.
	Records []DicRecordDef `json:"records"`
	// Missing lists the record types whose layout no public source gives.
	Missing []string `json:"missing"`
}

var (
	defaultDicLayoutOnce sync.Once
	defaultDicLayout     *DicLayout
)

// DefaultDicLayout returns the embedded .dic layout. It panics only if the
// embedded file is invalid, which the tests rule out.
func DefaultDicLayout() *DicLayout {
	defaultDicLayoutOnce.Do(func() {
		l, err := LoadDicLayout(bytes.NewReader(dicLayoutJSON))
		if err != nil {
			panic(err)
		}
		defaultDicLayout = l
	})
	return defaultDicLayout
}

// LoadDicLayout reads a layout table in the format of data/dic_layout.json
// and checks that no two fields of a record overlap.
func LoadDicLayout(r io.Reader) (*DicLayout, error) {
	var l DicLayout
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&l); err != nil {
		return nil, fmt.Errorf("accise: invalid .dic layout: %w", err)
	}
	for _, rec := range l.Records {
		fields := append(append([]DicField(nil), l.Common...), rec.Fields...)
		used := map[int]string{}
		for _, f := range fields {
			if f.Start < 0 || f.End <= f.Start || (f.Kind != "A" && f.Kind != "N") {
				return nil, fmt.Errorf("accise: invalid .dic layout: record %s field %s [%d,%d) kind %q", rec.Type, f.Name, f.Start, f.End, f.Kind)
			}
			for i := f.Start; i < f.End; i++ {
				if other, ok := used[i]; ok {
					return nil, fmt.Errorf("accise: invalid .dic layout: record %s fields %s and %s overlap at byte %d", rec.Type, other, f.Name, i)
				}
				used[i] = f.Name
			}
		}
	}
	return &l, nil
}

// record returns the layout of a record type for a commodity.
func (l *DicLayout) record(c Commodity, typ string) (DicRecordDef, bool) {
	for _, r := range l.Records {
		if r.Type == typ && (r.Commodity == "both" || r.Commodity == c.String()) {
			return r, true
		}
	}
	return DicRecordDef{}, false
}

// DicRecord is one record of a .dic file: the common part and the values of
// the record's fields. Text values are trimmed. Numbers are written as
// decimals with a point and the field's decimals, such as "0.0227000".
type DicRecord struct {
	// Commodity is given by the file marker.
	Commodity Commodity
	// Company is the codice ditta of the common part.
	Company string
	// Year is the tax year.
	Year int
	// Type is the two-digit record type.
	Type string
	// Values are the record's fields by DicField.Name.
	Values map[string]string
}

// Decimal returns a numeric value of the record, zero when absent.
func (r DicRecord) Decimal(name string) decimal.Decimal {
	d, err := decimal.NewFromString(r.Values[name])
	if err != nil {
		return decimal.Zero
	}
	return d
}

// DicWriter writes .dic records as ASCII lines ending in CR LF.
type DicWriter struct {
	w      *bufio.Writer
	layout *DicLayout
	// markers overrides the layout's markers by commodity.
	markers map[Commodity]string
}

// NewDicWriter returns a writer using layout, or the embedded layout when
// nil. A gas file needs SetMarker, because no public source gives the gas
// marker.
func NewDicWriter(w io.Writer, layout *DicLayout) *DicWriter {
	if layout == nil {
		layout = DefaultDicLayout()
	}
	return &DicWriter{w: bufio.NewWriter(w), layout: layout, markers: map[Commodity]string{}}
}

// SetMarker sets the six-character file marker of a commodity.
func (dw *DicWriter) SetMarker(c Commodity, marker string) { dw.markers[c] = marker }

func markerOf(l *DicLayout, overrides map[Commodity]string, c Commodity) string {
	if m, ok := overrides[c]; ok {
		return m
	}
	return l.Markers[c.String()].Value
}

// Write writes one record.
func (dw *DicWriter) Write(r DicRecord) error {
	def, ok := dw.layout.record(r.Commodity, r.Type)
	if !ok {
		return &DicError{Type: r.Type, Err: fmt.Errorf("no layout for %s record type %s", r.Commodity, r.Type)}
	}
	if v, bad := def.unsupported(r.Values); bad {
		return &DicError{Type: r.Type, Field: v.Field, Value: v.Value, Err: errors.New(v.Reason)}
	}
	marker := markerOf(dw.layout, dw.markers, r.Commodity)
	if marker == "" {
		return &DicError{Type: r.Type, Field: "marker", Err: fmt.Errorf("the %s file marker is unknown; set it with SetMarker", r.Commodity)}
	}
	common := map[string]string{"marker": marker, "company": r.Company, "year": fmt.Sprint(r.Year), "type": r.Type}

	var line []byte
	put := func(f DicField, v string) error {
		text, err := formatDicField(f, v)
		if err != nil {
			return &DicError{Type: r.Type, Field: f.Name, Value: v, Err: err}
		}
		for len(line) < f.End {
			line = append(line, ' ')
		}
		copy(line[f.Start:f.End], text)
		return nil
	}

	for _, f := range dw.layout.Common {
		if err := put(f, common[f.Name]); err != nil {
			return err
		}
	}
	for _, f := range def.Fields {
		if err := put(f, r.Values[f.Name]); err != nil {
			return err
		}
	}
	line = append(line, '\r', '\n')
	_, err := dw.w.Write(line)
	return err
}

// Flush writes any buffered data.
func (dw *DicWriter) Flush() error { return dw.w.Flush() }

func formatDicField(f DicField, v string) (string, error) {
	width := f.End - f.Start
	if f.Kind == "A" {
		for i := 0; i < len(v); i++ {
			if v[i] < 0x20 || v[i] > 0x7e {
				return "", errors.New("not printable ASCII")
			}
		}
		if len(v) > width {
			return "", fmt.Errorf("longer than %d characters", width)
		}
		return v + strings.Repeat(" ", width-len(v)), nil
	}
	d := decimal.Zero
	if v != "" {
		var err error
		if d, err = decimal.NewFromString(v); err != nil {
			return "", errors.New("not a number")
		}
	}
	if d.IsNegative() {
		return "", errors.New("negative; the sign convention of the legacy file is not known")
	}
	if !d.Equal(d.Truncate(f.Decimals)) {
		return "", fmt.Errorf("more than %d decimals", f.Decimals)
	}
	digits := d.Shift(f.Decimals).StringFixed(0)
	if len(digits) > width {
		return "", fmt.Errorf("more than %d digits", width)
	}
	return strings.Repeat("0", width-len(digits)) + digits, nil
}

// DicReader reads a .dic file one record at a time.
type DicReader struct {
	s       *bufio.Scanner
	layout  *DicLayout
	markers map[Commodity]string
	line    int
}

// NewDicReader returns a reader using layout, or the embedded layout when
// nil. Lines may end in CR LF or LF.
func NewDicReader(r io.Reader, layout *DicLayout) *DicReader {
	if layout == nil {
		layout = DefaultDicLayout()
	}
	s := bufio.NewScanner(r)
	s.Buffer(make([]byte, 0, 1024), 64<<10)
	return &DicReader{s: s, layout: layout, markers: map[Commodity]string{}}
}

// SetMarker sets the file marker that identifies a commodity.
func (dr *DicReader) SetMarker(c Commodity, marker string) { dr.markers[c] = marker }

// Read returns the next record, or io.EOF after the last. A *DicError names
// a record that could not be read, and Read may be called again after it.
func (dr *DicReader) Read() (DicRecord, error) {
	for dr.s.Scan() {
		dr.line++
		raw := bytes.TrimSuffix(dr.s.Bytes(), []byte("\r"))
		if len(bytes.TrimSpace(raw)) == 0 {
			continue
		}
		return dr.parse(raw)
	}
	if err := dr.s.Err(); err != nil {
		return DicRecord{}, fmt.Errorf("accise: reading .dic line %d: %w", dr.line+1, err)
	}
	return DicRecord{}, io.EOF
}

func (dr *DicReader) parse(raw []byte) (DicRecord, error) {
	fail := func(typ, field, value string, err error) (DicRecord, error) {
		return DicRecord{}, &DicError{Line: dr.line, Type: typ, Field: field, Value: value, Err: err}
	}
	for _, b := range raw {
		if b < 0x20 || b > 0x7e {
			return fail("", "", "", fmt.Errorf("byte 0x%02x is not printable ASCII", b))
		}
	}

	common, err := dr.fields(raw, dr.layout.Common)
	if err != nil {
		return fail("", err.field, err.value, err.err)
	}
	rec := DicRecord{Company: common["company"], Type: common["type"], Values: map[string]string{}}
	rec.Year = int(decimal.RequireFromString(common["year"]).IntPart())
	switch common["marker"] {
	case markerOf(dr.layout, dr.markers, Electricity):
		rec.Commodity = Electricity
	case markerOf(dr.layout, dr.markers, Gas):
		rec.Commodity = Gas
	default:
		return fail(rec.Type, "marker", common["marker"], errors.New("unknown file marker; set the gas marker with SetMarker"))
	}

	def, ok := dr.layout.record(rec.Commodity, rec.Type)
	if !ok {
		return fail(rec.Type, "type", rec.Type, fmt.Errorf("no layout for %s record type %s", rec.Commodity, rec.Type))
	}
	values, ferr := dr.fields(raw, def.Fields)
	if ferr != nil {
		return fail(rec.Type, ferr.field, ferr.value, ferr.err)
	}
	if v, bad := def.unsupported(values); bad {
		return fail(rec.Type, v.Field, v.Value, errors.New(v.Reason))
	}
	rec.Values = values
	return rec, nil
}

type fieldError struct {
	field, value string
	err          error
}

func (dr *DicReader) fields(raw []byte, defs []DicField) (map[string]string, *fieldError) {
	out := map[string]string{}
	for _, f := range defs {
		if f.End > len(raw) {
			return nil, &fieldError{f.Name, "", fmt.Errorf("line is %d bytes, shorter than the field's end %d", len(raw), f.End)}
		}
		text := string(raw[f.Start:f.End])
		if f.Kind == "A" {
			out[f.Name] = strings.TrimRight(text, " ")
			continue
		}
		if strings.Trim(text, "0123456789") != "" {
			return nil, &fieldError{f.Name, text, errors.New("not an unsigned number")}
		}
		out[f.Name] = decimal.RequireFromString(text).Shift(-f.Decimals).StringFixed(f.Decimals)
	}
	return out, nil
}
