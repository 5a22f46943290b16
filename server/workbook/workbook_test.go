package workbook_test

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/bludispatcher/dispatcher/flows"
	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/server/store"
	"github.com/bludispatcher/dispatcher/server/store/sqlite"
	"github.com/bludispatcher/dispatcher/server/store/storetest"
	"github.com/bludispatcher/dispatcher/server/workbook"
)

var jan2026 = civil.Month{Year: 2026, Month: time.January}

func openStore(t *testing.T) (store.Store, store.CompanyID) {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "wb.db"))
	require.NoError(t, err)
	t.Cleanup(func() { st.Close() })
	co, err := st.CreateCompany(context.Background(), store.Company{Code: "acme", Name: "Acme"})
	require.NoError(t, err)
	return st, co.ID
}

func load(t *testing.T, st store.Store, co store.CompanyID, name, flow string, seed int, recs ...*flows.Record) store.Load {
	t.Helper()
	ctx := context.Background()
	data, _ := storetest.Original(seed, 100)
	tx, err := st.BeginLoad(ctx, store.LoadInfo{Company: co, Name: name, Path: name, Size: int64(len(data)),
		SHA256: storetest.SHA256(data), FlowCode: flow, Original: bytes.NewReader(data)})
	require.NoError(t, err)
	for _, r := range recs {
		_, err := tx.AddRecord(ctx, storetest.Header(flow), r, nil)
		require.NoError(t, err)
	}
	l, err := tx.Commit(ctx)
	require.NoError(t, err)
	return l
}

// fileTotals sums the records as the file carries them: every Ea curve
// value and each EaF1..EaF3 register.
func fileTotals(t *testing.T, recs ...*flows.Record) (curve decimal.Decimal, regs [3]decimal.Decimal) {
	t.Helper()
	for _, r := range recs {
		for i := range r.Measure.Curves {
			c := &r.Measure.Curves[i]
			for n := 1; n <= 100; n++ {
				v, ok := c.E(n)
				if !ok {
					continue
				}
				d, err := flows.V(v).Decimal()
				require.NoError(t, err)
				curve = curve.Add(d)
			}
		}
		for b := 0; b < 3; b++ {
			d, err := r.Measure.Registers.Ea[b].Decimal()
			require.NoError(t, err)
			regs[b] = regs[b].Add(d)
		}
	}
	return curve, regs
}

func open(t *testing.T, st store.Store, sel workbook.Selection) *excelize.File {
	t.Helper()
	var buf bytes.Buffer
	_, err := workbook.Write(context.Background(), st, sel, &buf)
	require.NoError(t, err)
	f, err := excelize.OpenReader(&buf, excelize.Options{RawCellValue: true})
	require.NoError(t, err)
	t.Cleanup(func() { f.Close() })
	return f
}

// summaryValue returns the value next to label in the Summary sheet.
func summaryValue(t *testing.T, f *excelize.File, label string) string {
	t.Helper()
	rows, err := f.GetRows(workbook.SheetSummary)
	require.NoError(t, err)
	for _, r := range rows {
		if len(r) >= 2 && r[0] == label {
			return r[1]
		}
	}
	t.Fatalf("summary has no %q row", label)
	return ""
}

func TestWorkbookOfLoadMatchesFile(t *testing.T) {
	st, co := openStore(t)
	recs := []*flows.Record{storetest.HourlyRecord(storetest.POD(1), jan2026, 1),
		storetest.HourlyRecord(storetest.POD(2), jan2026, 2)}
	l := load(t, st, co, "pdo.xml", "PDO", 1, recs...)
	load(t, st, co, "other.xml", "PDO", 2, storetest.HourlyRecord(storetest.POD(3), jan2026, 3))

	f := open(t, st, workbook.Selection{Company: co, Load: l.ID})
	assert.Equal(t, []string{workbook.SheetSummary, workbook.SheetRegisters, workbook.SheetCurve,
		workbook.SheetCorrections}, f.GetSheetList())

	curve, regs := fileTotals(t, recs...)
	assert.Equal(t, curve.String(), summaryValue(t, f, "Curve Ea"), "curve total equals the file's")
	assert.Equal(t, regs[0].String(), summaryValue(t, f, "EaF1"))
	assert.Equal(t, regs[1].String(), summaryValue(t, f, "EaF2"))
	assert.Equal(t, regs[2].String(), summaryValue(t, f, "EaF3"))
	bands := []string{summaryValue(t, f, "Curve Ea F1"), summaryValue(t, f, "Curve Ea F2"), summaryValue(t, f, "Curve Ea F3")}
	var sum decimal.Decimal
	for _, b := range bands {
		d, err := decimal.NewFromString(b)
		require.NoError(t, err)
		sum = sum.Add(d)
	}
	assert.True(t, curve.Equal(sum), "bands add up to the curve total")
	assert.Equal(t, "2", summaryValue(t, f, "PODs"), "the other load is not included")

	days, err := f.GetRows(workbook.SheetCurve)
	require.NoError(t, err)
	assert.Len(t, days, 1+2*(jan2026.Days())+1, "header, one row per POD-day, total")
}

func TestWorkbookOfMonthWithCorrection(t *testing.T) {
	st, co := openStore(t)
	orig := storetest.HourlyRecord(storetest.POD(1), jan2026, 1)
	load(t, st, co, "pdo.xml", "PDO", 1, orig)
	corr := storetest.HourlyRecord(storetest.POD(1), jan2026, 7)
	corr.CorrectionType, corr.DetectionDate, corr.Reason = flows.V("P"), flows.V("15/02/2026"), flows.V("1")
	load(t, st, co, "rfo.xml", "RFO", 2, corr)

	f := open(t, st, workbook.Selection{Company: co, Month: jan2026})
	rows, err := f.GetRows(workbook.SheetCorrections)
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(rows), 2)
	var eaF1 []string
	for _, r := range rows[1:] {
		if len(r) > 7 && r[7] == "EaF1" {
			eaF1 = r
		}
	}
	require.NotNil(t, eaF1, "EaF1 is set against the value it replaces")
	before, err := orig.Measure.Registers.Ea[0].Decimal()
	require.NoError(t, err)
	after, err := corr.Measure.Registers.Ea[0].Decimal()
	require.NoError(t, err)
	assert.Equal(t, before.String(), eaF1[8])
	assert.Equal(t, after.String(), eaF1[9])
	assert.Equal(t, after.Sub(before).String(), eaF1[10])
	assert.Equal(t, "1", summaryValue(t, f, "Corrections"))
}

func TestWorkbookSelection(t *testing.T) {
	st, co := openStore(t)
	var buf bytes.Buffer
	_, err := workbook.Write(context.Background(), st, workbook.Selection{Company: co}, &buf)
	assert.ErrorIs(t, err, store.ErrInvalid)
	_, err = workbook.Write(context.Background(), st, workbook.Selection{Company: co, Load: 99}, &buf)
	assert.ErrorIs(t, err, store.ErrNotFound)

	m, err := workbook.ParseMonth("2026-01")
	require.NoError(t, err)
	assert.Equal(t, jan2026, m)
	_, err = workbook.ParseMonth("01/2026")
	assert.Error(t, err)
}
