// Package workbook builds the consumption workbook, an XLSX file about one
// consumption file (a load) or one company-month. It sets out the band
// registers of every POD, the daily totals of its quarter-hour curves and
// each correction against the values it replaces. Billing staff use it to
// check distributor invoices of corrections and extra services.
//
// Every total is the exact decimal sum of the values as stored, which are
// the values of the file, and the cells contain that exact decimal as a
// number. The one exception is a value outside Summary whose digits do
// not survive a float64, which can happen from 16 significant digits on.
// It is written as text with the same digits.
//
// Memory does not grow with the curve days, because the sheets other
// than Summary are streamed and each curve day is written as it is read.
package workbook

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/server/store"
)

// Source is the part of store.Store the workbook reads.
type Source interface {
	Load(ctx context.Context, company store.CompanyID, id store.LoadID) (store.Load, error)
	SearchRecords(ctx context.Context, f store.RecordFilter) ([]store.RecordRow, int, error)
	Readings(ctx context.Context, company store.CompanyID, pod string, r store.DateRange) ([]store.Reading, error)
	Consumptions(ctx context.Context, company store.CompanyID, pod string, r store.DateRange) ([]store.Reading, error)
	Curve(ctx context.Context, company store.CompanyID, pod string, r store.DateRange, latestOnly bool) ([]store.CurveDay, error)
	Corrections(ctx context.Context, company store.CompanyID, pod string, currentOnly bool) ([]store.Correction, error)
}

// Selection chooses the records of a workbook: those of one load, or
// those of one competence month. Exactly one of Load and Month is set.
type Selection struct {
	Company store.CompanyID
	Load    store.LoadID
	Month   civil.Month
}

// Sheet names, in workbook order.
const (
	SheetSummary     = "Summary"
	SheetRegisters   = "Registers"
	SheetCurve       = "Daily curve"
	SheetCorrections = "Corrections"
)

// Name returns the file name of the workbook of sel.
func (sel Selection) Name() string {
	if sel.Load != 0 {
		return fmt.Sprintf("consumption-load-%d.xlsx", sel.Load)
	}
	return fmt.Sprintf("consumption-%s.xlsx", sel.Month)
}

func (sel Selection) check() error {
	if (sel.Load == 0) == sel.Month.IsZero() {
		return fmt.Errorf("workbook: %w: select exactly one of a load and a month", store.ErrInvalid)
	}
	return nil
}

// ParseMonth parses a month written yyyy-mm.
func ParseMonth(s string) (civil.Month, error) {
	if len(s) != 7 || s[4] != '-' {
		return civil.Month{}, fmt.Errorf("workbook: month %q: want yyyy-mm", s)
	}
	return civil.ParseCompact(strings.Replace(s, "-", "", 1))
}

// Write builds the workbook of sel and writes it to w. It returns the
// workbook's file name. A load that does not exist or belongs to another
// company is store.ErrNotFound. A selection whose workbook would have a
// sheet of more than MaxRows rows is ErrTooManyRows, and nothing is
// written to w. The file is compressed straight into w, so an error while
// writing it can leave part of a file in w.
func Write(ctx context.Context, src Source, sel Selection, w io.Writer) (string, error) {
	return write(ctx, src, sel, w, MaxRows)
}

func write(ctx context.Context, src Source, sel Selection, w io.Writer, rowLimit int) (string, error) {
	if err := sel.check(); err != nil {
		return "", err
	}
	b, err := newBook(rowLimit)
	if err != nil {
		return "", err
	}
	defer b.f.Close()
	data, err := gather(ctx, src, sel, rowLimit, b.curve)
	if err != nil {
		return "", err
	}
	if err := data.checkRows(); err != nil {
		return "", err
	}
	if err := b.finish(data); err != nil {
		return "", err
	}
	if err := b.writeTo(w); err != nil {
		return "", fmt.Errorf("workbook: write: %w", err)
	}
	return sel.Name(), nil
}
