package sii

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"github.com/bludispatcher/dispatcher/internal/civil"
)

// ErrMissingColumn reports a PRA header that lacks a column the profile
// requires.
var ErrMissingColumn = errors.New("missing column")

// Resolution is the interval length of a PRA value.
type Resolution uint8

const (
	// Hourly values are indexed by hour 1–25 (Ora).
	Hourly Resolution = iota + 1
	// QuarterHourly values are indexed by quarter-hour 1–100.
	QuarterHourly
)

// String returns "hour" or "quarter-hour".
func (r Resolution) String() string {
	if r == QuarterHourly {
		return "quarter-hour"
	}
	return "hour"
}

// PRARecord is one value of residual area withdrawal (prelievo residuo
// d'area): the energy of one area and distributor in one interval.
//
// Typed fields hold the zero value when their text is empty or
// malformed; the Text fields keep what was read, and PRAValidator reports
// the problems.
type PRARecord struct {
	Line           int                 // 1-based line or spreadsheet row
	Area           string              // area di riferimento
	DistributorVAT string              // distributor VAT number, when the profile has the column
	Date           civil.Date          // the day
	Resolution     Resolution          // Hourly or QuarterHourly
	Period         int                 // 1-based hour or quarter-hour of the day
	Start          time.Time           // start of the interval in UTC; zero when Date or Period is invalid
	End            time.Time           // end of the interval in UTC
	EnergyKWh      decimal.NullDecimal // energy in kWh, converted when the profile unit is MWh
	DateText       string              // date as read
	PeriodText     string              // hour or quarter-hour as read
	EnergyText     string              // energy as read
	Extra          bool                // the line has more fields than the header
}

// Key returns the stable key of the record: area, distributor, day,
// resolution and period, such as "AREA01/12345678903/2024-03-01/hour/5".
func (r *PRARecord) Key() string {
	return fmt.Sprintf("%s/%s/%s/%s/%d", r.Area, r.DistributorVAT, r.Date, r.Resolution, r.Period)
}

// rowSource yields the rows of a delimited file or a worksheet.
type rowSource interface {
	next() (row []string, line int, err error)
}

// PRAReader streams the values of a PRA file read through a profile.
type PRAReader struct {
	profile PRAProfile
	src     rowSource
	closer  io.Closer
	pos     praPositions
	err     error
}

// praPositions are the header positions of the profile's columns; -1 when
// absent.
type praPositions struct {
	area, distributor, date, hour, quarter, energy int
	width                                          int
}

// NewPRAReader reads the header of a delimited PRA file and returns a
// reader of its values.
func NewPRAReader(r io.Reader, profile PRAProfile) (*PRAReader, error) {
	enc, err := profile.encoding()
	if err != nil {
		return nil, err
	}
	comma, _ := utf8.DecodeRuneInString(profile.Comma)
	cr, err := newDelimited(r, comma, enc)
	if err != nil {
		return nil, err
	}
	return newPRAReader(&csvSource{r: cr}, nil, profile)
}

// maxWorkbookSize bounds the unpacked size of an XLSX PRA file, so that a
// compression bomb is rejected before it is unpacked. A full sheet of
// 1,048,576 rows of five values unpacks to about 250 MiB (an estimate).
const maxWorkbookSize = 512 << 20

// NewPRAReaderXLSX opens an XLSX PRA file and returns a reader of the
// values of the profile's sheet. Call Close when done. A workbook that
// unpacks to more than 512 MiB is rejected.
func NewPRAReaderXLSX(r io.Reader, profile PRAProfile) (*PRAReader, error) {
	f, err := excelize.OpenReader(r, excelize.Options{UnzipSizeLimit: maxWorkbookSize})
	if err != nil {
		return nil, fmt.Errorf("sii: open PRA workbook: %w", err)
	}
	sheet := profile.Sheet
	if sheet == "" {
		sheet = f.GetSheetName(0)
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("sii: PRA worksheet %q: %w", sheet, err)
	}
	pr, err := newPRAReader(&xlsxSource{rows: rows}, multiCloser{rows, f}, profile)
	if err != nil {
		rows.Close()
		f.Close()
	}
	return pr, err
}

