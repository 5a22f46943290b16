package server

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/distributor"
	"github.com/bludispatcher/dispatcher/server/config"
	"github.com/bludispatcher/dispatcher/server/store"
	"github.com/bludispatcher/dispatcher/server/store/postgres"
)

// testProfile is a distributor profile written for the tests: plain XML
// files, a 10-day deadline, one folder per service.
const testProfile = `{
  "id": "test-reti", "name": "Test Reti", "source": "test fixture", "verified": false,
  "format": "xml", "file_name": "{seller_vat}_{service}_{flow}_{date}_{seq:4}.xml",
  "folder": "{profile}/{service}", "deadline_days": {"*": 10}
}`

// requestsConfig adds an outcome inbox, an outbox and the test profile
// to both companies of testConfig.
func requestsConfig(t *testing.T, dir string) config.Config {
	cfg := testConfig(dir)
	profile := filepath.Join(dir, "test-reti.json")
	require.NoError(t, os.WriteFile(profile, []byte(testProfile), 0o600))
	for i := range cfg.Companies {
		co := &cfg.Companies[i]
		co.Inboxes[config.KindOutcomes] = []string{filepath.Join(dir, co.ID, "outcomes")}
		co.Distributors = &config.Distributors{ProfileFiles: []string{profile}, Outbox: filepath.Join(dir, co.ID, "outbox")}
	}
	return cfg
}

// send sends a request with a JSON body and returns the status and body.
func (r *running) send(t *testing.T, method, path, token string, body any) (int, []byte) {
	t.Helper()
	data, err := json.Marshal(body)
	require.NoError(t, err)
	req, err := http.NewRequest(method, r.base+path, bytes.NewReader(data))
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

// a01Request returns the A01 request of the distributor package's test
// data with the given case number.
func a01Request(t *testing.T, caseNumber string) map[string]any {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "distributor", "testdata", "requests", "A01.json"))
	require.NoError(t, err)
	var req map[string]any
	require.NoError(t, json.Unmarshal(data, &req))
	req["ids"].(map[string]any)["case_number"] = caseNumber
	return req
}

// submitA01 submits an A01 request for the company of token.
func (r *running) submitA01(t *testing.T, token, caseNumber string) (int, []byte) {
	t.Helper()
	return r.send(t, http.MethodPost, "/api/v1/requests", token,
		map[string]any{"profile": "test-reti", "request": a01Request(t, caseNumber)})
}

// writeOutcome writes an A01 outcome file of the given phase and result
// into an outcome inbox.
func writeOutcome(t *testing.T, inbox, name, caseNumber string, phase distributor.Phase, res distributor.Result) {
	t.Helper()
	writeFile(t, inbox, name, outcomeXML(t, "01234567897", caseNumber, phase, res))
}

// outcomeXML returns an A01 outcome for the seller VAT and case number.
func outcomeXML(t *testing.T, sellerVAT, caseNumber string, phase distributor.Phase, res distributor.Result) []byte {
	t.Helper()
	o := &distributor.Outcome{Service: "A01", Phase: phase, Result: res, IDs: distributor.Identifiers{
		SellerVAT: sellerVAT, DistributorVAT: "12345678903", CaseNumber: caseNumber, DistributorCase: "ED-" + caseNumber,
	}}
	var buf bytes.Buffer
	require.NoError(t, distributor.EncodeOutcomeXML(&buf, o, nil))
	return buf.Bytes()
}

// writeFile writes data into a folder, creating it.
func writeFile(t *testing.T, dir, name string, data []byte) {
	t.Helper()
	require.NoError(t, os.MkdirAll(dir, 0o750))
	require.NoError(t, os.WriteFile(filepath.Join(dir, name), data, 0o600))
}

// validateRequestXSD validates a request file with xmllint against the
// distributor package's XSD of its flow.
func validateRequestXSD(t *testing.T, file, schema string) {
	t.Helper()
	lint, err := exec.LookPath("xmllint")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("xmllint not found: install libxml2-utils (CI=true)")
		}
		t.Skip("xmllint not found: install libxml2-utils to run this test")
	}
	xsd := filepath.Join("..", "distributor", "testdata", "xsd", schema)
	out, err := exec.Command(lint, "--noout", "--schema", xsd, file).CombinedOutput()
	require.NoError(t, err, "%s", out)
}

