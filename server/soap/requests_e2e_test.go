package soap_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	gowsdl "github.com/hooklift/gowsdl/soap"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/distributor"
	"github.com/bludispatcher/dispatcher/server"
	"github.com/bludispatcher/dispatcher/server/config"
	"github.com/bludispatcher/dispatcher/server/soap/client"
	"github.com/bludispatcher/dispatcher/server/store"
	"github.com/bludispatcher/dispatcher/server/store/sqlite"
)

// requestsProfile is a distributor profile for these tests: plain XML
// files, one folder per service, a 10-day deadline.
const requestsProfile = `{
  "id": "test-reti", "name": "Test Reti", "source": "test fixture", "verified": false,
  "format": "xml", "file_name": "{seller_vat}_{service}_{flow}_{date}_{seq:4}.xml",
  "folder": "{profile}/{service}", "deadline_days": {"*": 10}
}`

// Tokens of the two companies of requestsEnv.
const (
	tokenAcme = "acme-requests-token"
	tokenBeta = "beta-requests-token"
)

// requestsEnv is a whole server, with inbox scanning and requests to
// distributors, running on a loopback port, and its two companies.
type requestsEnv struct {
	srv      *server.Server
	store    store.Store
	url      string
	dir      string
	acme     store.CompanyID
	beta     store.CompanyID
	messages *recorder
}

func newRequestsEnv(t *testing.T) *requestsEnv {
	t.Helper()
	dir := t.TempDir()
	profile := filepath.Join(dir, "test-reti.json")
	require.NoError(t, os.WriteFile(profile, []byte(requestsProfile), 0o600))
	cfg := config.Default()
	cfg.Listen = "127.0.0.1:0"
	cfg.Store = "sqlite:" + filepath.Join(dir, "dispatcher.db")
	cfg.PollInterval = config.Duration(time.Hour)
	cfg.Settle = config.Duration(20 * time.Millisecond)
	for code, token := range map[string]string{"acme": tokenAcme, "beta": tokenBeta} {
		cfg.Companies = append(cfg.Companies, config.Company{
			ID: code, Name: "Company " + code,
			Inboxes: map[string][]string{
				config.KindFlows:    {filepath.Join(dir, code, "inbox")},
				config.KindOutcomes: {filepath.Join(dir, code, "outcomes")},
			},
			Archive:      filepath.Join(dir, code, "archive"),
			Tokens:       []string{token},
			Distributors: &config.Distributors{ProfileFiles: []string{profile}, Outbox: filepath.Join(dir, code, "outbox")},
		})
	}

	ctx, cancel := context.WithCancel(context.Background())
	st, err := sqlite.Open(ctx, filepath.Join(dir, "dispatcher.db"))
	require.NoError(t, err)
	srv, err := server.New(ctx, cfg, st, slog.New(slog.NewTextHandler(io.Discard, nil)))
	require.NoError(t, err)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	done := make(chan error, 1)
	go func() { done <- srv.Run(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			assert.NoError(t, err)
		case <-time.After(30 * time.Second):
			t.Error("server did not stop within 30s")
		}
		st.Close()
	})

	e := &requestsEnv{srv: srv, store: st, url: "http://" + ln.Addr().String() + server.SOAPPath, dir: dir,
		messages: &recorder{}}
	acme, err := st.CompanyByCode(ctx, "acme")
	require.NoError(t, err)
	beta, err := st.CompanyByCode(ctx, "beta")
	require.NoError(t, err)
	e.acme, e.beta = acme.ID, beta.ID
	return e
}

// port returns a generated client that authenticates with token through
// a WS-Security UsernameToken and records every message.
func (e *requestsEnv) port(token string) client.DispatcherPort {
	c := gowsdl.NewClient(e.url, gowsdl.WithHTTPClient(&http.Client{Transport: e.messages}))
	c.AddHeader(gowsdl.NewWSSSecurityHeader("billing", token, "", ""))
	return client.NewDispatcherPort(c)
}

