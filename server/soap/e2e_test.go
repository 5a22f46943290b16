package soap_test

import (
	"context"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	gowsdl "github.com/hooklift/gowsdl/soap"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/flows"
	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/server/soap/client"
	"github.com/bludispatcher/dispatcher/server/store"
	"github.com/bludispatcher/dispatcher/server/store/storetest"
)

var jan2026 = civil.Month{Year: 2026, Month: time.January}

func code(s string) *client.Code { return (*client.Code)(&s) }
func text(s string) *client.Text { return (*client.Text)(&s) }
func op(s string) *client.Operation {
	o := client.Operation(s)
	return &o
}

func xsdDate(y int, m time.Month, d int) gowsdl.XSDDate {
	return gowsdl.CreateXsdDate(time.Date(y, m, d, 0, 0, 0, 0, time.UTC), false)
}

// registryBatch creates the company details, a customer, a site and two
// supply points, one of them with an invalid POD.
func registryBatch() *client.UpdateRegistryRequest {
	electricity := client.CommodityElectricity
	from := xsdDate(2025, 1, 1)
	return &client.UpdateRegistryRequest{
		Company: &client.CompanyItem{ItemId: code("1"), Operation: op("create"), Code: code("acme"),
			Name: text("Acme Energia SpA"), VatNumber: code("01234567890"), ValidFrom: from},
		Customer: []*client.CustomerItem{{ItemId: code("2"), Operation: op("create"), Code: code("C1"),
			Name: text("Rossi SpA"), TaxCode: code("RSSMRA80A01F205X"), ValidFrom: from}},
		Site: []*client.SiteItem{{ItemId: code("3"), Operation: op("create"), Code: code("S1"),
			CustomerCode: code("C1"), Name: text("Sede Milano"), Municipality: text("Milano"), ValidFrom: from}},
		SupplyPoint: []*client.SupplyPointItem{
			{ItemId: code("4"), Operation: op("create"), Code: code(storetest.POD(1)), Commodity: &electricity,
				SiteCode: code("S1"), DistributorVat: code("09876543210"), BillingContractKey: code("CT-1"), ValidFrom: from},
			{ItemId: code("5"), Operation: op("create"), Code: code("IT001X00000002"), Commodity: &electricity,
				SiteCode: code("S1"), ValidFrom: from},
		},
	}
}

