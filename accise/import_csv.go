package accise

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"github.com/bludispatcher/dispatcher/internal/anomaly"
)

// ImportOptions configures an import.
type ImportOptions struct {
	// Profile maps the header to the fields.
	Profile Profile
	// Values translates cell codes; the zero value uses the embedded maps.
	Values *ValueMaps
	// File names the source in errors and anomalies.
	File string
	// Commodity is assumed for rows that neither name it nor imply it by
	// their supply code or use; zero leaves such rows invalid.
	Commodity Commodity
	// Progress, when set, is called every ProgressEvery rows and at the end.
	Progress func(Progress)
	// ProgressEvery is the row interval of Progress calls; 0 means 1000.
	ProgressEvery int
	// MaxUnzippedSize caps the unzipped size of an XLSX workbook in bytes,
	// against zip bombs; 0 means DefaultMaxUnzippedSize.
	MaxUnzippedSize int64
}

// Progress is the state of a long import.
type Progress struct {
	// Rows is the number of data rows read so far.
	Rows int
	// Bytes is the number of bytes consumed so far (CSV only; 0 for XLSX).
	Bytes int64
	// Done is true on the last call.
	Done bool
}

func (o ImportOptions) values() ValueMaps {
	if o.Values != nil {
		return *o.Values
	}
	return DefaultProfiles().Values
}

// LineReader yields billing lines one at a time. Read returns a *RowError for
// a row it cannot read and may be called again after it; it returns io.EOF
// after the last row.
type LineReader interface {
	Read() (Line, error)
}

// CSVReader reads billing lines from a CSV export, one row at a time.
type CSVReader struct {
	r        *csv.Reader
	counter  *countingReader
	parser   *rowParser
	row      int
	progress progressTicker
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// NewCSVReader reads the header of a CSV export and returns a reader of its
// rows. A UTF-8 byte-order mark is skipped. A file that starts with a UTF-16
// byte-order mark, as Excel's "Unicode text" export does, is decoded from
// UTF-16, and one whose first 64 KiB are not valid UTF-8 from Windows-1252.
func NewCSVReader(r io.Reader, opts ImportOptions) (*CSVReader, error) {
	counter := &countingReader{r: r}
	br := bufio.NewReaderSize(counter, 64<<10)
	if bom, err := br.Peek(3); err == nil && bytes.Equal(bom, []byte{0xEF, 0xBB, 0xBF}) {
		_, _ = br.Discard(3)
	}
	var text io.Reader = br
	if decoded := decodeText(br); decoded != nil {
		text = decoded
	}
	br = bufio.NewReaderSize(&lineLimitReader{r: text, max: MaxLineBytes}, 64<<10)
	comma, err := delimiterOf(br, opts.Profile.Delimiter)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", opts.File, err)
	}
	cr := csv.NewReader(br)
	cr.Comma = comma
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s: empty file: want a header row", opts.File)
		}
		return nil, fmt.Errorf("%s: invalid header: %w", opts.File, err)
	}
	p, err := newRowParser(opts.File, opts.Profile, opts.values(), header, opts.Commodity)
	if err != nil {
		return nil, err
	}
	return &CSVReader{r: cr, counter: counter, parser: p, row: 1, progress: newProgressTicker(opts)}, nil
}

// MaxLineBytes is the longest line of a CSV export. The csv package holds a
// whole record in memory, so a longer line stops the import with
// ErrLineTooLong before it can exhaust memory.
const MaxLineBytes = 1 << 20

// ErrLineTooLong is returned when a CSV line is longer than MaxLineBytes.
var ErrLineTooLong = fmt.Errorf("line longer than %d bytes", MaxLineBytes)

// lineLimitReader fails with ErrLineTooLong once max bytes pass without a
// line feed.
type lineLimitReader struct {
	r    io.Reader
	max  int
	line int
}

func (l *lineLimitReader) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	rest, done := p[:n], 0
	for {
		i := bytes.IndexByte(rest, '\n')
		segment := len(rest)
		if i >= 0 {
			segment = i
		}
		if l.line+segment > l.max {
			return done + l.max - l.line, ErrLineTooLong
		}
		if i < 0 {
			l.line += segment
			return n, err
		}
		l.line = 0
		done += i + 1
		rest = rest[i+1:]
	}
}

