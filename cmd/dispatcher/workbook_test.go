package main

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/bludispatcher/dispatcher/flows"
	"github.com/bludispatcher/dispatcher/internal/testref"
	"github.com/bludispatcher/dispatcher/server/workbook"
)

const workbookSample = "01234567890_12345678901_201301_PDO_20130218060523_1DP0001_R.xml"

// eaCurveTotal returns the exact sum of the Ea curve values of a flow file.
func eaCurveTotal(t *testing.T, data []byte) decimal.Decimal {
	t.Helper()
	dec := flows.NewDecoder(bytes.NewReader(data))
	var sum decimal.Decimal
	for {
		r, err := dec.Next()
		if errors.Is(err, io.EOF) {
			return sum
		}
		require.NoError(t, err)
		if r.Measure == nil {
			continue
		}
		for i := range r.Measure.Curves {
			c := &r.Measure.Curves[i]
			for n := 1; c.Kind == flows.ActiveEnergy && n <= 100; n++ {
				if v, ok := c.E(n); ok {
					d, err := flows.V(v).Decimal()
					require.NoError(t, err)
					sum = sum.Add(d)
				}
			}
		}
	}
}

func TestWorkbookCommand(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(testref.Flows(t, "sii-standard-tracciati-misure-v1.8", "esempi"), workbookSample))
	require.NoError(t, err)
	dir := t.TempDir()
	sample := filepath.Join(dir, workbookSample)
	require.NoError(t, os.WriteFile(sample, data, 0o644))
	cfg := loadConfig(t, t.TempDir())
	var stdout, stderr bytes.Buffer
	require.Equal(t, 0, run([]string{"load", "-config", cfg, sample}, &stdout, &stderr), stderr.String())

	out := filepath.Join(dir, "wb.xlsx")
	stdout.Reset()
	code := run([]string{"workbook", "-config", cfg, "-load", "1", "-o", out}, &stdout, &stderr)
	require.Equal(t, 0, code, stderr.String())
	assert.Contains(t, stdout.String(), "wrote "+out)

	f, err := excelize.OpenFile(out, excelize.Options{RawCellValue: true})
	require.NoError(t, err)
	defer f.Close()
	assert.Equal(t, []string{workbook.SheetSummary, workbook.SheetRegisters, workbook.SheetCurve,
		workbook.SheetCorrections}, f.GetSheetList())
	rows, err := f.GetRows(workbook.SheetSummary)
	require.NoError(t, err)
	got := ""
	for _, r := range rows {
		if len(r) >= 2 && r[0] == "Curve Ea" {
			got = r[1]
		}
	}
	assert.Equal(t, eaCurveTotal(t, data).String(), got, "the curve total equals the file's")

	stderr.Reset()
	code = run([]string{"workbook", "-config", cfg, "-load", "42", "-o", out}, io.Discard, &stderr)
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr.String(), `load 42 not found for company "acme"`)
}

func TestWorkbookCommandErrors(t *testing.T) {
	var stderr bytes.Buffer
	assert.Equal(t, 2, run([]string{"workbook"}, io.Discard, &stderr))
	assert.Contains(t, stderr.String(), "exactly one of -load and -month")

	stderr.Reset()
	assert.Equal(t, 2, run([]string{"workbook", "-month", "01/2026"}, io.Discard, &stderr))
	assert.Contains(t, stderr.String(), "want yyyy-mm")

	stderr.Reset()
	cfg := loadConfig(t, t.TempDir())
	assert.Equal(t, 1, run([]string{"workbook", "-config", cfg, "-load", "42", "-o", filepath.Join(t.TempDir(), "x.xlsx")},
		io.Discard, &stderr))
	assert.Contains(t, stderr.String(), `company "acme" is not in the store yet`)
}