func newPRAReader(src rowSource, closer io.Closer, profile PRAProfile) (*PRAReader, error) {
	if err := profile.normalize(); err != nil {
		return nil, fmt.Errorf("%w %q: %v", ErrInvalidProfile, profile.Name, err)
	}
	var header []string
	for {
		row, line, err := src.next()
		if err == io.EOF {
			return nil, ErrNoHeader
		}
		if err != nil {
			return nil, err
		}
		if line >= profile.HeaderRow {
			header = row
			break
		}
	}
	index := map[string]int{}
	for i, name := range header {
		name = strings.ToUpper(strings.TrimSpace(strings.TrimPrefix(name, "\uFEFF")))
		if _, dup := index[name]; !dup {
			index[name] = i
		}
	}
	find := func(col string) int {
		if i, ok := index[col]; ok && col != "" {
			return i
		}
		return -1
	}
	c := profile.Columns
	pos := praPositions{
		area: find(c.Area), distributor: find(c.Distributor), date: find(c.Date),
		hour: find(c.Hour), quarter: find(c.QuarterHour), energy: find(c.Energy), width: len(header),
	}
	for _, req := range []struct {
		name string
		pos  int
	}{{c.Area, pos.area}, {c.Date, pos.date}, {c.Energy, pos.energy}} {
		if req.pos < 0 {
			return nil, fmt.Errorf("sii: PRA header: %w %s", ErrMissingColumn, req.name)
		}
	}
	if pos.hour < 0 && pos.quarter < 0 {
		return nil, fmt.Errorf("sii: PRA header: %w %s or %s", ErrMissingColumn, c.Hour, c.QuarterHour)
	}
	return &PRAReader{profile: profile, src: src, closer: closer, pos: pos}, nil
}

// Next returns the next value, or io.EOF at the end of the file. Blank
// rows are skipped. A *ParseError concerns one line: the caller may record
// it and call Next again. Any other error is fatal and is returned again
// by later calls.
func (r *PRAReader) Next() (*PRARecord, error) {
	if r.err != nil {
		return nil, r.err
	}
	for {
		row, line, err := r.src.next()
		if err != nil {
			var pe *ParseError
			if errors.As(err, &pe) {
				return nil, err
			}
			r.err = err
			return nil, err
		}
		if blank(row) {
			continue
		}
		return r.record(row, line), nil
	}
}

// Close releases the workbook of an XLSX reader; it does nothing for a
// delimited one.
func (r *PRAReader) Close() error {
	if r.closer == nil {
		return nil
	}
	return r.closer.Close()
}

func (r *PRAReader) record(row []string, line int) *PRARecord {
	get := func(i int) string {
		if i < 0 || i >= len(row) {
			return ""
		}
		return strings.TrimSpace(row[i])
	}
	rec := &PRARecord{
		Line: line, Area: get(r.pos.area), DistributorVAT: get(r.pos.distributor),
		DateText: get(r.pos.date), EnergyText: get(r.pos.energy), Extra: len(row) > r.pos.width,
	}
	rec.Resolution, rec.PeriodText = Hourly, get(r.pos.hour)
	if quarter := get(r.pos.quarter); quarter != "" || r.pos.hour < 0 {
		rec.Resolution, rec.PeriodText = QuarterHourly, quarter
	}
	if d, err := r.profile.parseDate(rec.DateText); err == nil {
		rec.Date = d
	}
	if p, err := strconv.Atoi(rec.PeriodText); err == nil {
		rec.Period = p
	}
	if n, err := parseNumber(rec.EnergyText); err == nil {
		if r.profile.EnergyUnit == "MWh" {
			n = n.Shift(3)
		}
		rec.EnergyKWh = decimal.NewNullDecimal(n)
	}
	placePRA(rec)
	return rec
}

// placePRA sets Start and End when the day has the record's period. A
// daylight-saving day has 23 or 25 hours and 92 or 100 quarter-hours.
func placePRA(rec *PRARecord) {
	if rec.Date.IsZero() || rec.Period < 1 {
		return
	}
	step, n := time.Hour, civil.HoursIn(rec.Date)
	if rec.Resolution == QuarterHourly {
		step, n = 15*time.Minute, civil.QuarterHoursIn(rec.Date)
	}
	if rec.Period > n {
		return
	}
	rec.Start = rec.Date.Midnight(civil.Rome).Add(time.Duration(rec.Period-1) * step).UTC()
	rec.End = rec.Start.Add(step)
}

func blank(row []string) bool {
	for _, v := range row {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

type csvSource struct{ r *delimitedReader }

func (s *csvSource) next() ([]string, int, error) {
	row, err := s.r.Read()
	if err != nil {
		var pe *ParseError
		if errors.As(err, &pe) {
			return nil, pe.Line, err
		}
		return nil, 0, err
	}
	return row, s.r.Line(), nil
}

type xlsxSource struct {
	rows *excelize.Rows
	line int
}

func (s *xlsxSource) next() ([]string, int, error) {
	if !s.rows.Next() {
		if err := s.rows.Error(); err != nil {
			return nil, 0, err
		}
		return nil, 0, io.EOF
	}
	s.line++
	row, err := s.rows.Columns()
	if err != nil {
		return nil, s.line, &ParseError{Line: s.line, Err: err}
	}
	return row, s.line, nil
}

type multiCloser []io.Closer

func (m multiCloser) Close() error {
	var errs []error
	for _, c := range m {
		errs = append(errs, c.Close())
	}
	return errors.Join(errs...)
}
