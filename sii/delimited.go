package sii

import (
	"bufio"
	"errors"
	"io"
	"strings"
	"unicode/utf8"
)

// Limits of the delimited reader, so that one bad line can neither exhaust
// memory nor swallow the lines after it. An RCU line of about 50 short
// values takes a few hundred bytes, so the limits are generous.
// NOTE: no real RCU or PRA file has been seen; the limits are estimates.
const (
	// maxLineLength bounds one line, and one record whose quoted value
	// spans lines. Longer lines are skipped without being buffered.
	maxLineLength = 1 << 20
	// maxRecordLines bounds the lines of one record whose quoted value
	// spans lines.
	maxRecordLines = 16
)

// Errors wrapped by ParseError.
var (
	// ErrLineTooLong reports a line longer than 1 MiB. The reader skips it.
	ErrLineTooLong = errors.New("line longer than 1 MiB, skipped")
	// ErrUnbalancedQuote reports a quoted value that is not closed before
	// the end of the line, the file, or 16 lines. The reader skips that
	// line and reads the lines after it as records.
	ErrUnbalancedQuote = errors.New("unbalanced quote, line skipped; check the quotes of its values")
)

// errBadQuote reports a closing quote followed by text other than the
// separator.
var errBadQuote = errors.New("quote followed by text")

// delimitedReader splits delimited text into records, as encoding/csv does
// with LazyQuotes, but reports a bad line on its own instead of joining the
// rest of the file into one value.
type delimitedReader struct {
	br      *bufio.Reader
	comma   rune
	lines   int        // physical lines read from br
	pending []physLine // lines read ahead, given back after a failed record
	line    int        // first line of the last record
}

// physLine is one line of the input without its line break.
type physLine struct {
	text    string
	number  int
	tooLong bool
}

func newDelimitedReader(r io.Reader, comma rune) *delimitedReader {
	return &delimitedReader{br: bufio.NewReaderSize(r, 64<<10), comma: comma}
}

// Line returns the 1-based line where the last record returned by Read
// starts.
func (d *delimitedReader) Line() int { return d.line }

// Read returns the fields of the next record, skipping blank lines, or
// io.EOF at the end. A *ParseError concerns one line, and the next call
// goes on with the line after it.
func (d *delimitedReader) Read() ([]string, error) {
	for {
		first, err := d.physical()
		if err != nil {
			return nil, err
		}
		if first.tooLong {
			return nil, &ParseError{Line: first.number, Err: ErrLineTooLong}
		}
		if first.text == "" {
			continue
		}
		fields, open, err := splitFields(first.text, d.comma, false)
		if errors.Is(err, errBadQuote) {
			fields, open, err = splitFields(first.text, d.comma, true)
			if open {
				return nil, &ParseError{Line: first.number, Err: ErrUnbalancedQuote}
			}
		}
		if err != nil {
			return nil, &ParseError{Line: first.number, Err: err}
		}
		if open {
			fields, err = d.continueRecord(first)
			if err != nil {
				return nil, err
			}
		}
		d.line = first.number
		return fields, nil
	}
}

// continueRecord joins the lines after first while a quoted value stays
// open. When the value does not close within the limits, it gives the
// joined lines back and reports first alone.
func (d *delimitedReader) continueRecord(first physLine) ([]string, error) {
	var joined []physLine
	text := first.text
	for len(joined) < maxRecordLines && len(text) <= maxLineLength {
		next, err := d.physical()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		joined = append(joined, next)
		if next.tooLong {
			break
		}
		text += "\n" + next.text
		fields, open, err := splitFields(text, d.comma, false)
		if err != nil {
			break
		}
		if !open {
			return fields, nil
		}
	}
	d.pending = append(joined, d.pending...)
	return nil, &ParseError{Line: first.number, Err: ErrUnbalancedQuote}
}

// physical returns the next line, given back or read.
func (d *delimitedReader) physical() (physLine, error) {
	if len(d.pending) > 0 {
		l := d.pending[0]
		d.pending = d.pending[1:]
		return l, nil
	}
	return d.readLine()
}

// readLine reads one line and drops its "\n" or "\r\n". It keeps at most
// maxLineLength bytes and discards the rest of a longer line.
func (d *delimitedReader) readLine() (physLine, error) {
	var buf []byte
	l := physLine{}
	for {
		chunk, err := d.br.ReadSlice('\n')
		if !l.tooLong {
			if len(buf)+len(chunk) > maxLineLength+2 {
				l.tooLong = true
				buf = nil
			} else {
				buf = append(buf, chunk...)
			}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if err != nil && (err != io.EOF || (len(buf) == 0 && !l.tooLong && len(chunk) == 0)) {
			return physLine{}, err
		}
		d.lines++
		l.number = d.lines
		text := strings.TrimSuffix(string(buf), "\n")
		// A byte order mark at the start of a line comes from files joined
		// by a plain copy, each with its own mark.
		text = strings.TrimPrefix(text, "\ufeff")
		l.text = strings.TrimSuffix(text, "\r")
		if !l.tooLong && len(l.text) > maxLineLength {
			l.tooLong = true
			l.text = ""
		}
		return l, nil
	}
}

// splitFields splits one record at comma. A value that starts with a quote
// runs to the next quote followed by comma or the end, and "" inside it is
// one quote. open reports that text ends inside such a value. With lazy
// set, a quote followed by other text is kept as a character; otherwise it
// is errBadQuote.
func splitFields(text string, comma rune, lazy bool) (fields []string, open bool, err error) {
	commaLen := utf8.RuneLen(comma)
	i := 0
	for {
		if i < len(text) && text[i] == '"' {
			value, next, open, err := quotedValue(text, i+1, comma, lazy)
			if open || err != nil {
				return fields, open, err
			}
			fields = append(fields, value)
			if next >= len(text) {
				return fields, false, nil
			}
			i = next + commaLen
			continue
		}
		j := strings.IndexRune(text[i:], comma)
		if j < 0 {
			return append(fields, text[i:]), false, nil
		}
		fields = append(fields, text[i:i+j])
		i += j + commaLen
	}
}

// quotedValue reads a quoted value whose text starts at i. next is the
// position of the separator after the closing quote, or len(text).
func quotedValue(text string, i int, comma rune, lazy bool) (value string, next int, open bool, err error) {
	var b strings.Builder
	for {
		j := strings.IndexByte(text[i:], '"')
		if j < 0 {
			return "", 0, true, nil
		}
		b.WriteString(text[i : i+j])
		i += j + 1
		switch {
		case i < len(text) && text[i] == '"':
			b.WriteByte('"')
			i++
		case i == len(text) || strings.HasPrefix(text[i:], string(comma)):
			return b.String(), i, false, nil
		case lazy:
			b.WriteByte('"')
		default:
			return "", 0, false, errBadQuote
		}
	}
}
