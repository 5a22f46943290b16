package gme

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/bludispatcher/dispatcher/internal/civil"
)

// Sentinel errors wrapped by RowError.
var (
	// ErrMissingField reports a row without its day (Data) or interval
	// (Ora, Periodo).
	ErrMissingField = errors.New("missing field")
	// ErrInvalidField reports a day or interval that is not a number or
	// date.
	ErrInvalidField = errors.New("invalid field")
	// ErrPeriodOutOfRange reports an interval that the day does not have,
	// such as Ora 24 on the 23-hour spring day.
	ErrPeriodOutOfRange = errors.New("period out of range for the day")
	// ErrNestedElement reports a row value that contains elements instead
	// of text.
	ErrNestedElement = errors.New("nested element in a row value")
	// ErrRunTooLong reports more than 1 MiB of text or of one tag without
	// markup, while GME values and tags take a few dozen bytes. Reading
	// stops there.
	ErrRunTooLong = errors.New("more than 1 MiB without markup")
)

// RowError describes a row that cannot be placed in time. The reader skips
// the row and goes on with the next one.
type RowError struct {
	Line    int    // 1-based line of the row element
	Element string // row element name, such as "Prezzi"
	Field   string // offending child element, such as "Ora"
	Value   string // offending text exactly as read
	Err     error  // one of the sentinel errors of this package
}

// Error returns the position, the field and the reason.
func (e *RowError) Error() string {
	return fmt.Sprintf("gme: line %d: %s %s %q: %v", e.Line, e.Element, e.Field, e.Value, e.Err)
}

// Unwrap returns the sentinel error.
func (e *RowError) Unwrap() error { return e.Err }

// SyntaxError describes a file that is not well-formed XML. Reading stops
// at the first one.
type SyntaxError struct {
	Line int   // 1-based line where the decoder stopped
	Err  error // the error of encoding/xml
}

// Error returns the line and the decoder's message.
func (e *SyntaxError) Error() string {
	return fmt.Sprintf("gme: line %d: malformed XML: %v", e.Line, e.Err)
}

// Unwrap returns the error of encoding/xml.
func (e *SyntaxError) Unwrap() error { return e.Err }

// maxFieldsPerRow bounds the values of one row, so a hostile file cannot
// grow one record without limit. Real rows carry about 30.
const maxFieldsPerRow = 1000

// Reader streams the rows of one GME XML file. Memory stays bounded by one
// row whatever the file size.
type Reader struct {
	dec  *xml.Decoder
	err  error // sticky fatal error
	root bool  // the root element has been read
}

// NewReader returns a Reader of the GME file in r.
func NewReader(r io.Reader) *Reader {
	dec := xml.NewDecoder(&runLimiter{r: r})
	dec.CharsetReader = charsetReader
	return &Reader{dec: dec}
}

// charsetReader accepts the encodings GME declares (none, or UTF-8) and
// rejects the others with a clear message.
func charsetReader(label string, input io.Reader) (io.Reader, error) {
	switch strings.ToLower(label) {
	case "utf-8", "utf8", "us-ascii":
		return input, nil
	}
	return nil, fmt.Errorf("unsupported encoding %q: GME files are UTF-8", label)
}

// Next returns the next row. At the end of the file it returns io.EOF. A
// *RowError concerns one row only: the caller may record it and call Next
// again. Any other error is fatal and is returned again by later calls.
func (r *Reader) Next() (*Record, error) {
	if r.err != nil {
		return nil, r.err
	}
	for {
		tok, err := r.dec.Token()
		if err != nil {
			return nil, r.fail(err)
		}
		start, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if !r.root {
			r.root = true
			continue
		}
		if start.Name.Local == "schema" {
			if err := r.dec.Skip(); err != nil {
				return nil, r.fail(err)
			}
			continue
		}
		rec, err := r.readRow(start)
		if err != nil {
			var rowErr *RowError
			if errors.As(err, &rowErr) {
				return nil, err
			}
			return nil, r.fail(err)
		}
		return rec, nil
	}
}

// fail records a fatal error, turning decoder errors into *SyntaxError.
func (r *Reader) fail(err error) error {
	if err == io.EOF {
		if !r.root {
			err = &SyntaxError{Line: r.line(), Err: errors.New("empty document")}
		}
		r.err = err
		return err
	}
	var syn *SyntaxError
	if !errors.As(err, &syn) {
		err = &SyntaxError{Line: r.line(), Err: err}
	}
	r.err = err
	return err
}

func (r *Reader) line() int {
	line, _ := r.dec.InputPos()
	return line
}

