package workbook

import (
	"archive/zip"
	"io"
	"strconv"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
)

// book is a workbook being written. Registers, Daily curve and
// Corrections go through excelize's StreamWriter. In excelize v2.10.1 it
// buffers about 16 MiB of sheet XML per sheet (excelize.StreamChunkSize).
// It then moves the buffer to a temporary file in os.TempDir, or keeps it
// in memory if it cannot create one. Summary is short and written cell
// by cell, so its totals keep every digit.
type book struct {
	f           *excelize.File
	rowLimit    int
	number      int // style of decimal cells
	registers   *sheet
	curve       *curveSheet
	corrections *sheet
}

// newBook creates the four sheets in workbook order and opens the
// stream writers. Every sheet rejects a row past rowLimit. The caller
// closes the book's file, which removes the temporary files.
func newBook(rowLimit int) (*book, error) {
	b := &book{f: excelize.NewFile(), rowLimit: rowLimit}
	if err := b.open(); err != nil {
		b.f.Close()
		return nil, err
	}
	return b, nil
}

func (b *book) open() error {
	var err error
	b.number, err = b.f.NewStyle(&excelize.Style{CustomNumFmt: ptr("#,##0.000###")})
	if err != nil {
		return err
	}
	if err := b.f.SetSheetName("Sheet1", SheetSummary); err != nil {
		return err
	}
	for _, name := range []string{SheetRegisters, SheetCurve, SheetCorrections} {
		if _, err := b.f.NewSheet(name); err != nil {
			return err
		}
	}

	if b.registers, err = b.stream(SheetRegisters); err != nil {
		return err
	}
	curve, err := b.stream(SheetCurve)
	if err != nil {
		return err
	}
	b.curve = newCurveSheet(curve)
	b.corrections, err = b.stream(SheetCorrections)
	return err
}

func (b *book) stream(name string) (*sheet, error) {
	sw, err := b.f.NewStreamWriter(name)
	if err != nil {
		return nil, err
	}
	return &sheet{f: b.f, stream: sw, name: name, limit: b.rowLimit, number: b.number}, nil
}

// finish writes the Registers, Corrections and Summary sheets of d and
// the total rows of the Daily curve sheet, whose day rows gather has
// already written.
func (b *book) finish(d *data) error {
	all := totals{}
	all.merge(writeRegisters(b.registers, d))
	all.merge(b.curve.finish())
	writeCorrections(b.corrections, d)
	for _, s := range []*sheet{b.registers, b.curve.sheet, b.corrections} {
		if s.err != nil {
			return s.err
		}
		if err := s.stream.Flush(); err != nil {
			return err
		}
	}

	summary := &sheet{f: b.f, name: SheetSummary, limit: b.rowLimit, number: b.number}
	writeSummary(summary, d, all)
	return summary.err
}

// writeTo writes the XLSX file to w. excelize's WriteTo builds the file
// in a bytes.Buffer, which it passes to the zip writer function. The
// function set here ignores that buffer and compresses into w, so the
// finished file is never held in memory. In excelize v2.10.1 nothing else is
// written to the buffer unless the file is encrypted, which this one is
// not, or has a part larger than 4 GiB.
//
// NOTE: a sheet whose XML exceeds 4 GiB misses excelize's ZIP64 fix of
// the local file headers, and Excel may not open the file.
func (b *book) writeTo(w io.Writer) error {
	b.f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return zip.NewWriter(w) })
	_, err := b.f.WriteTo(w)
	return err
}

// sheet writes rows to one worksheet, through stream when it is set and
// cell by cell when it is nil. The first error is kept in err and every
// later row is skipped.
type sheet struct {
	f      *excelize.File
	stream *excelize.StreamWriter
	name   string
	row    int
	limit  int // largest row number
	number int // style of decimal cells
	err    error
}

// add writes one row. A decimal.Decimal is written as an exact number, a
// *decimal.Decimal as one or an empty cell, an empty string or nil as an
// empty cell, and anything else as it is. A row past the limit sets err
// to an ErrTooManyRows error.
func (s *sheet) add(values ...any) {
	if s.err != nil {
		return
	}
	s.row++
	if s.row > s.limit {
		s.err = tooManyRows(s.name, s.row, s.limit)
		return
	}
	if s.stream != nil {
		s.addStreamed(values)
		return
	}
	for i, v := range values {
		c := s.cell(i + 1)
		switch x := v.(type) {
		case decimal.Decimal:
			s.writeNumber(c, x)
		case *decimal.Decimal:
			if x != nil {
				s.writeNumber(c, *x)
			}
		default:
			if err := s.f.SetCellValue(s.name, c, v); err != nil && s.err == nil {
				s.err = err
			}
		}
	}
}

func (s *sheet) cell(col int) string {
	name, err := excelize.CoordinatesToCellName(col, s.row)
	if err != nil && s.err == nil {
		s.err = err
	}
	return name
}

// writeNumber writes d with its exact digits: SetCellDefault stores the text
// as the cell's numeric value without a float conversion.
func (s *sheet) writeNumber(c string, d decimal.Decimal) {
	if err := s.f.SetCellDefault(s.name, c, d.String()); err != nil && s.err == nil {
		s.err = err
	}
	if err := s.f.SetCellStyle(s.name, c, c, s.number); err != nil && s.err == nil {
		s.err = err
	}
}

// addStreamed writes one row through the stream writer. An empty string
// becomes an empty cell, as SetCellValue leaves it in the other sheets.
func (s *sheet) addStreamed(values []any) {
	cells := make([]any, len(values))
	for i, v := range values {
		switch x := v.(type) {
		case decimal.Decimal:
			cells[i] = s.streamNumber(x)
		case *decimal.Decimal:
			if x != nil {
				cells[i] = s.streamNumber(*x)
			}
		case string:
			if x != "" {
				cells[i] = x
			}
		default:
			cells[i] = v
		}
	}
	ref, err := excelize.CoordinatesToCellName(1, s.row)
	if err != nil {
		s.err = err
		return
	}
	s.err = s.stream.SetRow(ref, cells)
}

// streamNumber returns the cell of d. StreamWriter cannot write a number
// from its text, but it writes a float64 with strconv.FormatFloat(v, 'f',
// -1, 64). So d goes as a float64 when that call prints exactly
// d.String(), and the file then contains d's digits. This is so for every d
// of up to 15 significant digits.
//
// NOTE: a value of more digits than a float64 keeps, such as a total of
// 16 or more significant digits, is written as text with its exact
// digits, so a spreadsheet formula skips it.
func (s *sheet) streamNumber(d decimal.Decimal) excelize.Cell {
	text := d.String()
	if f, ok := exactFloat(d, text); ok {
		return excelize.Cell{StyleID: s.number, Value: f}
	}
	return excelize.Cell{StyleID: s.number, Value: text}
}

// exactFloat converts d to a float64 and reports whether that float64
// formats back to text, the exact decimal text of d.
func exactFloat(d decimal.Decimal, text string) (float64, bool) {
	f := d.InexactFloat64()
	return f, strconv.FormatFloat(f, 'f', -1, 64) == text
}