type updatesPage struct {
	Items []store.RequestUpdate `json:"items"`
	Next  int64                 `json:"next"`
}

func TestRequestRoundTrip(t *testing.T) {
	dir := t.TempDir()
	cfg := requestsConfig(t, dir)
	requestRoundTrip(t, dir, cfg, openSQLite(t, cfg))
}

func TestRequestRoundTripPostgres(t *testing.T) {
	dsn := postgresSchema(t)
	dir := t.TempDir()
	cfg := requestsConfig(t, dir)
	cfg.Store = dsn
	st, err := postgres.Open(context.Background(), dsn)
	require.NoError(t, err)
	t.Cleanup(func() { st.Close() })
	requestRoundTrip(t, dir, cfg, st)
}

// requestRoundTrip submits a request, loads its outcomes, pulls and
// acknowledges the updates, and checks that the other company reads
// none of it.
func requestRoundTrip(t *testing.T, dir string, cfg config.Config, st store.Store) {
	r := startServer(t, cfg, st, testLogger(t))

	status, body := r.submitA01(t, tokenAcme, "CASE-1")
	require.Equal(t, http.StatusCreated, status, "%s", body)
	var sent store.DistributorRequest
	require.NoError(t, json.Unmarshal(body, &sent))
	assert.Equal(t, distributor.StateSent, sent.State)
	assert.Equal(t, "test-reti/A01", sent.File.Folder)
	assert.Equal(t, int64(1), sent.File.Seq)
	assert.False(t, sent.Deadline.IsZero(), "deadline")

	// The request file is in the outbox, valid, with no temporary file left.
	folder := filepath.Join(dir, "acme", "outbox", "test-reti", "A01")
	entries, err := os.ReadDir(folder)
	require.NoError(t, err)
	require.Len(t, entries, 1)
	assert.Equal(t, sent.File.Name, entries[0].Name())
	validateRequestXSD(t, filepath.Join(folder, sent.File.Name), filepath.Join("A", "A01_0050.xsd"))

	// The same case number again is a conflict and writes nothing.
	status, body = r.submitA01(t, tokenAcme, "CASE-1")
	assert.Equal(t, http.StatusConflict, status, "%s", body)
	entries, err = os.ReadDir(folder)
	require.NoError(t, err)
	assert.Len(t, entries, 1)

	// Outcomes move the request to admissible, then done.
	inbox := filepath.Join(dir, "acme", "outcomes")
	writeOutcome(t, inbox, "adm.xml", "CASE-1", distributor.PhaseAdmissibility, distributor.ResultPositive)
	r.scan(t, tokenAcme)
	var got store.DistributorRequest
	r.getJSON(t, "/api/v1/requests/CASE-1", tokenAcme, &got)
	assert.Equal(t, distributor.StateAdmissible, got.State)
	assert.Equal(t, "ED-CASE-1", got.DistributorCase)

	writeOutcome(t, inbox, "final.xml", "CASE-1", distributor.PhaseOutcome, distributor.ResultPositive)
	writeOutcome(t, inbox, "stray.xml", "CASE-404", distributor.PhaseOutcome, distributor.ResultPositive)
	rep := r.scan(t, tokenAcme)
	assert.Equal(t, 2, rep.Loaded)
	r.getJSON(t, "/api/v1/requests/CASE-1", tokenAcme, &got)
	assert.Equal(t, distributor.StateDone, got.State)
	require.Len(t, got.History, 3)

	// The outcome of an unknown case is in the load log and kept.
	var stray store.Load
	for _, f := range rep.Files {
		if filepath.Base(f.Path) == "stray.xml" {
			require.Len(t, f.Loads, 1)
			stray = f.Loads[0]
		}
	}
	assert.Equal(t, store.StatusLoadedWithAnomalies, stray.Status)
	var detail struct {
		Anomalies []struct {
			Code  string `json:"code"`
			Value string `json:"value"`
		} `json:"anomalies"`
	}
	r.getJSON(t, "/api/v1/loads/"+strconv.FormatInt(int64(stray.ID), 10), tokenAcme, &detail)
	require.Len(t, detail.Anomalies, 1)
	assert.Equal(t, distributor.CodeUnknownCase, detail.Anomalies[0].Code)
	assert.Equal(t, "CASE-404", detail.Anomalies[0].Value)
	var unmatched struct {
		Items []store.StoredOutcome `json:"items"`
	}
	r.getJSON(t, "/api/v1/requests/outcomes?unmatched=true", tokenAcme, &unmatched)
	require.Len(t, unmatched.Items, 1)
	assert.Equal(t, "CASE-404", unmatched.Items[0].CaseNumber)

	// Billing pulls the three updates, acknowledges them, and gets none again.
	var page updatesPage
	r.getJSON(t, "/api/v1/requests/updates?after=0", tokenAcme, &page)
	require.Len(t, page.Items, 3)
	assert.Equal(t, distributor.EventSend, page.Items[0].Event)
	assert.Equal(t, distributor.StateAdmissible, page.Items[1].To)
	assert.Equal(t, distributor.StateDone, page.Items[2].To)
	seqs := []int64{page.Items[0].Seq, page.Items[1].Seq, page.Items[2].Seq}
	status, body = r.send(t, http.MethodPost, "/api/v1/requests/updates/ack", tokenAcme, map[string]any{"seqs": seqs})
	require.Equal(t, http.StatusOK, status, "%s", body)
	var acks struct {
		Results []store.AckResult `json:"results"`
	}
	require.NoError(t, json.Unmarshal(body, &acks))
	for _, a := range acks.Results {
		assert.Equal(t, store.AckOK, a.Outcome, "seq %d", a.Seq)
	}
	r.getJSON(t, "/api/v1/requests/updates?after=0", tokenAcme, &page)
	assert.Empty(t, page.Items, "acknowledged updates returned again")

	// The other company reads none of it.
	status, _, _ = r.call(t, http.MethodGet, "/api/v1/requests/CASE-1", tokenOther)
	assert.Equal(t, http.StatusNotFound, status)
	r.getJSON(t, "/api/v1/requests/updates?after=0", tokenOther, &page)
	assert.Empty(t, page.Items)
	var list struct {
		Total int `json:"total"`
	}
	r.getJSON(t, "/api/v1/requests", tokenOther, &list)
	assert.Zero(t, list.Total)
}