func TestRegistryBatch(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	l := e.load(t, e.a, "pdo.xml", "PDO", 1, storetest.HourlyRecord(storetest.POD(1), jan2026, 1))

	resp, err := e.portA().UpdateRegistry(registryBatch())
	require.NoError(t, err)
	require.Len(t, resp.Result, 5)
	for _, r := range resp.Result[:4] {
		assert.Equal(t, client.ItemStatus("ok"), *r.Status, "item %s", r.ItemId)
		assert.Nil(t, r.Fault)
	}
	bad := resp.Result[4]
	assert.Equal(t, client.ItemStatus("error"), *bad.Status)
	assert.Equal(t, "supplyPoint", bad.Entity)
	require.NotNil(t, bad.Fault)
	assert.Equal(t, "5", bad.Fault.Item)
	assert.Equal(t, "Code", bad.Fault.Element)
	assert.Equal(t, "IT001X00000002", bad.Fault.Value)

	rows, total, err := e.store.SearchRecords(ctx, store.RecordFilter{Company: e.a, Site: "S1"})
	require.NoError(t, err)
	assert.Equal(t, 1, total, "search by site finds the loaded record")
	require.Len(t, rows, 1)
	assert.Equal(t, l.ID, rows[0].Load)

	// A second create of the same customer fails; an update and a close pass.
	again, err := e.portA().UpdateRegistry(&client.UpdateRegistryRequest{Customer: []*client.CustomerItem{
		{ItemId: code("a"), Operation: op("create"), Code: code("C1"), Name: text("x"), ValidFrom: xsdDate(2025, 1, 1)},
		{ItemId: code("b"), Operation: op("update"), Code: code("C1"), Name: text("Rossi e Figli SpA")},
		{ItemId: code("c"), Operation: op("close"), Code: code("C1"), ValidTo: xsdDate(2026, 6, 30)},
		{ItemId: code("d"), Operation: op("close"), Code: code("C1")},
	}})
	require.NoError(t, err)
	require.Len(t, again.Result, 4)
	assert.Equal(t, "Code", again.Result[0].Fault.Element)
	assert.Equal(t, "C1", again.Result[0].Fault.Value)
	assert.Equal(t, client.ItemStatus("ok"), *again.Result[1].Status)
	assert.Equal(t, client.ItemStatus("ok"), *again.Result[2].Status)
	assert.Equal(t, "ValidTo", again.Result[3].Fault.Element)
	cust, err := e.store.Customer(ctx, e.a, "C1")
	require.NoError(t, err)
	assert.Equal(t, "Rossi e Figli SpA", cust.Name)
	assert.Equal(t, civil.Date{Year: 2026, Month: time.June, Day: 30}, cust.Validity.To)

	// Company b cannot write company a's details.
	other, err := e.portB().UpdateRegistry(&client.UpdateRegistryRequest{Company: &client.CompanyItem{
		ItemId: code("x"), Operation: op("update"), Code: code("acme"), Name: text("Hijack")}})
	require.NoError(t, err)
	assert.Equal(t, "Code", other.Result[0].Fault.Element)
	co, err := e.store.Company(ctx, e.a)
	require.NoError(t, err)
	assert.Equal(t, "Acme Energia SpA", co.Name)

	e.messages.validate(t)
}

func seqs(items []*client.ExportItem) []int64 {
	out := make([]int64, len(items))
	for i, it := range items {
		out[i] = it.Sequence
	}
	return out
}

func TestExportRoundTrip(t *testing.T) {
	e := newEnv(t)
	orig := e.load(t, e.a, "pdo.xml", "PDO", 1, storetest.HourlyRecord(storetest.POD(1), jan2026, 1),
		storetest.HourlyRecord(storetest.POD(2), jan2026, 2))
	port := e.portA()

	first, err := port.ListPendingExport(&client.ListPendingExportRequest{Limit: 4})
	require.NoError(t, err)
	require.Len(t, first.Item, 4)
	rest, err := port.ListPendingExport(&client.ListPendingExportRequest{AfterSequence: first.Item[3].Sequence})
	require.NoError(t, err)
	require.Len(t, rest.Item, 2, "curve, reading and technical data of two records")
	assert.Equal(t, int64(orig.ID), first.Item[0].LoadId)
	assert.Equal(t, client.ExportKindCurve, *first.Item[0].Kind)

	fetched, err := port.FetchExport(&client.FetchExportRequest{Sequence: seqs(first.Item)})
	require.NoError(t, err)
	require.Len(t, fetched.Entity, 4)
	curve := fetched.Entity[0]
	require.NotNil(t, curve.Item)
	assert.Len(t, curve.CurveDay, jan2026.Days())
	assert.Len(t, curve.CurveDay[0].Slot, 96)
	assert.Equal(t, "2026-01", curve.Record.Competence)
	require.NotEmpty(t, fetched.Entity[1].Reading)
	assert.NotEmpty(t, fetched.Entity[1].Reading[0].Register)

	ack, err := port.AcknowledgeExport(&client.AcknowledgeExportRequest{Sequence: seqs(first.Item)})
	require.NoError(t, err)
	for _, r := range ack.Result {
		assert.Equal(t, client.ExportOutcomeOk, *r.Outcome)
	}
	pending, err := port.ListPendingExport(&client.ListPendingExportRequest{})
	require.NoError(t, err)
	assert.Equal(t, seqs(rest.Item), seqs(pending.Item), "nothing is returned twice")

	re, err := port.Reexport(&client.ReexportRequest{Sequence: []int64{first.Item[0].Sequence}})
	require.NoError(t, err)
	assert.Equal(t, client.ExportOutcomeOk, *re.Result[0].Outcome)
	pending, err = port.ListPendingExport(&client.ListPendingExportRequest{})
	require.NoError(t, err)
	assert.Equal(t, append(seqs(rest.Item), first.Item[0].Sequence), seqs(pending.Item),
		"a re-exported item is listed after the pending ones")

	log, err := port.GetExportLog(&client.GetExportLogRequest{})
	require.NoError(t, err)
	assert.Equal(t, int32(5), log.Total)
	require.Len(t, log.Entry, 5)
	assert.Equal(t, "billing-a", log.Entry[0].Caller, "the caller is the user name of the token")
	assert.Equal(t, client.ExportActionReexport, *log.Entry[4].Action)
	assert.False(t, log.Entry[0].At.ToGoTime().IsZero())

	// A correction after the original was taken links to it.
	_, err = port.AcknowledgeExport(&client.AcknowledgeExportRequest{Sequence: seqs(pending.Item)})
	require.NoError(t, err)
	corr := storetest.HourlyRecord(storetest.POD(1), jan2026, 9)
	corr.CorrectionType, corr.DetectionDate, corr.Reason = v("P"), v("15/02/2026"), v("1")
	e.load(t, e.a, "rfo.xml", "RFO", 2, corr)
	pending, err = port.ListPendingExport(&client.ListPendingExportRequest{})
	require.NoError(t, err)
	require.Len(t, pending.Item, 1)
	assert.Equal(t, client.ExportKindCorrection, *pending.Item[0].Kind)
	fetched, err = port.FetchExport(&client.FetchExportRequest{Sequence: seqs(pending.Item)})
	require.NoError(t, err)
	rep := fetched.Entity[0].Replaces
	require.NotNil(t, rep)
	assert.Equal(t, int64(orig.ID), rep.LoadId)
	assert.Equal(t, first.Item[0].Sequence, rep.Sequence)
	assert.False(t, rep.TakenAt.ToGoTime().IsZero(), "the original was taken before")

	e.messages.validate(t)
}

