package storetest

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/server/store"
)

// offersOf returns the offers of items.
func offersOf(items []store.ExportItem) []int64 {
	out := make([]int64, len(items))
	for i, it := range items {
		out[i] = it.Offer
	}
	return out
}

// pendingAfter returns every pending item after the offer cursor.
func pendingAfter(t *testing.T, s store.Store, co store.CompanyID, cursor int64) []store.ExportItem {
	t.Helper()
	items, err := s.PendingExport(ctxT(t), store.ExportFilter{Company: co, After: cursor, Limit: store.MaxLimit})
	require.NoError(t, err)
	return items
}

// testExportReexportCursor follows the queue as a billing system that
// keeps its cursor between runs: a re-exported item comes after the
// cursor again, and no other item is returned twice.
func testExportReexportCursor(t *testing.T, f Factory) {
	s, reopen := open(t, f)
	ctx := ctxT(t)
	co := company(t, s, "cur")
	d1, _ := Original(98, 100)
	load(t, s, co, "pdo.xml", d1, Header("PDO"), item{rec: HourlyRecord(POD(90), jan2026, 1)})

	first := pendingAfter(t, s, co, 0)
	require.NotEmpty(t, first)
	assert.Equal(t, seqsOf(first), offersOf(first), "an item never offered again has its sequence as offer")
	cursor := first[len(first)-1].Offer
	_, err := s.AcknowledgeExport(ctx, co, seqsOf(first), "billing")
	require.NoError(t, err)
	assert.Empty(t, pendingAfter(t, s, co, cursor))

	res, err := s.Reexport(ctx, co, []int64{first[0].Seq}, "operator")
	require.NoError(t, err)
	assert.Equal(t, store.ExportOK, res[0].Outcome)
	again := pendingAfter(t, s, co, cursor)
	require.Len(t, again, 1, "the re-exported item is after the cursor")
	assert.Equal(t, first[0].Seq, again[0].Seq, "a re-export keeps the sequence")
	assert.Greater(t, again[0].Offer, cursor)

	d2, _ := Original(99, 100)
	load(t, s, co, "pdo2.xml", d2, Header("PDO"), item{rec: HourlyRecord(POD(91), jan2026, 2)})
	next := pendingAfter(t, reopen(t), co, cursor)
	require.Greater(t, len(next), 1)
	assert.Equal(t, first[0].Seq, next[0].Seq, "the re-offered item comes first")
	for i := 1; i < len(next); i++ {
		assert.Greater(t, next[i].Offer, next[i-1].Offer, "offers grow")
		assert.Equal(t, next[i].Seq, next[i].Offer, "a new item after a re-export has its sequence as offer")
	}
	cursor = next[len(next)-1].Offer
	assert.Empty(t, pendingAfter(t, s, co, cursor), "nothing is returned twice")

	page, err := s.PendingExport(ctx, store.ExportFilter{Company: co, After: next[0].Offer, Limit: 1})
	require.NoError(t, err)
	require.Len(t, page, 1)
	assert.Equal(t, next[1].Seq, page[0].Seq, "paging follows the offer")
}
