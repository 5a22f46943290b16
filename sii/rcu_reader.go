package sii

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/shopspring/decimal"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/transform"

	"github.com/bludispatcher/dispatcher/internal/civil"
)

// Encoding is the character encoding of a delimited file.
type Encoding uint8

const (
	// EncodingAuto reads UTF-8 when the first 64 KiB are valid UTF-8 (or
	// start with a UTF-8 byte order mark), and Latin-1 otherwise.
	EncodingAuto Encoding = iota
	// EncodingUTF8 reads UTF-8.
	EncodingUTF8
	// EncodingLatin1 reads Latin-1 as Windows-1252, its superset used by
	// Windows exports: the two differ only in bytes 0x80–0x9F, which are
	// control characters in ISO 8859-1 and letters and signs (such as €) in
	// Windows-1252.
	EncodingLatin1
)

// sniffSize is how much of the file EncodingAuto inspects.
const sniffSize = 64 << 10

// Errors of the delimited readers.
var (
	// ErrNoHeader reports an empty file or a file without a header row.
	ErrNoHeader = errors.New("missing header row")
	// ErrMissingPODColumn reports an RCU header without COD_POD.
	ErrMissingPODColumn = errors.New("missing COD_POD column")
)

// ParseError is a line that the delimited reader cannot split into fields.
// The reader goes on with the next line.
type ParseError struct {
	Line int   // 1-based line
	Err  error // the error of encoding/csv
}

// Error returns the line and the cause.
func (e *ParseError) Error() string { return fmt.Sprintf("sii: line %d: %v", e.Line, e.Err) }

// Unwrap returns the cause.
func (e *ParseError) Unwrap() error { return e.Err }

// RCUOptions configure an RCUReader.
type RCUOptions struct {
	// Comma is the field separator, ';' when zero.
	Comma rune
	// Encoding is the character encoding, EncodingAuto when zero.
	Encoding Encoding
}

// RCUReader streams the records of an RCU extract. Memory stays bounded by
// one record whatever the file size.
type RCUReader struct {
	csv    *delimitedReader
	header *rcuHeader
	err    error // sticky fatal error
}

// rcuHeader is the column layout of one file.
type rcuHeader struct {
	names      []string
	index      map[string]int // first position of each name
	duplicates []string
	texts      []textSlot
	dates      []dateSlot
	numbers    []numberSlot
	crpp       map[int]crppCell
	crppPos    []int // positions of the CRPP columns, in file order
}

type textSlot struct {
	pos int
	ptr func(*RCURecord) *string
}

type dateSlot struct {
	pos int
	ptr func(*RCURecord) *civil.Date
}

type numberSlot struct {
	pos int
	ptr func(*RCURecord) *decimal.NullDecimal
}

// NewRCUReader reads the header row of the extract in r and returns a
// reader of its records. It fails with ErrNoHeader on an empty file and
// with ErrMissingPODColumn when the header has no COD_POD.
func NewRCUReader(r io.Reader, opts RCUOptions) (*RCUReader, error) {
	cr, err := newDelimited(r, opts.Comma, opts.Encoding)
	if err != nil {
		return nil, err
	}
	names, err := cr.Read()
	if err == io.EOF {
		return nil, ErrNoHeader
	}
	if err != nil {
		return nil, &ParseError{Line: 1, Err: err}
	}
	h := newRCUHeader(names)
	if _, ok := h.index[ColPOD]; !ok {
		return nil, ErrMissingPODColumn
	}
	return &RCUReader{csv: cr, header: h}, nil
}

// newDelimited prepares a reader of records that decodes the text, drops a
// leading byte order mark and tolerates stray quotes and rows of any width.
func newDelimited(r io.Reader, comma rune, enc Encoding) (*delimitedReader, error) {
	if comma == 0 {
		comma = ';'
	}
	br := bufio.NewReaderSize(r, sniffSize)
	head, err := br.Peek(sniffSize)
	if err != nil && err != io.EOF && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, err
	}
	bom := bytes.HasPrefix(head, []byte("\xEF\xBB\xBF"))
	if bom {
		_, _ = br.Discard(3)
		head = head[3:]
	}
	var text io.Reader = br
	if enc == EncodingLatin1 || (enc == EncodingAuto && !bom && !validUTF8Prefix(head)) {
		text = transform.NewReader(br, charmap.Windows1252.NewDecoder())
	}
	return newDelimitedReader(text, comma), nil
}