// scan loads the files in the company's inboxes.
func (e *requestsEnv) scan(t *testing.T, co store.CompanyID) {
	t.Helper()
	rep, err := e.srv.ScanNow(context.Background(), co)
	require.NoError(t, err)
	assert.Zero(t, rep.Failed)
}

// writeOutcome writes an A01 outcome file into the company's outcome
// inbox.
func (e *requestsEnv) writeOutcome(t *testing.T, company, name, caseNumber string, phase distributor.Phase, res distributor.Result) {
	t.Helper()
	o := &distributor.Outcome{Service: "A01", Phase: phase, Result: res, IDs: distributor.Identifiers{
		SellerVAT: "01234567897", DistributorVAT: "12345678903", CaseNumber: caseNumber, DistributorCase: "TR-" + caseNumber}}
	if res == distributor.ResultNegative {
		o.Reasons = []distributor.Reason{{Code: "R01", Description: "supply point not found"}}
	}
	var buf bytes.Buffer
	require.NoError(t, distributor.EncodeOutcomeXML(&buf, o, nil))
	inbox := filepath.Join(e.dir, company, "outcomes")
	require.NoError(t, os.MkdirAll(inbox, 0o750))
	require.NoError(t, os.WriteFile(filepath.Join(inbox, name), buf.Bytes(), 0o600))
}

// a01 returns the activation of distributor/testdata/requests/A01.json
// as a SOAP request, with the given case number.
func a01(caseNumber string) *client.DistributorRequest {
	si, no := client.FlagSI, client.FlagNO
	milano := func(toponym, street, number, postCode string) *client.PostalAddress {
		return &client.PostalAddress{Toponym: text(toponym), Street: text(street), Number: code(number),
			PostCode: code(postCode), Istat: code("015146"), Municipality: text("Milano"), Province: code("MI")}
	}
	customerAddress := milano("VIA", "Roma", "10", "20121")
	customerAddress.Country = code("IT")
	billingAddress := milano("PIAZZA", "Duomo", "1", "20122")
	billingAddress.Country = code("IT")
	power := client.DecimalText("4,5")
	return &client.DistributorRequest{
		Service: code("A01"),
		Identifiers: &client.RequestIdentifiers{SellerVat: code("01234567897"), DistributorVat: code("12345678903"),
			CaseNumber: code(caseNumber), DispatchingContract: code("DC0001"), ReceivedOn: xsdDate(2026, 11, 30)},
		Customer: &client.RequestCustomer{Resident: &si, Surname: text("Rossi"), Name: text("Mario"),
			FiscalCode: code("RSSMRA80A01H501U"), Phone: code("3331234567"), SafeguardRight: &no,
			Address: customerAddress, SeparateBilling: &si, BillingSurname: text("Bianchi"),
			BillingName: text("Giovanna"), BillingAddress: billingAddress},
		Supply: milano("VIA", "Roma", "10", "20121"),
		Technical: &client.TechnicalData{Pod: code("IT001E12345678"), ContractPowerKw: &power, Voltage: code("230"),
			Market: code("LIBERO"), Use: code("D"), Phase: code("M"), Interruptible: &no, MedicalEquipment: &no,
			Category: text("ABITAZIONE")},
		Note: text("activation after a new contract"),
	}
}

func submit(port client.DispatcherPort, profile string, req *client.DistributorRequest) (*client.SubmitDistributorRequestResponse, error) {
	return port.SubmitDistributorRequest(&client.SubmitDistributorRequestRequest{Profile: code(profile), Request: req})
}

func updateSeqs(ups []*client.RequestUpdate) []int64 {
	out := make([]int64, len(ups))
	for i, u := range ups {
		out[i] = u.Sequence
	}
	return out
}