func TestRequestRejections(t *testing.T) {
	dir := t.TempDir()
	cfg := requestsConfig(t, dir)
	st := openSQLite(t, cfg)
	r := startServer(t, cfg, st, testLogger(t))

	// A name used before, such as an upload made by hand, is refused.
	status, body := r.submitA01(t, tokenAcme, "CASE-1")
	require.Equal(t, http.StatusCreated, status, "%s", body)
	var first store.DistributorRequest
	require.NoError(t, json.Unmarshal(body, &first))
	acme, err := st.CompanyByCode(context.Background(), "acme")
	require.NoError(t, err)
	next := first.File.Name[:len(first.File.Name)-len("0001.xml")] + "0002.xml"
	require.NoError(t, st.ReserveFileName(context.Background(), acme.ID, "test-reti", next))
	status, body = r.submitA01(t, tokenAcme, "CASE-2")
	assert.Equal(t, http.StatusConflict, status, "%s", body)
	assert.Contains(t, string(body), "already used")
	status, _, _ = r.call(t, http.MethodGet, "/api/v1/requests/CASE-2", tokenAcme)
	assert.Equal(t, http.StatusNotFound, status)

	// An invalid request lists its anomalies.
	bad := a01Request(t, "CASE-3")
	delete(bad["technical"].(map[string]any), "pod")
	status, body = r.send(t, http.MethodPost, "/api/v1/requests", tokenAcme, map[string]any{"profile": "test-reti", "request": bad})
	assert.Equal(t, http.StatusUnprocessableEntity, status, "%s", body)
	assert.Contains(t, string(body), "cod_pod")

	// An unknown state filter is a bad request.
	status, _, _ = r.call(t, http.MethodGet, "/api/v1/requests?state=lost", tokenAcme)
	assert.Equal(t, http.StatusBadRequest, status)
	var sentOnly struct {
		Total int `json:"total"`
	}
	r.getJSON(t, "/api/v1/requests?state=sent", tokenAcme, &sentOnly)
	assert.Equal(t, 1, sentOnly.Total)

	// An unknown profile is a bad request.
	status, body = r.send(t, http.MethodPost, "/api/v1/requests", tokenAcme, map[string]any{"profile": "nope", "request": a01Request(t, "CASE-4")})
	assert.Equal(t, http.StatusBadRequest, status, "%s", body)

	// After the deadline the request expires, and billing gets the update.
	r.srv.requests.Now = func() time.Time { return first.Deadline.Add(time.Second) }
	n, err := r.srv.requests.Expire(context.Background())
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	var got store.DistributorRequest
	r.getJSON(t, "/api/v1/requests/CASE-1", tokenAcme, &got)
	assert.Equal(t, distributor.StateExpired, got.State)
	var page updatesPage
	r.getJSON(t, "/api/v1/requests/updates?after=0", tokenAcme, &page)
	require.Len(t, page.Items, 2)
	assert.Equal(t, distributor.EventExpire, page.Items[1].Event)
}

