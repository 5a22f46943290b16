package accise

import (
	"errors"
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// DefaultMaxUnzippedSize is the unzipped size cap of a workbook when
// ImportOptions.MaxUnzippedSize is zero. Parts other than the sheets and the
// shared strings are unzipped into memory, so the excelize default of about
// 16 GB would let a zip bomb exhaust memory.
//
// NOTE: 1 GiB is an estimate, about a million rows of twenty cells. Set
// MaxUnzippedSize for larger workbooks.
const DefaultMaxUnzippedSize = 1 << 30

// XLSXReader reads billing lines from one sheet of a workbook, one row at a
// time. The workbook's zip is held in memory by excelize, but the sheet's
// rows are decoded as they are read.
type XLSXReader struct {
	f        *excelize.File
	rows     *excelize.Rows
	parser   *rowParser
	row      int
	progress progressTicker
}

// NewXLSXReader opens a workbook and reads the header of sheet, or of the
// first sheet when sheet is empty. Close releases the workbook.
func NewXLSXReader(r io.Reader, sheet string, opts ImportOptions) (*XLSXReader, error) {
	limit := opts.MaxUnzippedSize
	if limit <= 0 {
		limit = DefaultMaxUnzippedSize
	}
	f, err := excelize.OpenReader(r, excelize.Options{UnzipSizeLimit: limit, UnzipXMLSizeLimit: min(limit, 16<<20)})
	if err != nil {
		return nil, fmt.Errorf("%s: invalid workbook: %w", opts.File, err)
	}
	x, err := openSheet(f, sheet, opts)
	if err != nil {
		_ = f.Close()
		return nil, err
	}
	return x, nil
}

func openSheet(f *excelize.File, sheet string, opts ImportOptions) (*XLSXReader, error) {
	if sheet == "" {
		sheets := f.GetSheetList()
		if len(sheets) == 0 {
			return nil, fmt.Errorf("%s: workbook has no sheets", opts.File)
		}
		sheet = sheets[0]
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, fmt.Errorf("%s: sheet %q not found: %w", opts.File, sheet, err)
	}
	x := &XLSXReader{f: f, rows: rows, progress: newProgressTicker(opts)}
	for rows.Next() {
		x.row++
		header, err := rows.Columns()
		if err != nil {
			return nil, fmt.Errorf("%s: invalid header row: %w", opts.File, err)
		}
		if blank(header) {
			continue
		}
		p, err := newRowParser(opts.File, opts.Profile, opts.values(), header, opts.Commodity)
		if err != nil {
			return nil, err
		}
		p.spreadsheet = true
		x.parser = p
		return x, nil
	}
	return nil, fmt.Errorf("%s: sheet %q is empty: want a header row", opts.File, sheet)
}

// Read returns the next line; see LineReader.
func (x *XLSXReader) Read() (Line, error) {
	for x.rows.Next() {
		x.row++
		// Raw values keep numbers free of the cell's display format, such
		// as the thousands comma of "#,##0.00", and dates as serial numbers.
		cells, err := x.rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return Line{}, &RowError{File: x.parser.file, Row: x.row, Err: err}
		}
		if blank(cells) {
			continue
		}
		x.progress.tick(x.row-1, 0)
		return x.parser.parse(x.row, cells)
	}
	if err := x.rows.Error(); err != nil {
		return Line{}, fmt.Errorf("%s: reading rows: %w", x.parser.file, err)
	}
	x.progress.finish(x.row-1, 0)
	return Line{}, io.EOF
}

// Close releases the workbook.
func (x *XLSXReader) Close() error {
	return errors.Join(x.rows.Close(), x.f.Close())
}
