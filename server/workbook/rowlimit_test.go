package workbook_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/flows"
	"github.com/bludispatcher/dispatcher/server/store"
	"github.com/bludispatcher/dispatcher/server/store/storetest"
	"github.com/bludispatcher/dispatcher/server/workbook"
)

func TestWorkbookRowLimitExceeded(t *testing.T) {
	st, co := openStore(t)
	load(t, st, co, "pdo.xml", "PDO", 1, []*flows.Record{storetest.HourlyRecord(storetest.POD(1), jan2026, 1),
		storetest.HourlyRecord(storetest.POD(2), jan2026, 2)}...)
	sel := workbook.Selection{Company: co, Month: jan2026}
	// The Daily curve sheet takes a header, one row per POD-day and a
	// total row: 1 + 2*31 + 1 = 64 rows.
	rows := 1 + 2*jan2026.Days() + 1

	var buf bytes.Buffer
	_, err := workbook.WriteWithRowLimit(context.Background(), st, sel, &buf, rows-1)
	require.Error(t, err)
	assert.ErrorIs(t, err, workbook.ErrTooManyRows)
	assert.ErrorIs(t, err, store.ErrInvalid)
	assert.Contains(t, err.Error(), workbook.SheetCurve)
	assert.Zero(t, buf.Len(), "no partial workbook is written")

	_, err = workbook.WriteWithRowLimit(context.Background(), st, sel, &buf, rows)
	require.NoError(t, err, "a sheet of exactly the limit is accepted")
	assert.NotZero(t, buf.Len())
}

func TestWorkbookRowLimitIsXLSXMax(t *testing.T) {
	assert.Equal(t, 1_048_576, workbook.MaxRows)
}
