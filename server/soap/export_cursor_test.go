package soap_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/server/soap/client"
	"github.com/bludispatcher/dispatcher/server/store/storetest"
)

// TestReexportAfterCursor follows the export as a billing system that
// keeps the Offer of the last item listed as its cursor between runs.
func TestReexportAfterCursor(t *testing.T) {
	e := newEnv(t)
	e.load(t, e.a, "pdo.xml", "PDO", 1, storetest.HourlyRecord(storetest.POD(1), jan2026, 1))
	port := e.portA()

	run1, err := port.ListPendingExport(&client.ListPendingExportRequest{})
	require.NoError(t, err)
	require.NotEmpty(t, run1.Item)
	for _, it := range run1.Item {
		assert.Equal(t, it.Sequence, it.Offer, "an item never offered again has its Sequence as Offer")
	}
	cursor := run1.Item[len(run1.Item)-1].Offer
	_, err = port.AcknowledgeExport(&client.AcknowledgeExportRequest{Sequence: seqs(run1.Item)})
	require.NoError(t, err)

	re, err := port.Reexport(&client.ReexportRequest{Sequence: []int64{run1.Item[0].Sequence}})
	require.NoError(t, err)
	assert.Equal(t, client.ExportOutcomeOk, *re.Result[0].Outcome)

	run2, err := port.ListPendingExport(&client.ListPendingExportRequest{AfterSequence: cursor})
	require.NoError(t, err)
	require.Len(t, run2.Item, 1, "the re-exported item is listed after the cursor")
	assert.Equal(t, run1.Item[0].Sequence, run2.Item[0].Sequence)
	assert.Greater(t, run2.Item[0].Offer, cursor)

	cursor = run2.Item[0].Offer
	run3, err := port.ListPendingExport(&client.ListPendingExportRequest{AfterSequence: cursor})
	require.NoError(t, err)
	assert.Empty(t, run3.Item, "nothing is listed twice")

	e.messages.validate(t)
}
