package server

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	gowsdl "github.com/hooklift/gowsdl/soap"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/flows"
	"github.com/bludispatcher/dispatcher/flows/flowgen"
	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/server/soap/client"
	"github.com/bludispatcher/dispatcher/server/store"
	"github.com/bludispatcher/dispatcher/server/switching"
)

// switchFile generates a one-POD switching file for a switch on 1 October
// 2025 and returns its name and bytes. Every file of the same switch names
// the same POD and practice code.
func switchFile(t *testing.T, code string, reasons []int) (string, []byte) {
	t.Helper()
	month := civil.Month{Year: 2025, Month: time.October}
	g, err := flowgen.New(flowgen.Options{FlowCode: code, Seed: 7, PODs: 1, Month: month, Day: month.First(), Reasons: reasons})
	require.NoError(t, err)
	var buf bytes.Buffer
	w := flows.NewWriter(&buf)
	require.NoError(t, w.WriteHeader(g.Header()))
	for i := 0; i < g.Len(); i++ {
		r := g.Record(i)
		if r.Measure != nil && r.Measure.DataType.Set {
			r.Measure.DataType, r.Measure.ObstacleCause = flows.V("E"), flows.Value{}
		}
		require.NoError(t, w.Write(r))
	}
	require.NoError(t, w.Close())
	return g.FileName().String(), buf.Bytes()
}

// switchList mirrors the JSON of the switch lists.
type switchList struct {
	Items []store.Switch `json:"items"`
	Total int            `json:"total"`
}

// postJSON sends a POST with a JSON body and returns the status and body.
func (r *running) postJSON(t *testing.T, path, token string, body any) (int, []byte) {
	t.Helper()
	b, err := json.Marshal(body)
	require.NoError(t, err)
	req, err := http.NewRequest(http.MethodPost, r.base+path, bytes.NewReader(b))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, out
}

func TestSwitchValidatedOnLoad(t *testing.T) {
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
	pod := flowPOD(t, f2g)
	require.NoError(t, st.PutRegistryEntry(ctx, store.RegistryEntry{Company: acme.ID, POD: pod,
		ValidFrom: civil.Date{Year: 2025, Month: time.October, Day: 1}, SiteCode: "S1"}))

	// Functional and historical data first: the switch waits for its reading.
	put(t, filepath.Join(inbox, fName), f2g)
	put(t, filepath.Join(inbox, sName), s2g)
	rep := r.scan(t, tokenAcme)
	require.Equal(t, 2, rep.Loaded, "%+v", rep)
	var incomplete switchList
	r.getJSON(t, "/api/v1/switches?status=incomplete", tokenAcme, &incomplete)
	require.Equal(t, 1, incomplete.Total)
	assert.Equal(t, []string{switching.RuleReadingMissing.Code}, reasonCodes(incomplete.Items[0]))

	// The reading arrives: the switch is validated on load.
	nName, snm := switchFile(t, "SNM2G", nil)
	put(t, filepath.Join(inbox, nName), snm)
	rep = r.scan(t, tokenAcme)
	require.Equal(t, 1, rep.Loaded, "%+v", rep)
	var bySwitch switchList
	r.getJSON(t, "/api/v1/pods/"+pod+"/switches", tokenAcme, &struct {
		Items *[]store.Switch `json:"items"`
	}{&bySwitch.Items})
	require.Len(t, bySwitch.Items, 1)
	sw := bySwitch.Items[0]
	assert.Equal(t, store.SwitchValid, sw.Status, "reasons: %v", sw.Reasons)
	assert.Equal(t, "SNM2G", sw.Data.Reading.FlowCode)
	id := strconv.FormatInt(sw.ID, 10)

	// Billing pulls the switch completed event over SOAP with the generated
	// client, fetches its data and acknowledges it.
	port := billingPort(r)
	kind := client.ExportKind(store.ExportSwitchCompleted)
	kinds := []*client.ExportKind{&kind}
	pending, err := port.ListPendingExport(&client.ListPendingExportRequest{Kind: kinds})
	require.NoError(t, err)
	require.Len(t, pending.Item, 1)
	assert.Equal(t, pod, pending.Item[0].Pod)
	assert.Equal(t, "SNM2G", pending.Item[0].FlowCode)
	seq := pending.Item[0].Sequence
	fetched, err := port.FetchExport(&client.FetchExportRequest{Sequence: []int64{seq}})
	require.NoError(t, err)
	require.Len(t, fetched.Entity, 1)
	assert.NotEmpty(t, fetched.Entity[0].Reading, "the event carries the starting reading")
	assert.NotEmpty(t, fetched.Entity[0].Technical, "the event carries the technical data")
	acks, err := port.AcknowledgeExport(&client.AcknowledgeExportRequest{Sequence: []int64{seq}})
	require.NoError(t, err)
	require.Len(t, acks.Result, 1)
	assert.Equal(t, client.ExportOutcomeOk, *acks.Result[0].Outcome)
	pending, err = port.ListPendingExport(&client.ListPendingExportRequest{Kind: kinds})
	require.NoError(t, err)
	assert.Empty(t, pending.Item, "an acknowledged event is not returned again")

	status, _, _ := r.call(t, http.MethodGet, "/api/v1/switches/"+id, tokenOther)
	assert.Equal(t, http.StatusNotFound, status, "another company cannot see the switch")

	// A later correction reopens it; an operator accepts it.
	cName, rsn := switchFile(t, "RSN2G", []int{2})
	put(t, filepath.Join(inbox, cName), rsn)
	rep = r.scan(t, tokenAcme)
	require.Equal(t, 1, rep.Loaded, "%+v", rep)
	var detail struct {
		Switch    store.Switch           `json:"switch"`
		Decisions []store.SwitchDecision `json:"decisions"`
	}
	r.getJSON(t, "/api/v1/switches/"+id, tokenAcme, &detail)
	assert.Equal(t, store.SwitchToReview, detail.Switch.Status)
	assert.Equal(t, []string{switching.RuleReopened.Code}, reasonCodes(detail.Switch))

	status, body := r.postJSON(t, "/api/v1/switches/"+id+"/decision", tokenAcme,
		map[string]string{"decision": "accept", "operator": "anna"})
	assert.Equal(t, http.StatusBadRequest, status, "a decision needs a reason: %s", body)
	status, body = r.postJSON(t, "/api/v1/switches/"+id+"/decision", tokenOther,
		map[string]string{"decision": "accept", "reason": "x"})
	assert.Equal(t, http.StatusNotFound, status, "another company cannot decide: %s", body)
	status, body = r.postJSON(t, "/api/v1/switches/"+id+"/decision", tokenAcme,
		map[string]string{"decision": "accept", "operator": "anna", "reason": "corrected reading confirmed"})
	require.Equal(t, http.StatusOK, status, "%s", body)
	status, body = r.postJSON(t, "/api/v1/switches/"+id+"/decision", tokenAcme,
		map[string]string{"decision": "reject", "reason": "second thoughts"})
	assert.Equal(t, http.StatusConflict, status, "a valid switch takes no decision: %s", body)

	r.getJSON(t, "/api/v1/switches/"+id, tokenAcme, &detail)
	assert.Equal(t, store.SwitchValid, detail.Switch.Status)
	pending, err = port.ListPendingExport(&client.ListPendingExportRequest{Kind: kinds})
	require.NoError(t, err)
	require.Len(t, pending.Item, 1, "the accepted switch queues the event of the corrected reading")
	assert.Equal(t, "RSN2G", pending.Item[0].FlowCode)
	require.Len(t, detail.Decisions, 1)
	assert.Equal(t, "acme/anna", detail.Decisions[0].Actor)
	assert.Equal(t, "corrected reading confirmed", detail.Decisions[0].Reason)

	var missing switchList
	r.getJSON(t, "/api/v1/switches/missing", tokenAcme, &missing)
	assert.Zero(t, missing.Total)

	// Validating again on demand keeps the operator's decision.
	status, body = r.postJSON(t, "/api/v1/switches/validate?practice=SII100000000000&pod="+pod, tokenAcme, nil)
	require.Equal(t, http.StatusOK, status, "%s", body)
	var again store.Switch
	require.NoError(t, json.Unmarshal(body, &again))
	assert.Equal(t, store.SwitchValid, again.Status)
	assert.Equal(t, store.DecisionAccept, again.Decision)
}