// faultOf returns the fault of a failed call made by the generated
// client, which reports HTTP 500 as a *soap.HTTPError.
func faultOf(t *testing.T, err error) (code string, detail faultDetail) {
	t.Helper()
	var he *gowsdl.HTTPError
	require.True(t, errors.As(err, &he), "want an HTTP error, got %v", err)
	assert.Equal(t, http.StatusInternalServerError, he.StatusCode)
	return parseFault(t, he.ResponseBody)
}

type faultDetail struct {
	Item    string `xml:"Item"`
	Element string `xml:"Element"`
	Value   string `xml:"Value"`
	Message string `xml:"Message"`
}

func parseFault(t *testing.T, body []byte) (string, faultDetail) {
	t.Helper()
	var env struct {
		Fault struct {
			Code   string      `xml:"faultcode"`
			String string      `xml:"faultstring"`
			Detail faultDetail `xml:"detail>FaultDetail"`
		} `xml:"Body>Fault"`
	}
	require.NoError(t, xml.Unmarshal(body, &env), "%s", body)
	assert.NotEmpty(t, env.Fault.String)
	return env.Fault.Code, env.Fault.Detail
}

func TestFaultForBadInput(t *testing.T) {
	e := newEnv(t)
	_, err := e.portA().FetchExport(&client.FetchExportRequest{Sequence: []int64{-1}})
	c, d := faultOf(t, err)
	assert.Equal(t, "soapenv:Client", c)
	assert.Equal(t, "Sequence", d.Element)
	assert.Equal(t, "-1", d.Value)

	_, err = e.portA().ListPendingExport(&client.ListPendingExportRequest{Limit: 5000})
	c, d = faultOf(t, err)
	assert.Equal(t, "soapenv:Client", c)
	assert.Equal(t, "Limit", d.Element)
	assert.Equal(t, "5000", d.Value)

	e.messages.validate(t)
}

