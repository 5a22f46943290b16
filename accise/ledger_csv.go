package accise

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/internal/itnum"
)

// MovementColumns are the columns of the movement CSV file, in order.
var MovementColumns = []string{"company", "tax", "area", "date", "period", "kind", "amount", "source", "reference", "note"}

// ErrMovementCSV is wrapped by every MovementParseError.
var ErrMovementCSV = errors.New("accise: invalid movement CSV")

// MovementParseError is a movement CSV row that cannot be read.
type MovementParseError struct {
	// Line is the 1-based line of the row.
	Line int
	// Column is the column name; empty for errors about the whole row.
	Column string
	// Value is the cell's value.
	Value string
	// Err is the cause.
	Err error
}

func (e *MovementParseError) Error() string {
	if e.Column == "" {
		return fmt.Sprintf("movement CSV line %d: %v", e.Line, e.Err)
	}
	return fmt.Sprintf("movement CSV line %d, column %s, value %q: %v", e.Line, e.Column, e.Value, e.Err)
}

// Unwrap returns ErrMovementCSV, so errors.Is finds it, and the cause.
func (e *MovementParseError) Unwrap() []error { return []error{ErrMovementCSV, e.Err} }

// MovementReader reads ledger movements from a CSV file with the header
// MovementColumns, separated by ";". Dates are yyyy-mm-dd or dd/mm/yyyy,
// periods yyyy-mm or mm/yyyy (empty for yearly amounts), amounts positive
// with "." or "," as decimal separator. A bad row gives a
// *MovementParseError and the next Read goes on with the following row.
type MovementReader struct {
	r      *csv.Reader
	header bool
	index  map[string]int
}

// NewMovementReader returns a reader of movement CSV rows. A line longer
// than MaxLineBytes stops the reading with ErrLineTooLong.
func NewMovementReader(r io.Reader) *MovementReader {
	cr := csv.NewReader(&lineLimitReader{r: r, max: MaxLineBytes})
	cr.Comma = ';'
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	return &MovementReader{r: cr}
}

// Read returns the next movement, or io.EOF after the last one.
func (mr *MovementReader) Read() (Movement, error) {
	if !mr.header {
		if err := mr.readHeader(); err != nil {
			return Movement{}, err
		}
	}
	rec, err := mr.r.Read()
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return Movement{}, &MovementParseError{Line: pe.Line, Err: pe.Err}
		}
		return Movement{}, err
	}
	line, _ := mr.r.FieldPos(0)
	return mr.parse(rec, line)
}

func (mr *MovementReader) readHeader() error {
	rec, err := mr.r.Read()
	if err == io.EOF {
		return &MovementParseError{Line: 1, Err: errors.New("empty file; want a header row")}
	}
	if err != nil {
		return &MovementParseError{Line: 1, Err: err}
	}
	mr.index = map[string]int{}
	for i, name := range rec {
		mr.index[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(name, "\ufeff")))] = i
	}
	for _, name := range []string{"company", "tax", "area", "date", "kind", "amount"} {
		if _, ok := mr.index[name]; !ok {
			return &MovementParseError{Line: 1, Column: name, Err: errors.New("missing column; want the header " + strings.Join(MovementColumns, ";"))}
		}
	}
	mr.header = true
	return nil
}

func (mr *MovementReader) cell(rec []string, name string) string {
	i, ok := mr.index[name]
	if !ok || i >= len(rec) {
		return ""
	}
	return strings.TrimSpace(rec[i])
}

func (mr *MovementReader) parse(rec []string, line int) (Movement, error) {
	fail := func(col string, err error) (Movement, error) {
		return Movement{}, &MovementParseError{Line: line, Column: col, Value: mr.cell(rec, col), Err: err}
	}
	var m Movement
	var err error
	m.Account.Company = mr.cell(rec, "company")
	m.Account.Area = strings.ToUpper(mr.cell(rec, "area"))
	if m.Account.Tax, err = ParseTax(mr.cell(rec, "tax")); err != nil {
		return fail("tax", err)
	}
	if m.Date, err = parseAnyDate(mr.cell(rec, "date")); err != nil {
		return fail("date", err)
	}
	if p := mr.cell(rec, "period"); p != "" {
		if m.Period, err = parseAnyMonth(p); err != nil {
			return fail("period", err)
		}
	}
	if m.Kind, err = ParseMovementKind(mr.cell(rec, "kind")); err != nil {
		return fail("kind", err)
	}
	if m.Amount, err = itnum.ParseLoose(mr.cell(rec, "amount")); err != nil {
		return fail("amount", err)
	}
	m.Source = Source{Kind: SourceKind(mr.cell(rec, "source")), Ref: mr.cell(rec, "reference")}
	m.Note = mr.cell(rec, "note")
	if err := m.check(); err != nil {
		return Movement{}, &MovementParseError{Line: line, Err: err}
	}
	return m, nil
}

func parseAnyDate(s string) (civil.Date, error) {
	if strings.Contains(s, "/") {
		return civil.ParseDate(s)
	}
	return civil.ParseISODate(s)
}

func parseAnyMonth(s string) (civil.Month, error) {
	if strings.Contains(s, "/") {
		return civil.ParseMonthYear(s)
	}
	if len(s) == 7 && s[4] == '-' {
		return civil.ParseCompact(s[:4] + s[5:])
	}
	return civil.Month{}, fmt.Errorf("invalid month %q: want yyyy-mm or mm/yyyy", s)
}

// ReadMovements reads every movement of a CSV file. Bad rows are returned
// as errors and skipped; a file without a usable header stops the read.
func ReadMovements(r io.Reader) ([]Movement, []error, error) {
	mr := NewMovementReader(r)
	var out []Movement
	var bad []error
	for {
		m, err := mr.Read()
		if err == io.EOF {
			return out, bad, nil
		}
		var pe *MovementParseError
		switch {
		case err == nil:
			out = append(out, m)
		case !mr.header:
			return nil, nil, err
		case errors.As(err, &pe):
			bad = append(bad, err)
		default:
			return out, bad, err
		}
	}
}

// MovementWriter writes movements in the format MovementReader reads.
type MovementWriter struct {
	w      *csv.Writer
	header bool
}

// NewMovementWriter returns a writer of movement CSV rows.
func NewMovementWriter(w io.Writer) *MovementWriter {
	cw := csv.NewWriter(w)
	cw.Comma = ';'
	return &MovementWriter{w: cw}
}

// Write writes one movement, after the header on the first call.
func (mw *MovementWriter) Write(m Movement) error {
	if !mw.header {
		if err := mw.w.Write(MovementColumns); err != nil {
			return err
		}
		mw.header = true
	}
	period := ""
	if !m.Period.IsZero() {
		period = m.Period.String()
	}
	return mw.w.Write([]string{m.Account.Company, string(m.Account.Tax), m.Account.Area, m.Date.String(), period,
		string(m.Kind), m.Amount.StringFixed(2), string(m.Source.Kind), m.Source.Ref, m.Note})
}

// Flush writes buffered rows and returns the first write error.
func (mw *MovementWriter) Flush() error {
	mw.w.Flush()
	return mw.w.Error()
}