// validateDistributorXSD validates a request file with xmllint against
// the XSD of its flow in the distributor package's test data.
func validateDistributorXSD(t *testing.T, file, schema string) {
	t.Helper()
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("xmllint is required to validate request files (Debian package libxml2-utils): %v", err)
		}
		t.Skipf("xmllint not installed (Debian package libxml2-utils); request file not validated")
	}
	xsd := filepath.Join("..", "..", "distributor", "testdata", "xsd", schema)
	out, err := exec.Command(xmllint, "--noout", "--nonet", "--schema", xsd, file).CombinedOutput()
	require.NoError(t, err, "%s", out)
}

func TestDistributorRequestRoundTrip(t *testing.T) {
	e := newRequestsEnv(t)
	ctx := context.Background()
	acme := e.port(tokenAcme)

	sent, err := submit(acme, "test-reti", a01("CASE-1"))
	require.NoError(t, err)
	assert.Equal(t, "CASE-1", sent.CaseNumber)
	assert.Equal(t, "A01", sent.Service)
	assert.Equal(t, "test-reti", sent.Profile)
	assert.Equal(t, "IT001E12345678", sent.Pod)
	assert.Equal(t, client.RequestStateSent, *sent.State)
	require.NotNil(t, sent.File)
	assert.Equal(t, "test-reti/A01", sent.File.Folder)
	assert.Equal(t, int64(1), sent.File.Sequence)
	assert.False(t, sent.Deadline.ToGoTime().IsZero(), "deadline")
	assert.False(t, sent.CreatedAt.ToGoTime().IsZero(), "created at")

	// The file is in the company's outbox and valid against the flow's XSD.
	folder := filepath.Join(e.dir, "acme", "outbox", "test-reti", "A01")
	entries, err := os.ReadDir(folder)
	require.NoError(t, err)
	require.Len(t, entries, 1)
	assert.Equal(t, sent.File.Name, entries[0].Name())
	validateDistributorXSD(t, filepath.Join(folder, sent.File.Name), filepath.Join("A", "A01_0050.xsd"))

	// The stored request equals the same request submitted as JSON.
	f, err := os.Open(filepath.Join("..", "..", "distributor", "testdata", "requests", "A01.json"))
	require.NoError(t, err)
	want, err := distributor.DecodeRequestJSON(f)
	f.Close()
	require.NoError(t, err)
	want.IDs.CaseNumber = "CASE-1"
	stored, err := e.store.Request(ctx, e.acme, "CASE-1")
	require.NoError(t, err)
	assert.Empty(t, cmp.Diff(want, stored.Request, cmp.Comparer(func(a, b decimal.Decimal) bool { return a.Equal(b) })))

	// Outcomes dropped into the inbox move the request to admissible, then done.
	e.writeOutcome(t, "acme", "adm.xml", "CASE-1", distributor.PhaseAdmissibility, distributor.ResultPositive)
	e.scan(t, e.acme)
	e.writeOutcome(t, "acme", "final.xml", "CASE-1", distributor.PhaseOutcome, distributor.ResultPositive)
	e.scan(t, e.acme)
	stored, err = e.store.Request(ctx, e.acme, "CASE-1")
	require.NoError(t, err)
	assert.Equal(t, distributor.StateDone, stored.State)

	// Billing pulls the three updates in two pages.
	first, err := acme.PullRequestUpdates(&client.PullRequestUpdatesRequest{Limit: 2})
	require.NoError(t, err)
	require.Len(t, first.Update, 2)
	assert.Equal(t, first.Update[1].Sequence, first.Next)
	rest, err := acme.PullRequestUpdates(&client.PullRequestUpdatesRequest{AfterSequence: first.Next})
	require.NoError(t, err)
	require.Len(t, rest.Update, 1)
	ups := append(first.Update, rest.Update...)

	send, adm, done := ups[0], ups[1], ups[2]
	assert.Equal(t, client.RequestEventSend, *send.Event)
	assert.Equal(t, client.RequestStateDraft, *send.From)
	assert.Equal(t, client.RequestStateSent, *send.To)
	assert.Equal(t, sent.File.Name, send.File)
	assert.Zero(t, send.LoadId, "a submission has no load")
	assert.Equal(t, client.RequestStateAdmissible, *adm.To)
	assert.Equal(t, "TR-CASE-1", adm.DistributorCase)
	assert.NotZero(t, adm.LoadId, "an outcome names its load")
	assert.Equal(t, client.RequestEventDone, *done.Event)
	assert.Equal(t, client.RequestStateDone, *done.To)
	for _, u := range ups {
		assert.Equal(t, "CASE-1", u.CaseNumber)
		assert.Equal(t, "A01", u.Service)
		assert.Equal(t, "test-reti", u.Profile)
		assert.False(t, u.At.ToGoTime().IsZero(), "update %d has no time", u.Sequence)
	}

	// Acknowledged updates are not returned again, and a second
	// acknowledgement reports them as taken.
	ack, err := acme.AcknowledgeRequestUpdates(&client.AcknowledgeRequestUpdatesRequest{Sequence: updateSeqs(ups)})
	require.NoError(t, err)
	require.Len(t, ack.Result, 3)
	for _, r := range ack.Result {
		assert.Equal(t, client.AckOutcomeOk, *r.Outcome, "seq %d", r.Sequence)
	}
	none, err := acme.PullRequestUpdates(&client.PullRequestUpdatesRequest{})
	require.NoError(t, err)
	assert.Empty(t, none.Update, "acknowledged updates returned again")
	again, err := acme.AcknowledgeRequestUpdates(&client.AcknowledgeRequestUpdatesRequest{Sequence: updateSeqs(ups[:1])})
	require.NoError(t, err)
	assert.Equal(t, client.AckOutcomeAlready_taken, *again.Result[0].Outcome)

	// A later negative outcome of a second request is pulled with its reasons.
	_, err = submit(acme, "test-reti", a01("CASE-2"))
	require.NoError(t, err)
	e.writeOutcome(t, "acme", "rejected.xml", "CASE-2", distributor.PhaseAdmissibility, distributor.ResultNegative)
	e.scan(t, e.acme)
	later, err := acme.PullRequestUpdates(&client.PullRequestUpdatesRequest{})
	require.NoError(t, err)
	require.Len(t, later.Update, 2)
	assert.Equal(t, client.RequestStateRejected, *later.Update[1].To)
	assert.Contains(t, later.Update[1].Note, "supply point not found")

	e.messages.validate(t)
}