func TestIsolationBetweenCompanies(t *testing.T) {
	e := newEnv(t)
	l := e.load(t, e.a, "pdo.xml", "PDO", 1, storetest.HourlyRecord(storetest.POD(1), jan2026, 1))
	a, b := e.portA(), e.portB()
	items, err := a.ListPendingExport(&client.ListPendingExportRequest{})
	require.NoError(t, err)
	require.NotEmpty(t, items.Item)

	none, err := b.ListPendingExport(&client.ListPendingExportRequest{})
	require.NoError(t, err)
	assert.Empty(t, none.Item)
	fetched, err := b.FetchExport(&client.FetchExportRequest{Sequence: seqs(items.Item)})
	require.NoError(t, err)
	for _, ent := range fetched.Entity {
		assert.Nil(t, ent.Item, "company b reads nothing of company a")
	}
	ack, err := b.AcknowledgeExport(&client.AcknowledgeExportRequest{Sequence: seqs(items.Item)})
	require.NoError(t, err)
	for _, r := range ack.Result {
		assert.Equal(t, client.ExportOutcomeNot_found, *r.Outcome)
	}
	still, err := a.ListPendingExport(&client.ListPendingExportRequest{})
	require.NoError(t, err)
	assert.Equal(t, seqs(items.Item), seqs(still.Item), "company a's items stay pending")

	_, err = b.GetOriginal(&client.GetOriginalRequest{LoadId: int64(l.ID)})
	_, d := faultOf(t, err)
	assert.Equal(t, "LoadId", d.Element)
	loads, err := b.ListLoads(&client.ListLoadsRequest{})
	require.NoError(t, err)
	assert.Zero(t, loads.Total)

	e.messages.validate(t)
}

func TestLoadsAndOriginal(t *testing.T) {
	e := newEnv(t)
	l := e.load(t, e.a, "pdo.xml", "PDO", 1, storetest.HourlyRecord(storetest.POD(1), jan2026, 1))
	data, _ := storetest.Original(1, 200)
	port := e.portA()
	loads, err := port.ListLoads(&client.ListLoadsRequest{WithAnomalies: true})
	require.NoError(t, err)
	assert.Equal(t, int32(1), loads.Total)
	require.Len(t, loads.Load, 1)
	assert.Equal(t, int64(l.ID), loads.Load[0].LoadId)
	assert.Equal(t, client.LoadStatusLoaded, *loads.Load[0].Status)

	orig, err := port.GetOriginal(&client.GetOriginalRequest{LoadId: int64(l.ID)})
	require.NoError(t, err)
	content, err := base64.StdEncoding.DecodeString(string(orig.Content))
	require.NoError(t, err, "the generated client keeps base64Binary as its base64 text")
	assert.Equal(t, data, content)
	assert.Equal(t, l.SHA256, orig.Sha256)
	assert.Equal(t, "pdo.xml", orig.Name)

	e.messages.validate(t)
}

// post sends a raw body with company a's token and returns the response.
func (e *env) post(t *testing.T, body string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.url, strings.NewReader(body))
	require.NoError(t, err)
	req.SetBasicAuth("raw", e.tokenA)
	req.Header.Set("Content-Type", "text/xml; charset=utf-8")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, b
}

func TestEntityDeclarationRejected(t *testing.T) {
	e := newEnv(t)
	body := `<?xml version="1.0"?>
<!DOCTYPE e [<!ENTITY x "1">]>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>
<FetchExportRequest xmlns="urn:bludispatcher:dispatcher:v1"><Sequence>&x;</Sequence></FetchExportRequest>
</soapenv:Body></soapenv:Envelope>`
	resp, b := e.post(t, body)
	assert.Equal(t, http.StatusInternalServerError, resp.StatusCode)
	c, d := parseFault(t, b)
	assert.Equal(t, "soapenv:Client", c)
	assert.Equal(t, "Envelope", d.Element)
	assert.Contains(t, d.Message, "declarations are not accepted")
}

