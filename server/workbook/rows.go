package workbook

import (
	"errors"
	"fmt"

	"github.com/xuri/excelize/v2"

	"github.com/bludispatcher/dispatcher/server/store"
)

// MaxRows is the largest number of rows of one worksheet: 1,048,576, the
// limit of Excel and of excelize (excelize.TotalRows in v2.10.1).
const MaxRows = excelize.TotalRows

// ErrTooManyRows reports a workbook with a sheet longer than MaxRows.
// Errors wrapping it also wrap store.ErrInvalid, because a narrower
// selection (one load instead of a month) is the fix.
var ErrTooManyRows = errors.New("workbook: a sheet exceeds the XLSX row limit")

// checkGrowing rejects the workbook while gathering, once the rows read
// so far already exceed the limit of the Registers sheet, or the Daily
// curve sheet has rejected a row.
func (d *data) checkGrowing() error {
	if rows := registerRows(d); rows > d.rowLimit {
		return tooManyRows(SheetRegisters, rows, d.rowLimit)
	}
	return d.curve.err
}

// checkRows rejects the workbook when the Registers or Corrections sheet
// would exceed the limit, before either is written. The Daily curve
// sheet checks each row as it is written.
func (d *data) checkRows() error {
	sheets := []struct {
		name string
		rows int
	}{
		{SheetRegisters, registerRows(d)},
		{SheetCorrections, correctionRows(d)},
	}
	for _, s := range sheets {
		if s.rows > d.rowLimit {
			return tooManyRows(s.name, s.rows, d.rowLimit)
		}
	}
	return nil
}

func tooManyRows(sheet string, rows, limit int) error {
	return fmt.Errorf("%w: sheet %q needs at least %d rows, more than the maximum of %d (select one load instead of a month): %w",
		ErrTooManyRows, sheet, rows, limit, store.ErrInvalid)
}

// registerRows counts the header, one row per reading and the total row.
func registerRows(d *data) int { return len(d.readings) + 2 }

// correctionRows counts the header and, per correction, one row per
// register and one per curve kind, as writeCorrections writes them.
func correctionRows(d *data) int {
	rows := 1
	for _, c := range d.corrections {
		rows += len(registerNames(c.replaced, c.values))
		for _, kind := range curveKindNames {
			_, hadOld := c.curveBefore[kind]
			_, hasNew := c.curve[kind]
			if hadOld || hasNew {
				rows++
			}
		}
	}
	return rows
}