// readRow reads the children of one row element up to its end tag.
func (r *Reader) readRow(start xml.StartElement) (*Record, error) {
	rec := &Record{Element: start.Name.Local, Kind: kindOf(start.Name.Local), Line: r.line()}
	var header struct{ data, ora, periodo *Field }
	var nested *RowError
	for {
		tok, err := r.dec.Token()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.EndElement:
			if nested != nil {
				return nil, nested
			}
			return rec, r.place(rec, header.data, header.ora, header.periodo)
		case xml.StartElement:
			f, deep, err := r.readField(t)
			if err != nil {
				return nil, err
			}
			if deep && nested == nil {
				nested = &RowError{Line: f.Line, Element: rec.Element, Field: f.Name, Err: ErrNestedElement}
			}
			switch f.Name {
			case "Data":
				header.data = &f
			case "Mercato":
				rec.Market = f.Text
			case "Ora":
				header.ora = &f
			case "Periodo":
				header.periodo = &f
			case "Granularity":
				rec.Granularity = f.Text
			default:
				if len(rec.Fields) >= maxFieldsPerRow {
					return nil, &SyntaxError{Line: f.Line, Err: fmt.Errorf("row %s has more than %d values", rec.Element, maxFieldsPerRow)}
				}
				parseValue(&f)
				rec.Fields = append(rec.Fields, f)
			}
		}
	}
}

// readField reads the text of one child element. deep reports that the
// element contained elements of its own, which were skipped.
func (r *Reader) readField(start xml.StartElement) (f Field, deep bool, err error) {
	f = Field{Name: start.Name.Local, Line: r.line()}
	var text strings.Builder
	for {
		tok, err := r.dec.Token()
		if err != nil {
			return f, deep, err
		}
		switch t := tok.(type) {
		case xml.CharData:
			text.Write(t)
		case xml.StartElement:
			deep = true
			if err := r.dec.Skip(); err != nil {
				return f, deep, err
			}
		case xml.EndElement:
			f.Text = text.String()
			f.Empty = f.Text == ""
			return f, deep, nil
		}
	}
}

// place parses the day and the interval of rec and sets Start and End.
func (r *Reader) place(rec *Record, data, ora, periodo *Field) error {
	if data == nil {
		return &RowError{Line: rec.Line, Element: rec.Element, Field: "Data", Err: ErrMissingField}
	}
	d, err := parseCompactDate(data.Text)
	if err != nil {
		return &RowError{Line: data.Line, Element: rec.Element, Field: "Data", Value: data.Text, Err: ErrInvalidField}
	}
	rec.Date = d

	interval := ora
	if rec.Kind == KindPrices15 || (ora == nil && periodo != nil) {
		interval = periodo
		if rec.Kind == KindOther {
			rec.Kind = KindPrices15
		}
	}
	name := "Ora"
	if rec.Kind == KindPrices15 {
		name = "Periodo"
	}
	if interval == nil {
		return &RowError{Line: rec.Line, Element: rec.Element, Field: name, Err: ErrMissingField}
	}

	p, err := strconv.Atoi(strings.TrimSpace(interval.Text))
	if err != nil {
		return &RowError{Line: interval.Line, Element: rec.Element, Field: name, Value: interval.Text, Err: ErrInvalidField}
	}
	if p < 1 || p > periodsIn(rec.Kind, d) {
		return &RowError{Line: interval.Line, Element: rec.Element, Field: name, Value: interval.Text, Err: ErrPeriodOutOfRange}
	}

	rec.Period = p
	rec.Start = intervalStart(rec.Kind, d, p)
	rec.End = rec.Start.Add(intervalOf(rec.Kind))
	return nil
}

// parseCompactDate parses the GME day "yyyyMMdd".
func parseCompactDate(s string) (civil.Date, error) {
	if len(s) != 8 {
		return civil.Date{}, ErrInvalidField
	}
	return civil.ParseISODate(s[0:4] + "-" + s[4:6] + "-" + s[6:8])
}

// maxNumberLength bounds the characters of a value read as a number. GME
// values carry at most 6 integer and 6 decimal digits; longer text is kept
// but never parsed, because parsing a big number takes time quadratic in
// its digits.
const maxNumberLength = 40

// parseValue sets Value and Valid when Text is a decimal-comma number: an
// optional minus sign, digits, and optionally a comma followed by digits.
// GME writes no thousands separator.
func parseValue(f *Field) {
	s := strings.TrimSpace(f.Text)
	if len(s) > maxNumberLength || !isDecimalComma(s) {
		return
	}
	v, err := decimal.NewFromString(strings.Replace(s, ",", ".", 1))
	if err != nil {
		return
	}
	f.Value = v
	f.Valid = true
}

func isDecimalComma(s string) bool {
	s = strings.TrimPrefix(s, "-")
	intPart, frac, hasComma := strings.Cut(s, ",")
	if intPart == "" || (hasComma && frac == "") {
		return false
	}
	return allDigits(intPart) && allDigits(frac)
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// maxRunLength bounds the bytes between two '<' or '>' characters. The XML
// decoder holds a whole text value or tag in memory, so without this bound
// a value of 100 MB would take several times that.
const maxRunLength = 1 << 20

// runLimiter fails with ErrRunTooLong when more than maxRunLength bytes
// pass without a '<' or '>'.
type runLimiter struct {
	r   io.Reader
	run int
}

func (l *runLimiter) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	for _, b := range p[:n] {
		if b == '<' || b == '>' {
			l.run = 0
			continue
		}
		l.run++
		if l.run > maxRunLength {
			return 0, ErrRunTooLong
		}
	}
	return n, err
}