func TestRequestLimitsAndVersions(t *testing.T) {
	e := newEnv(t)
	big := `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>` +
		strings.Repeat(" ", 9<<20) + `</soapenv:Body></soapenv:Envelope>`
	resp, b := e.post(t, big)
	assert.Equal(t, http.StatusInternalServerError, resp.StatusCode)
	_, d := parseFault(t, b)
	assert.Contains(t, d.Message, "larger than")

	soap12 := `<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body>
<ListLoadsRequest xmlns="urn:bludispatcher:dispatcher:v1"/></env:Body></env:Envelope>`
	resp, b = e.post(t, soap12)
	assert.Equal(t, http.StatusInternalServerError, resp.StatusCode)
	c, _ := parseFault(t, b)
	assert.Equal(t, "soapenv:VersionMismatch", c)

	unknown := `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>
<DropTables xmlns="urn:bludispatcher:dispatcher:v1"/></soapenv:Body></soapenv:Envelope>`
	_, b = e.post(t, unknown)
	_, d = parseFault(t, b)
	assert.Equal(t, "Body", d.Element)
	assert.Contains(t, d.Value, "DropTables")
}

func TestCredentialsRequired(t *testing.T) {
	e := newEnv(t)
	c := gowsdl.NewClient(e.url, gowsdl.WithHTTPClient(&http.Client{Transport: e.messages}))
	_, err := client.NewDispatcherPort(c).ListLoads(&client.ListLoadsRequest{})
	code, d := faultOf(t, err)
	assert.Equal(t, "soapenv:Client", code)
	assert.Equal(t, "Security", d.Element)

	c = gowsdl.NewClient(e.url, gowsdl.WithHTTPClient(&http.Client{Transport: e.messages}))
	c.AddHeader(gowsdl.NewWSSSecurityHeader("x", "not-a-token", "", ""))
	_, err = client.NewDispatcherPort(c).ListLoads(&client.ListLoadsRequest{})
	_, d = faultOf(t, err)
	assert.Equal(t, "Password", d.Element)

	e.messages.validate(t)
}

func TestWSDLServed(t *testing.T) {
	e := newEnv(t)
	resp, err := http.Get(e.url + "?wsdl")
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, string(b), `<soap:address location="`+e.url+`"/>`)
	assert.Contains(t, string(b), "DispatcherPort")
}

func v(s string) flows.Value { return flows.V(s) }

func TestSwitchCompletedExported(t *testing.T) {
	e := newEnv(t)
	l := e.load(t, e.a, "snm.xml", "SNM", 3, storetest.HourlyRecord(storetest.POD(1), jan2026, 1))
	port := e.portA()
	items, err := port.ListPendingExport(&client.ListPendingExportRequest{})
	require.NoError(t, err)
	_, err = port.AcknowledgeExport(&client.AcknowledgeExportRequest{Sequence: seqs(items.Item)})
	require.NoError(t, err)

	err = e.store.QueueSwitchCompleted(context.Background(), store.Switch{Company: e.a, PracticeCode: "P1",
		POD: storetest.POD(1), Data: store.SwitchData{Reading: &store.SwitchReading{
			Record: store.RecordRef{Load: l.ID, Seq: 1}, FlowCode: "SNM"}}})
	require.NoError(t, err)
	kind := client.ExportKind("switch_completed")
	pending, err := port.ListPendingExport(&client.ListPendingExportRequest{Kind: []*client.ExportKind{&kind}})
	require.NoError(t, err)
	require.Len(t, pending.Item, 1)
	assert.Equal(t, kind, *pending.Item[0].Kind)
	fetched, err := port.FetchExport(&client.FetchExportRequest{Sequence: seqs(pending.Item)})
	require.NoError(t, err)
	require.NotNil(t, fetched.Entity[0].Item)
	assert.NotEmpty(t, fetched.Entity[0].Reading, "the entity carries the starting reading")

	e.messages.validate(t)
}
