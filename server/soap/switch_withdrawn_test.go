package soap_test

import (
	"context"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/server/soap"
	"github.com/bludispatcher/dispatcher/server/soap/client"
	"github.com/bludispatcher/dispatcher/server/store"
	"github.com/bludispatcher/dispatcher/server/store/storetest"
)

func TestSwitchWithdrawnExported(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	l := e.load(t, e.a, "snm.xml", "SNM", 3, storetest.HourlyRecord(storetest.POD(1), jan2026, 1))
	port := e.portA()
	items, err := port.ListPendingExport(&client.ListPendingExportRequest{})
	require.NoError(t, err)
	_, err = port.AcknowledgeExport(&client.AcknowledgeExportRequest{Sequence: seqs(items.Item)})
	require.NoError(t, err)

	// A switch whose completed event was queued, then reopened and rejected.
	reading := store.RecordRef{Load: l.ID, Seq: 1}
	sw, err := e.store.PutSwitch(ctx, store.Switch{Company: e.a, PracticeCode: "SII100000000001", POD: storetest.POD(1),
		SwitchDate: jan2026.First(), Status: store.SwitchValid, Inputs: "first",
		Data: store.SwitchData{Reading: &store.SwitchReading{Record: reading,
			FlowCode: "SNM", Date: jan2026.First().AddDays(-1)}}})
	require.NoError(t, err)
	require.NoError(t, e.store.QueueSwitchCompleted(ctx, sw))
	sw.Status, sw.Inputs = store.SwitchToReview, "corrected"
	_, err = e.store.PutSwitch(ctx, sw)
	require.NoError(t, err)
	decidedAt := time.Date(2026, 2, 3, 10, 0, 0, 0, time.UTC)
	rejected, err := e.store.DecideSwitch(ctx, e.a, sw.ID, store.SwitchDecision{Decision: store.DecisionReject,
		Actor: "acme/anna", Reason: "wrong reading", DecidedAt: decidedAt})
	require.NoError(t, err)
	require.NoError(t, e.store.QueueSwitchWithdrawn(ctx, rejected, reading))

	kind := client.ExportKindSwitch_withdrawn
	pending, err := port.ListPendingExport(&client.ListPendingExportRequest{Kind: []*client.ExportKind{&kind}})
	require.NoError(t, err)
	require.Len(t, pending.Item, 1)
	assert.Equal(t, kind, *pending.Item[0].Kind)
	assert.Equal(t, int64(l.ID), pending.Item[0].LoadId)
	assert.Equal(t, int32(1), pending.Item[0].RecordSeq)

	all, err := port.ListPendingExport(&client.ListPendingExportRequest{})
	require.NoError(t, err)
	require.Len(t, all.Item, 2)
	assert.Equal(t, client.ExportKindSwitch_completed, *all.Item[0].Kind, "the withdrawal follows the event it cancels")
	assert.Equal(t, kind, *all.Item[1].Kind)

	fetched, err := port.FetchExport(&client.FetchExportRequest{Sequence: seqs(all.Item)})
	require.NoError(t, err)
	require.Len(t, fetched.Entity, 2)
	completed, withdrawn := fetched.Entity[0].Switch, fetched.Entity[1].Switch
	require.NotNil(t, completed)
	require.NotNil(t, withdrawn)
	assert.Equal(t, "SII100000000001", withdrawn.PracticeCode)
	assert.Equal(t, storetest.POD(1), withdrawn.Pod)
	assert.Equal(t, "2026-01-01", withdrawn.SwitchDate.ToGoTime().Format(time.DateOnly))
	assert.Equal(t, "invalid", withdrawn.Status)
	assert.Equal(t, all.Item[0].Sequence, withdrawn.CompletedSequence)
	require.NotNil(t, withdrawn.Decision)
	assert.Equal(t, "reject", withdrawn.Decision.Decision)
	assert.Equal(t, "acme/anna", withdrawn.Decision.Actor)
	assert.Equal(t, "wrong reading", withdrawn.Decision.Reason)
	assert.True(t, decidedAt.Equal(withdrawn.Decision.DecidedAt.ToGoTime()))
	assert.NotEmpty(t, fetched.Entity[1].Reading, "the entity carries the withdrawn starting reading")
	assert.Equal(t, "SII100000000001", completed.PracticeCode)
	assert.Zero(t, completed.CompletedSequence)

	e.messages.validate(t)
}

// TestWSDLExportKindsMatchStore keeps the ExportKind enumeration of the
// WSDL equal to store.ExportKinds, so a kind the store queues is valid in
// the messages that carry it.
func TestWSDLExportKindsMatchStore(t *testing.T) {
	block := regexp.MustCompile(`(?s)<xsd:simpleType name="ExportKind">(.*?)</xsd:simpleType>`).FindSubmatch(soap.WSDL)
	require.NotNil(t, block, "the WSDL defines ExportKind")
	var inWSDL []string
	for _, m := range regexp.MustCompile(`<xsd:enumeration value="([^"]+)"/>`).FindAllSubmatch(block[1], -1) {
		inWSDL = append(inWSDL, string(m[1]))
	}
	var inStore []string
	for _, k := range store.ExportKinds {
		inStore = append(inStore, string(k))
	}
	assert.ElementsMatch(t, inStore, inWSDL)
}