func TestDistributorRequestIsolation(t *testing.T) {
	e := newRequestsEnv(t)
	acme, beta := e.port(tokenAcme), e.port(tokenBeta)
	_, err := submit(acme, "test-reti", a01("CASE-1"))
	require.NoError(t, err)
	ups, err := acme.PullRequestUpdates(&client.PullRequestUpdatesRequest{})
	require.NoError(t, err)
	require.Len(t, ups.Update, 1)

	// Company beta pulls nothing and acknowledges nothing of company acme.
	none, err := beta.PullRequestUpdates(&client.PullRequestUpdatesRequest{})
	require.NoError(t, err)
	assert.Empty(t, none.Update)
	ack, err := beta.AcknowledgeRequestUpdates(&client.AcknowledgeRequestUpdatesRequest{Sequence: updateSeqs(ups.Update)})
	require.NoError(t, err)
	require.Len(t, ack.Result, 1)
	assert.Equal(t, client.AckOutcomeNot_found, *ack.Result[0].Outcome)
	still, err := acme.PullRequestUpdates(&client.PullRequestUpdatesRequest{})
	require.NoError(t, err)
	assert.Equal(t, updateSeqs(ups.Update), updateSeqs(still.Update), "company acme's updates stay pending")

	// Company beta's outcome for acme's case number moves nothing of acme's.
	e.writeOutcome(t, "beta", "adm.xml", "CASE-1", distributor.PhaseAdmissibility, distributor.ResultPositive)
	e.scan(t, e.beta)
	got, err := e.store.Request(context.Background(), e.acme, "CASE-1")
	require.NoError(t, err)
	assert.Equal(t, distributor.StateSent, got.State)
	none, err = beta.PullRequestUpdates(&client.PullRequestUpdatesRequest{})
	require.NoError(t, err)
	assert.Empty(t, none.Update)

	// The same case number is free for company beta, in beta's own outbox.
	sent, err := submit(beta, "test-reti", a01("CASE-1"))
	require.NoError(t, err)
	_, err = os.Stat(filepath.Join(e.dir, "beta", "outbox", filepath.FromSlash(sent.File.Folder), sent.File.Name))
	assert.NoError(t, err)

	e.messages.validate(t)
}