func TestSwitchAPIBadRequests(t *testing.T) {
	dir := t.TempDir()
	cfg := testConfig(dir)
	r := startServer(t, cfg, openSQLite(t, cfg), testLogger(t))

	status, body, _ := r.call(t, http.MethodGet, "/api/v1/switches?status=done", tokenAcme)
	assert.Equal(t, http.StatusBadRequest, status, "%s", body)
	status, body, _ = r.call(t, http.MethodGet, "/api/v1/switches/abc", tokenAcme)
	assert.Equal(t, http.StatusBadRequest, status, "%s", body)
	status, body, _ = r.call(t, http.MethodGet, "/api/v1/switches/42", tokenAcme)
	assert.Equal(t, http.StatusNotFound, status, "%s", body)
	status, body = r.postJSON(t, "/api/v1/switches/validate?practice=SII999&pod=IT001E00000001", tokenAcme, nil)
	assert.Equal(t, http.StatusNotFound, status, "nothing of that switch is stored: %s", body)
	status, body = r.postJSON(t, "/api/v1/switches/validate", tokenAcme, nil)
	assert.Equal(t, http.StatusBadRequest, status, "%s", body)
	status, body = r.postJSON(t, "/api/v1/switches/42/decision", tokenAcme, map[string]string{"decision": "maybe", "reason": "x"})
	assert.Equal(t, http.StatusBadRequest, status, "%s", body)
	status, body = r.postJSON(t, "/api/v1/switches/42/decision", tokenAcme, map[string]string{"decision": "accept", "reason": "x"})
	assert.Equal(t, http.StatusNotFound, status, "%s", body)
	status, _, _ = r.call(t, http.MethodGet, "/api/v1/switches", "")
	assert.Equal(t, http.StatusUnauthorized, status)

	var rules struct {
		Items []switching.Rule `json:"items"`
	}
	r.getJSON(t, "/api/v1/switches/rules", tokenAcme, &rules)
	assert.Equal(t, switching.Rules, rules.Items)
}

// billingPort returns the generated SOAP client of company acme, with
// HTTP Basic credentials.
func billingPort(r *running) client.DispatcherPort {
	c := gowsdl.NewClient(r.base+SOAPPath, gowsdl.WithBasicAuth("billing", tokenAcme))
	return client.NewDispatcherPort(c)
}

// flowPOD returns the POD of the first record of a flow file.
func flowPOD(t *testing.T, data []byte) string {
	t.Helper()
	d := flows.NewDecoder(bytes.NewReader(data))
	rec, err := d.Next()
	require.NoError(t, err)
	return rec.POD.Text
}

func reasonCodes(sw store.Switch) []string {
	out := []string{}
	for _, a := range sw.Reasons {
		out = append(out, a.Code)
	}
	return out
}
