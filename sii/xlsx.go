package sii

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// sheet is one worksheet of a report: a header row and the rows that
// rows passes to add, in order.
type sheet struct {
	name   string
	header []any
	rows   func(add func(row []any) error) error
}

// writeWorkbook writes the sheets as one XLSX workbook to w, streaming the
// rows so that large reports do not build the whole sheet in memory.
func writeWorkbook(w io.Writer, sheets []sheet) error {
	f := excelize.NewFile()
	defer f.Close()
	for i, sh := range sheets {
		if err := writeSheet(f, i, sh); err != nil {
			return fmt.Errorf("sii: write sheet %q: %w", sh.name, err)
		}
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("sii: write workbook: %w", err)
	}
	return nil
}

func writeSheet(f *excelize.File, i int, sh sheet) error {
	if i == 0 {
		if err := f.SetSheetName(f.GetSheetName(0), sh.name); err != nil {
			return err
		}
	} else if _, err := f.NewSheet(sh.name); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sh.name)
	if err != nil {
		return err
	}
	row := 1
	add := func(values []any) error {
		cell, err := excelize.CoordinatesToCellName(1, row)
		if err != nil {
			return err
		}
		row++
		return sw.SetRow(cell, values)
	}
	if err := add(sh.header); err != nil {
		return err
	}
	if sh.rows != nil {
		if err := sh.rows(add); err != nil {
			return err
		}
	}
	return sw.Flush()
}