// invalidDetail is InvalidRequestDetail as a client reads it.
type invalidDetail struct {
	Element string `xml:"Element"`
	Value   string `xml:"Value"`
	Message string `xml:"Message"`
	Anomaly []struct {
		Code     string `xml:"Code"`
		Rule     string `xml:"Rule"`
		Severity string `xml:"Severity"`
		Field    string `xml:"Field"`
		Value    string `xml:"Value"`
		Message  string `xml:"Message"`
	} `xml:"Anomaly"`
}

func TestSubmitInvalidRequestFault(t *testing.T) {
	e := newRequestsEnv(t)
	req := a01("CASE-1")
	req.Technical.Pod = code("IT001X12345678")
	req.Supply.Istat = code("15146")

	_, err := submit(e.port(tokenAcme), "test-reti", req)
	var he *gowsdl.HTTPError
	require.ErrorAs(t, err, &he)
	assert.Equal(t, http.StatusInternalServerError, he.StatusCode)
	var env struct {
		Fault struct {
			Code   string        `xml:"faultcode"`
			String string        `xml:"faultstring"`
			Detail invalidDetail `xml:"detail>InvalidRequestDetail"`
		} `xml:"Body>Fault"`
	}
	require.NoError(t, xml.Unmarshal(he.ResponseBody, &env), "%s", he.ResponseBody)
	assert.Equal(t, "soapenv:Client", env.Fault.Code)
	assert.Contains(t, env.Fault.String, "invalid request")
	d := env.Fault.Detail
	require.Len(t, d.Anomaly, 2)
	assert.Equal(t, d.Anomaly[0].Field, d.Element, "the detail names the first blocking anomaly")
	assert.Equal(t, d.Anomaly[0].Value, d.Value)
	assert.Equal(t, d.Anomaly[0].Message, d.Message)

	fields := map[string]string{}
	for _, a := range d.Anomaly {
		assert.Equal(t, distributor.CodeInvalid, a.Code, "%s", a.Field)
		assert.Equal(t, "request", a.Rule)
		assert.Equal(t, "blocking", a.Severity)
		assert.NotEmpty(t, a.Message)
		fields[a.Field] = a.Value
	}
	assert.Equal(t, "IT001X12345678", fields["DatiTecnici/cod_pod"])
	assert.Equal(t, "15146", fields["Fornitura/UbicazionePod/istat"])

	// Nothing was written or stored.
	_, err = os.Stat(filepath.Join(e.dir, "acme", "outbox"))
	assert.True(t, os.IsNotExist(err), "outbox created for an invalid request")
	_, err = e.store.Request(context.Background(), e.acme, "CASE-1")
	assert.ErrorIs(t, err, store.ErrNotFound)

	e.messages.validate(t)
}

