package edi

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/internal/itnum"
)

// BilledError is an invalid row of a billed-amounts CSV file.
type BilledError struct {
	Line  int    // 1-based line of the row
	Field string // column name
	Value string // the value as read
	Err   error
}

// Error returns the position, the value and the cause.
func (e *BilledError) Error() string {
	return fmt.Sprintf("line %d: %s %q: %v", e.Line, e.Field, e.Value, e.Err)
}

// Unwrap returns the cause.
func (e *BilledError) Unwrap() error { return e.Err }

// ReadBilledCSV reads the amounts billed to customers, for CostOptions.Billed,
// from CSV with three columns: POD or PDR, month (yyyy-MM or MM/yyyy) and
// amount net of VAT. Fields are separated by ';' or ','. A first row whose
// amount is not a number is taken as a header. Amounts of the same point and
// month add up. Every invalid row is reported, joined in the error, and the
// valid rows are returned.
func ReadBilledCSV(r io.Reader) (map[PointMonth]decimal.Decimal, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("billed amounts: %w: more than %d bytes; split the file by month", ErrTooLarge, MaxFileSize)
	}
	cr := csv.NewReader(strings.NewReader(string(data)))
	cr.Comma = ';'
	if !strings.Contains(firstLine(string(data)), ";") {
		cr.Comma = ','
	}
	cr.FieldsPerRecord = 3
	cr.TrimLeadingSpace = true
	out := map[PointMonth]decimal.Decimal{}
	var errs []error
	for row := 1; ; row++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			errs = append(errs, err)
			continue
		}
		line, _ := cr.FieldPos(0)
		pm, amount, err := billedRow(rec, line)
		if err != nil {
			if row == 1 {
				continue // header
			}
			errs = append(errs, err)
			continue
		}
		out[pm] = out[pm].Add(amount)
	}
	return out, errors.Join(errs...)
}

func billedRow(rec []string, line int) (PointMonth, decimal.Decimal, error) {
	point, monthText, amountText := strings.TrimSpace(rec[0]), strings.TrimSpace(rec[1]), strings.TrimSpace(rec[2])
	amount, err := parseBilledAmount(amountText)
	if err != nil {
		return PointMonth{}, decimal.Decimal{}, &BilledError{Line: line, Field: "amount", Value: amountText, Err: err}
	}
	if point == "" {
		return PointMonth{}, decimal.Decimal{}, &BilledError{Line: line, Field: "point", Err: errors.New("missing POD or PDR")}
	}
	month, err := civil.ParseMonthYear(monthText)
	if err != nil {
		month, err = civil.ParseCompact(strings.ReplaceAll(monthText, "-", ""))
	}
	if err != nil {
		return PointMonth{}, decimal.Decimal{}, &BilledError{Line: line, Field: "month", Value: monthText,
			Err: errors.New("want yyyy-MM or MM/yyyy")}
	}
	return PointMonth{Point: point, Month: month}, amount, nil
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// parseBilledAmount parses an amount as itnum.ParseLoose does, but rejects
// text longer than 40 characters unparsed, because parsing a big number
// takes time quadratic in its digits.
func parseBilledAmount(s string) (decimal.Decimal, error) {
	if len(s) > 40 {
		return decimal.Decimal{}, fmt.Errorf("%w: longer than 40 characters", ErrNumber)
	}
	return itnum.ParseLoose(s)
}