// loadOf returns the load of the scanned file with the given name.
func loadOf(t *testing.T, rep scanReport, name string) store.Load {
	t.Helper()
	for _, f := range rep.Files {
		if filepath.Base(f.Path) == name {
			require.Len(t, f.Loads, 1, name)
			return f.Loads[0]
		}
	}
	t.Fatalf("%s not in the scan report", name)
	return store.Load{}
}

// anomalyRules returns the rules of a load's anomalies.
func (r *running) anomalyRules(t *testing.T, token string, id store.LoadID) []string {
	t.Helper()
	var detail struct {
		Anomalies []struct {
			Rule  string `json:"rule"`
			Level string `json:"level"`
		} `json:"anomalies"`
	}
	r.getJSON(t, "/api/v1/loads/"+strconv.FormatInt(int64(id), 10), token, &detail)
	var rules []string
	for _, a := range detail.Anomalies {
		rules = append(rules, a.Rule+"/"+a.Level)
	}
	return rules
}

func TestRequestBadOutcomeFiles(t *testing.T) {
	dir := t.TempDir()
	cfg := requestsConfig(t, dir)
	cfg.Companies[0].VAT = "01234567897"
	st := openSQLite(t, cfg)
	r := startServer(t, cfg, st, testLogger(t))
	status, body := r.submitA01(t, tokenAcme, "CASE-1")
	require.Equal(t, http.StatusCreated, status, "%s", body)
	inbox := filepath.Join(dir, "acme", "outcomes")

	// A file with no readable outcome is rejected.
	writeFile(t, inbox, "broken.xml", []byte("<Prestazione cod_servizio=\"A01\"><oops></Prestazione>"))
	// A syntax error after one outcome keeps that outcome.
	adm := outcomeXML(t, "01234567897", "CASE-1", distributor.PhaseAdmissibility, distributor.ResultPositive)
	adm = bytes.TrimPrefix(adm, []byte(`<?xml version="1.0" encoding="UTF-8"?>`))
	writeFile(t, inbox, "partial.xml", append(append([]byte("<Esiti>"), adm...), []byte("<Prestazione><x></Esiti>")...))
	// An outcome for another seller moves nothing.
	writeFile(t, inbox, "foreign.xml", outcomeXML(t, "99999999999", "CASE-1", distributor.PhaseOutcome, distributor.ResultPositive))
	rep := r.scan(t, tokenAcme)

	broken := loadOf(t, rep, "broken.xml")
	assert.Equal(t, store.StatusRejected, broken.Status)
	assert.Equal(t, []string{"unreadable/file"}, r.anomalyRules(t, tokenAcme, broken.ID))

	partial := loadOf(t, rep, "partial.xml")
	assert.Equal(t, store.StatusLoadedWithAnomalies, partial.Status)
	assert.Equal(t, []string{"unreadable/record"}, r.anomalyRules(t, tokenAcme, partial.ID))

	foreign := loadOf(t, rep, "foreign.xml")
	assert.Equal(t, store.StatusLoadedWithAnomalies, foreign.Status)
	assert.Equal(t, []string{"other-company/record"}, r.anomalyRules(t, tokenAcme, foreign.ID))

	var got store.DistributorRequest
	r.getJSON(t, "/api/v1/requests/CASE-1", tokenAcme, &got)
	assert.Equal(t, distributor.StateAdmissible, got.State)
	require.Len(t, got.History, 2)
}