func TestSubmitRequestFaults(t *testing.T) {
	e := newRequestsEnv(t)
	acme := e.port(tokenAcme)
	_, err := submit(acme, "test-reti", a01("CASE-1"))
	require.NoError(t, err)
	ctx := context.Background()

	unknownService := a01("CASE-3")
	unknownService.Service = code("Z99")
	twice := a01("CASE-5")
	twice.Extra = []*client.NameValue{{Name: "x", Value: "1"}, {Name: "x", Value: "2"}}

	tests := []struct {
		name    string
		profile string
		req     *client.DistributorRequest
		element string
		value   string
	}{
		{"unknown profile", "nope", a01("CASE-2"), "Profile", "nope"},
		{"case number used", "test-reti", a01("CASE-1"), "CaseNumber", "CASE-1"},
		{"unknown service", "test-reti", unknownService, "Service", "Z99"},
		{"extra name twice", "test-reti", twice, "Extra", "x"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := submit(acme, tc.profile, tc.req)
			c, d := faultOf(t, err)
			assert.Equal(t, "soapenv:Client", c)
			assert.Equal(t, tc.element, d.Element)
			assert.Equal(t, tc.value, d.Value)
			assert.NotEmpty(t, d.Message)
		})
	}

	// A file name used before, such as an upload made by hand, is a
	// FileName fault, and the request is not stored.
	first, err := e.store.Request(ctx, e.acme, "CASE-1")
	require.NoError(t, err)
	next := first.File.Name[:len(first.File.Name)-len("0001.xml")] + "0002.xml"
	require.NoError(t, e.store.ReserveFileName(ctx, e.acme, "test-reti", next))
	_, err = submit(acme, "test-reti", a01("CASE-6"))
	_, d := faultOf(t, err)
	assert.Equal(t, "FileName", d.Element)
	assert.Contains(t, d.Message, "already used")
	_, err = e.store.Request(ctx, e.acme, "CASE-6")
	assert.ErrorIs(t, err, store.ErrNotFound)

	e.messages.validate(t)
}

func TestRequestUpdatesBadInput(t *testing.T) {
	e := newRequestsEnv(t)
	acme := e.port(tokenAcme)
	tests := []struct {
		name    string
		call    func() error
		element string
		value   string
	}{
		{"negative after", func() error {
			_, err := acme.PullRequestUpdates(&client.PullRequestUpdatesRequest{AfterSequence: -1})
			return err
		}, "AfterSequence", "-1"},
		{"limit above maximum", func() error {
			_, err := acme.PullRequestUpdates(&client.PullRequestUpdatesRequest{Limit: 5000})
			return err
		}, "Limit", "5000"},
		{"non-positive sequence", func() error {
			_, err := acme.AcknowledgeRequestUpdates(&client.AcknowledgeRequestUpdatesRequest{Sequence: []int64{3, -2}})
			return err
		}, "Sequence", "-2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, d := faultOf(t, tc.call())
			assert.Equal(t, "soapenv:Client", c)
			assert.Equal(t, tc.element, d.Element)
			assert.Equal(t, tc.value, d.Value)
		})
	}
	e.messages.validate(t)
}

// TestSubmitDecimalNotValid sends a power that the schema rejects, so its
// messages are not validated with xmllint.
func TestSubmitDecimalNotValid(t *testing.T) {
	e := newRequestsEnv(t)
	c := gowsdl.NewClient(e.url)
	c.AddHeader(gowsdl.NewWSSSecurityHeader("billing", tokenAcme, "", ""))
	req := a01("CASE-1")
	power := client.DecimalText("4,5,0")
	req.Technical.ContractPowerKw = &power
	_, err := submit(client.NewDispatcherPort(c), "test-reti", req)
	code, d := faultOf(t, err)
	assert.Equal(t, "soapenv:Client", code)
	assert.Equal(t, "ContractPowerKw", d.Element)
	assert.Equal(t, "4,5,0", d.Value)
}

func TestSubmitWithoutRequestsService(t *testing.T) {
	e := newEnv(t)
	_, err := submit(e.portA(), "test-reti", a01("CASE-1"))
	c, d := faultOf(t, err)
	assert.Equal(t, "soapenv:Client", c)
	assert.Equal(t, "Profile", d.Element)
	assert.Contains(t, d.Message, "not configured")
	e.messages.validate(t)
}