// validUTF8Prefix reports whether b is valid UTF-8, allowing a rune cut
// at the end of the buffer.
func validUTF8Prefix(b []byte) bool {
	for i := 0; i < utf8.UTFMax && len(b) > 0; i++ {
		if utf8.Valid(b) {
			return true
		}
		b = b[:len(b)-1]
	}
	return utf8.Valid(b)
}

func newRCUHeader(raw []string) *rcuHeader {
	h := &rcuHeader{index: make(map[string]int, len(raw))}
	for i, name := range raw {
		name = strings.ToUpper(strings.TrimSpace(name))
		h.names = append(h.names, name)
		if _, dup := h.index[name]; dup {
			h.duplicates = append(h.duplicates, name)
			continue
		}
		h.index[name] = i
		if cell, ok := parseCRPPColumn(name); ok {
			if h.crpp == nil {
				h.crpp = map[int]crppCell{}
			}
			h.crpp[i] = cell
			h.crppPos = append(h.crppPos, i)
		}
	}
	for _, f := range textFields {
		if pos, ok := h.index[f.col]; ok {
			h.texts = append(h.texts, textSlot{pos, f.ptr})
		}
	}
	for _, f := range dateFields {
		if pos, ok := h.index[f.col]; ok {
			h.dates = append(h.dates, dateSlot{pos, f.ptr})
		}
	}
	for _, f := range numberFields {
		if pos, ok := h.index[f.col]; ok {
			h.numbers = append(h.numbers, numberSlot{pos, f.ptr})
		}
	}
	return h
}

// Columns returns the header names, trimmed and upper-cased, in file order.
func (r *RCUReader) Columns() []string { return r.header.names }

// Unknown returns the header names that RCURecord has no typed field for,
// CRPP columns excepted. Their values are read with RCURecord.Get.
func (r *RCUReader) Unknown() []string {
	var out []string
	for i, name := range r.header.names {
		if _, crpp := r.header.crpp[i]; !knownColumns[name] && !crpp {
			out = append(out, name)
		}
	}
	return out
}

// Missing returns the known columns that the header lacks, in the order of
// the extract's latest published column list.
func (r *RCUReader) Missing() []string {
	var out []string
	for _, name := range columnOrder {
		if _, ok := r.header.index[name]; !ok {
			out = append(out, name)
		}
	}
	return out
}

// Duplicates returns the header names that appear more than once; only the
// first occurrence is read.
func (r *RCUReader) Duplicates() []string { return r.header.duplicates }

// HasCRPP reports whether the header carries CRPP columns.
func (r *RCUReader) HasCRPP() bool { return len(r.header.crpp) > 0 }

// Next returns the next record, or io.EOF at the end of the file. Blank
// lines are skipped. A *ParseError concerns one line: the caller may
// record it and call Next again. Any other error, such as a failed read,
// is fatal and is returned again by later calls.
func (r *RCUReader) Next() (*RCURecord, error) {
	if r.err != nil {
		return nil, r.err
	}
	fields, err := r.csv.Read()
	if err != nil {
		var pe *ParseError
		if errors.As(err, &pe) {
			return nil, err
		}
		r.err = err
		return nil, err
	}
	rec := &RCURecord{Line: r.csv.Line(), header: r.header, values: fields}
	r.fill(rec)
	return rec, nil
}

// fill sets the typed fields of rec from its values.
func (r *RCUReader) fill(rec *RCURecord) {
	h := r.header
	v := rec.values
	for _, s := range h.texts {
		if s.pos < len(v) {
			*s.ptr(rec) = strings.TrimSpace(v[s.pos])
		}
	}
	for _, s := range h.dates {
		if s.pos < len(v) {
			if d, err := civil.ParseDate(strings.TrimSpace(v[s.pos])); err == nil {
				*s.ptr(rec) = d
			}
		}
	}
	for _, s := range h.numbers {
		if s.pos < len(v) {
			if n, err := parseNumber(v[s.pos]); err == nil {
				*s.ptr(rec) = decimal.NewNullDecimal(n)
			}
		}
	}
	for _, pos := range h.crppPos {
		if pos >= len(v) {
			continue
		}
		n, err := parseNumber(v[pos])
		if err != nil {
			continue
		}
		if rec.CRPP == nil {
			rec.CRPP = &CRPP{}
		}
		cell := h.crpp[pos]
		rec.CRPP.Values[cell.month][cell.band] = decimal.NewNullDecimal(n)
	}
}
