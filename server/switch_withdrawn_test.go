package server

import (
	"context"
	"net/http"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/server/soap/client"
	"github.com/bludispatcher/dispatcher/server/store"
	"github.com/bludispatcher/dispatcher/server/switching"
)

// TestSwitchRejectedWithdrawnForBilling follows a switch through the
// running server: valid, taken by billing over SOAP, reopened by a
// correction, rejected over the API, and withdrawn once.
func TestSwitchRejectedWithdrawnForBilling(t *testing.T) {
	dir := t.TempDir()
	cfg := testConfig(dir)
	st := openSQLite(t, cfg)
	r := startServer(t, cfg, st, testLogger(t))
	inbox := cfg.Companies[0].Inboxes["flows"][0]
	ctx := context.Background()

	acme, err := st.CompanyByCode(ctx, "acme")
	require.NoError(t, err)
	fName, f2g := switchFile(t, "F2G", nil)
	sName, s2g := switchFile(t, "S2G", nil)
	nName, snm := switchFile(t, "SNM2G", nil)
	pod := flowPOD(t, f2g)
	require.NoError(t, st.PutRegistryEntry(ctx, store.RegistryEntry{Company: acme.ID, POD: pod,
		ValidFrom: civil.Date{Year: 2025, Month: time.October, Day: 1}, SiteCode: "S1"}))
	put(t, filepath.Join(inbox, fName), f2g)
	put(t, filepath.Join(inbox, sName), s2g)
	put(t, filepath.Join(inbox, nName), snm)
	rep := r.scan(t, tokenAcme)
	require.Equal(t, 3, rep.Loaded, "%+v", rep)

	// Billing takes the switch completed event.
	port := billingPort(r)
	completedKind, withdrawnKind := client.ExportKindSwitch_completed, client.ExportKindSwitch_withdrawn
	completed, err := port.ListPendingExport(&client.ListPendingExportRequest{Kind: []*client.ExportKind{&completedKind}})
	require.NoError(t, err)
	require.Len(t, completed.Item, 1)
	_, err = port.AcknowledgeExport(&client.AcknowledgeExportRequest{Sequence: []int64{completed.Item[0].Sequence}})
	require.NoError(t, err)
	withdrawnOnly := &client.ListPendingExportRequest{Kind: []*client.ExportKind{&withdrawnKind}}

	// A correction reopens the switch: billing keeps its event for now.
	cName, rsn := switchFile(t, "RSN2G", []int{2})
	put(t, filepath.Join(inbox, cName), rsn)
	rep = r.scan(t, tokenAcme)
	require.Equal(t, 1, rep.Loaded, "%+v", rep)
	var list switchList
	r.getJSON(t, "/api/v1/switches?status=to_review", tokenAcme, &list)
	require.Equal(t, 1, list.Total)
	id := strconv.FormatInt(list.Items[0].ID, 10)
	pending, err := port.ListPendingExport(withdrawnOnly)
	require.NoError(t, err)
	assert.Empty(t, pending.Item, "a switch to review is not withdrawn")

	status, body := r.postJSON(t, "/api/v1/switches/"+id+"/decision", tokenAcme,
		map[string]string{"decision": "reject", "operator": "anna", "reason": "the corrected reading is wrong"})
	require.Equal(t, http.StatusOK, status, "%s", body)

	pending, err = port.ListPendingExport(withdrawnOnly)
	require.NoError(t, err)
	require.Len(t, pending.Item, 1)
	item := pending.Item[0]
	assert.Equal(t, completed.Item[0].LoadId, item.LoadId, "the withdrawal names the record billing received")
	assert.Equal(t, completed.Item[0].RecordSeq, item.RecordSeq)
	assert.Equal(t, "SNM2G", item.FlowCode)
	assert.Equal(t, pod, item.Pod)

	fetched, err := port.FetchExport(&client.FetchExportRequest{Sequence: []int64{item.Sequence}})
	require.NoError(t, err)
	require.Len(t, fetched.Entity, 1)
	sw := fetched.Entity[0].Switch
	require.NotNil(t, sw)
	assert.Equal(t, "SII100000000000", sw.PracticeCode)
	assert.Equal(t, pod, sw.Pod)
	assert.Equal(t, "2025-10-01", sw.SwitchDate.ToGoTime().Format(time.DateOnly))
	assert.Equal(t, "invalid", sw.Status)
	assert.Equal(t, []string{switching.RuleReopened.Code}, sw.ReasonCode)
	assert.Equal(t, completed.Item[0].Sequence, sw.CompletedSequence)
	require.NotNil(t, sw.Decision)
	assert.Equal(t, "reject", sw.Decision.Decision)
	assert.Equal(t, "acme/anna", sw.Decision.Actor)
	assert.False(t, sw.Decision.DecidedAt.ToGoTime().IsZero())

	var detail struct {
		Switch store.Switch `json:"switch"`
	}
	r.getJSON(t, "/api/v1/switches/"+id, tokenAcme, &detail)
	assert.Equal(t, store.SwitchInvalid, detail.Switch.Status)
	assert.Empty(t, detail.Switch.ExportedInputs, "billing holds no completed event of the switch")

	// Validating again, before and after billing takes the withdrawal,
	// queues nothing more.
	validate := func() {
		t.Helper()
		status, body := r.postJSON(t, "/api/v1/switches/validate?practice=SII100000000000&pod="+pod, tokenAcme, nil)
		require.Equal(t, http.StatusOK, status, "%s", body)
	}
	validate()
	pending, err = port.ListPendingExport(withdrawnOnly)
	require.NoError(t, err)
	require.Len(t, pending.Item, 1)
	assert.Equal(t, item.Offer, pending.Item[0].Offer, "the withdrawal is not offered again")
	_, err = port.AcknowledgeExport(&client.AcknowledgeExportRequest{Sequence: []int64{item.Sequence}})
	require.NoError(t, err)
	validate()
	pending, err = port.ListPendingExport(withdrawnOnly)
	require.NoError(t, err)
	assert.Empty(t, pending.Item)
	pending, err = port.ListPendingExport(&client.ListPendingExportRequest{Kind: []*client.ExportKind{&completedKind}})
	require.NoError(t, err)
	assert.Empty(t, pending.Item, "a rejected switch queues no completed event")
}