// decodeText returns a UTF-8 reader of br's text when br is not UTF-8, and nil
// when it is.
//
// NOTE: only the first 64 KiB decide. Windows-1252 bytes after them stay
// as they are and make the cells holding them invalid.
func decodeText(br *bufio.Reader) io.Reader {
	head, err := br.Peek(br.Size())
	if bytes.HasPrefix(head, []byte{0xFF, 0xFE}) || bytes.HasPrefix(head, []byte{0xFE, 0xFF}) {
		return transform.NewReader(br, unicode.BOMOverride(unicode.UTF8.NewDecoder()))
	}
	if err == nil {
		// The buffer is full, so its last rune may be cut in two.
		for i := 0; i < utf8.UTFMax-1 && len(head) > 0 && !utf8.FullRune(head[lastRuneStart(head):]); i++ {
			head = head[:lastRuneStart(head)]
		}
	}
	if utf8.Valid(head) {
		return nil
	}
	return transform.NewReader(br, charmap.Windows1252.NewDecoder())
}

// lastRuneStart returns the index of the byte that starts the last rune of b.
func lastRuneStart(b []byte) int {
	i := len(b) - 1
	for i > 0 && !utf8.RuneStart(b[i]) && len(b)-i < utf8.UTFMax {
		i--
	}
	return i
}

// delimiterOf returns the profile's delimiter, or for "auto" the most
// frequent of ';', ',' and tab in the first line.
func delimiterOf(br *bufio.Reader, d string) (rune, error) {
	if d != "auto" && d != "" {
		r, _ := utf8.DecodeRuneInString(d)
		return r, nil
	}
	head, _ := br.Peek(br.Size())
	if i := bytes.IndexByte(head, '\n'); i >= 0 {
		head = head[:i]
	}
	best, bestN := ';', 0
	for _, c := range []rune{';', ',', '\t'} {
		if n := bytes.Count(head, []byte(string(c))); n > bestN {
			best, bestN = c, n
		}
	}
	if bestN == 0 && len(head) == 0 {
		return 0, errors.New("empty file: want a header row")
	}
	return best, nil
}

// Read returns the next line; see LineReader.
func (c *CSVReader) Read() (Line, error) {
	for {
		cells, err := c.r.Read()
		c.row++
		if errors.Is(err, io.EOF) {
			c.progress.finish(c.row-2, c.counter.n)
			return Line{}, io.EOF
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			c.row = pe.Line
			return Line{}, &RowError{File: c.parser.file, Row: pe.Line, Err: pe.Err}
		}
		if err != nil {
			return Line{}, fmt.Errorf("%s: reading row %d: %w", c.parser.file, c.row, err)
		}
		if blank(cells) {
			continue
		}
		c.progress.tick(c.row-1, c.counter.n)
		return c.parser.parse(c.row, cells)
	}
}

func blank(cells []string) bool {
	for _, c := range cells {
		if len(bytes.TrimSpace([]byte(c))) > 0 {
			return false
		}
	}
	return true
}

type progressTicker struct {
	fn    func(Progress)
	every int
}

func newProgressTicker(o ImportOptions) progressTicker {
	every := o.ProgressEvery
	if every <= 0 {
		every = 1000
	}
	return progressTicker{fn: o.Progress, every: every}
}

func (p progressTicker) tick(rows int, n int64) {
	if p.fn != nil && rows%p.every == 0 {
		p.fn(Progress{Rows: rows, Bytes: n})
	}
}

func (p progressTicker) finish(rows int, n int64) {
	if p.fn != nil {
		p.fn(Progress{Rows: rows, Bytes: n, Done: true})
	}
}

// ReadAll reads every line of lr. Rows that cannot be read become blocking
// anomalies and the reading goes on. Only an error that stops the reader,
// such as an I/O failure, is returned.
func ReadAll(lr LineReader) ([]Line, anomaly.List, error) {
	var lines []Line
	var found anomaly.List
	for {
		l, err := lr.Read()
		if errors.Is(err, io.EOF) {
			return lines, found, nil
		}
		var re *RowError
		if errors.As(err, &re) {
			found = append(found, re.Anomaly(l.Supply))
			continue
		}
		if err != nil {
			return lines, found, err
		}
		lines = append(lines, l)
	}
}
