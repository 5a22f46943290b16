package server

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	gowsdl "github.com/hooklift/gowsdl/soap"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/bludispatcher/dispatcher/flows"
	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/server/soap/client"
	"github.com/bludispatcher/dispatcher/server/store"
	"github.com/bludispatcher/dispatcher/server/workbook"
)

// workbookEnv is a running server where both companies loaded the PDO
// sample, each as a load of its own.
type workbookEnv struct {
	srv                 *running
	acme, other         store.CompanyID
	acmeLoad, otherLoad store.LoadID
	month               civil.Month
	acmePort, otherPort client.DispatcherPort
}

func newWorkbookEnv(t *testing.T) *workbookEnv {
	t.Helper()
	cfg := testConfig(t.TempDir())
	data, ok := samples(t)[samplePDO]
	require.True(t, ok, "sample %s is missing", samplePDO)
	for _, c := range cfg.Companies {
		put(t, filepath.Join(c.Inboxes["flows"][0], samplePDO), data)
	}
	st := openSQLite(t, cfg)
	srv := startServer(t, cfg, st, testLogger(t))
	require.Equal(t, 1, srv.scan(t, tokenAcme).Loaded)
	require.Equal(t, 1, srv.scan(t, tokenOther).Loaded)

	ctx := context.Background()
	e := &workbookEnv{srv: srv, month: civil.Month{Year: 2013, Month: 1}}
	for _, c := range []struct {
		code  string
		id    *store.CompanyID
		load  *store.LoadID
		port  *client.DispatcherPort
		token string
	}{
		{"acme", &e.acme, &e.acmeLoad, &e.acmePort, tokenAcme},
		{"other", &e.other, &e.otherLoad, &e.otherPort, tokenOther},
	} {
		co, err := st.CompanyByCode(ctx, c.code)
		require.NoError(t, err)
		*c.id = co.ID
		loads, _, err := st.ListLoads(ctx, store.LoadFilter{Company: co.ID})
		require.NoError(t, err)
		require.Len(t, loads, 1)
		*c.load = loads[0].ID
		*c.port = client.NewDispatcherPort(gowsdl.NewClient(srv.base+SOAPPath, gowsdl.WithBasicAuth("billing", c.token)))
	}
	require.NotEqual(t, e.acmeLoad, e.otherLoad)
	return e
}

// curveKey names one row of the Daily curve sheet.
type curveKey struct{ pod, kind, day string }

// curveCell is the quarter-hour count and total of one curve day.
type curveCell struct {
	count int
	total string
}

// storedCurve returns, from the store, the quarter-hour count and exact
// total of every curve day of the company's records in load.
func storedCurve(t *testing.T, st store.Store, company store.CompanyID, load store.LoadID) map[curveKey]curveCell {
	t.Helper()
	ctx := context.Background()
	rows, _, err := st.SearchRecords(ctx, store.RecordFilter{Company: company, Load: load, Page: store.Page{Limit: 1000}})
	require.NoError(t, err)
	require.NotEmpty(t, rows)

	pods := map[string]bool{}
	for _, r := range rows {
		pods[r.POD] = true
	}

	out := map[curveKey]curveCell{}
	all := store.DateRange{From: civil.Date{Year: 2000, Month: 1, Day: 1}, To: civil.Date{Year: 2100, Month: 1, Day: 1}}
	for pod := range pods {
		days, err := st.Curve(ctx, company, pod, all, false)
		require.NoError(t, err)
		for _, d := range days {
			if d.Load != load {
				continue
			}
			var c curveCell
			sum := decimal.Zero
			for _, s := range d.Slots {
				if !s.Set {
					continue
				}
				v, err := flows.V(s.Text).Decimal()
				require.NoError(t, err, "slot %d of %s %s", s.N, d.POD, d.Day)
				c.count++
				sum = sum.Add(v)
			}
			c.total = sum.String()
			out[curveKey{d.POD, d.KindName, d.Day.String()}] = c
		}
	}
	require.NotEmpty(t, out, "the sample has curve days")
	return out
}

// readWorkbook opens an XLSX body with excelize, checks the sheet order
// and returns the rows of every sheet with raw cell values.
func readWorkbook(t *testing.T, body []byte) map[string][][]string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(body), excelize.Options{RawCellValue: true})
	require.NoError(t, err, "the body is a valid XLSX file")
	defer f.Close()
	assert.Equal(t, []string{workbook.SheetSummary, workbook.SheetRegisters, workbook.SheetCurve, workbook.SheetCorrections},
		f.GetSheetList())
	out := map[string][][]string{}
	for _, name := range f.GetSheetList() {
		rows, err := f.GetRows(name)
		require.NoError(t, err)
		out[name] = rows
	}
	return out
}

// summaryValues returns the Summary sheet's first two columns as a map.
func summaryValues(rows [][]string) map[string]string {
	out := map[string]string{}
	for _, r := range rows {
		if len(r) >= 2 {
			out[r[0]] = r[1]
		}
	}
	return out
}

// workbookCurve returns the day rows of the Daily curve sheet, without
// its header and its "Total <kind>" rows. The columns are POD, Flow,
// Load, Record, Kind, Day, Dst, Quarter-hours and Total.
func workbookCurve(t *testing.T, rows [][]string) map[curveKey]curveCell {
	t.Helper()
	require.NotEmpty(t, rows)
	assert.Equal(t, []string{"POD", "Flow", "Load", "Record", "Kind", "Day", "Dst", "Quarter-hours", "Total"}, rows[0][:9])
	out := map[curveKey]curveCell{}
	for _, r := range rows[1:] {
		if strings.HasPrefix(r[0], "Total ") {
			continue
		}
		require.Len(t, r, 12, "curve row %q", r)
		n, err := strconv.Atoi(r[7])
		require.NoError(t, err, "quarter-hours %q", r[7])
		total, err := decimal.NewFromString(r[8])
		require.NoError(t, err, "total %q", r[8])
		key := curveKey{r[0], r[4], r[5]}
		_, dup := out[key]
		assert.False(t, dup, "curve row %v repeats", key)
		out[key] = curveCell{n, total.String()}
	}
	return out
}

func TestWorkbookHTTPLoad(t *testing.T) {
	e := newWorkbookEnv(t)
	path := fmt.Sprintf("/api/v1/workbook?load=%d", e.acmeLoad)
	status, body, header := e.srv.call(t, http.MethodGet, path, tokenAcme)
	require.Equal(t, http.StatusOK, status, "%s", body)
	assert.Equal(t, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", header.Get("Content-Type"))
	assert.Contains(t, header.Get("Content-Disposition"), fmt.Sprintf("consumption-load-%d.xlsx", e.acmeLoad))
	assert.Equal(t, strconv.Itoa(len(body)), header.Get("Content-Length"))
	assert.Equal(t, "nosniff", header.Get("X-Content-Type-Options"))

	sheets := readWorkbook(t, body)
	load, err := e.srv.store.Load(context.Background(), e.acme, e.acmeLoad)
	require.NoError(t, err)
	summary := summaryValues(sheets[workbook.SheetSummary])
	assert.Equal(t, strconv.FormatInt(int64(e.acmeLoad), 10), summary["Load"])
	assert.Equal(t, load.Name, summary["File"])
	assert.Equal(t, load.FlowCode, summary["Flow"])
	assert.Equal(t, load.SHA256, summary["SHA-256"])
	assert.Equal(t, strconv.Itoa(load.RecordsLoaded), summary["Records"])

	want := storedCurve(t, e.srv.store, e.acme, e.acmeLoad)
	assert.Equal(t, want, workbookCurve(t, sheets[workbook.SheetCurve]), "curve rows equal the stored curve")
	data := samples(t)[samplePDO]
	assert.Equal(t, curveTotal(t, data).String(), summary["Curve Ea"])

	// The other company reads its own load, with its own id.
	status, body, _ = e.srv.call(t, http.MethodGet, fmt.Sprintf("/api/v1/workbook?load=%d", e.otherLoad), tokenOther)
	require.Equal(t, http.StatusOK, status, "%s", body)
	assert.Equal(t, strconv.FormatInt(int64(e.otherLoad), 10), summaryValues(readWorkbook(t, body)[workbook.SheetSummary])["Load"])
}

func TestWorkbookHTTPMonth(t *testing.T) {
	e := newWorkbookEnv(t)
	status, body, header := e.srv.call(t, http.MethodGet, "/api/v1/workbook?month="+e.month.String(), tokenAcme)
	require.Equal(t, http.StatusOK, status, "%s", body)
	assert.Equal(t, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", header.Get("Content-Type"))
	assert.Contains(t, header.Get("Content-Disposition"), "consumption-2013-01.xlsx")

	sheets := readWorkbook(t, body)
	summary := summaryValues(sheets[workbook.SheetSummary])
	assert.Equal(t, "2013-01", summary["Month"])
	load, err := e.srv.store.Load(context.Background(), e.acme, e.acmeLoad)
	require.NoError(t, err)
	assert.Equal(t, strconv.Itoa(load.RecordsLoaded), summary["Records"], "the month holds only the company's own records")
	assert.Equal(t, storedCurve(t, e.srv.store, e.acme, e.acmeLoad), workbookCurve(t, sheets[workbook.SheetCurve]))
	for _, r := range sheets[workbook.SheetCurve][1:] {
		if !strings.HasPrefix(r[0], "Total ") {
			assert.Equal(t, strconv.FormatInt(int64(e.acmeLoad), 10), r[2], "a curve row of another company's load")
		}
	}

	// The query parameter also takes the month as yyyymm and mm/yyyy.
	for _, form := range []string{"201301", "01/2013"} {
		status, body, header := e.srv.call(t, http.MethodGet, "/api/v1/workbook?month="+form, tokenAcme)
		require.Equal(t, http.StatusOK, status, "month=%s", form)
		assert.Contains(t, header.Get("Content-Disposition"), "consumption-2013-01.xlsx", "month=%s", form)
		assert.Equal(t, sheets, readWorkbook(t, body), "month=%s", form)
	}

	// A month without records is an empty workbook, not an error.
	status, body, _ = e.srv.call(t, http.MethodGet, "/api/v1/workbook?month=1999-01", tokenAcme)
	require.Equal(t, http.StatusOK, status)
	empty := readWorkbook(t, body)
	assert.Equal(t, map[string]string{"Month": "1999-01", "Records": "0", "PODs": "0", "Corrections": "0", "Total": "Value"},
		summaryValues(empty[workbook.SheetSummary]))
	assert.Len(t, empty[workbook.SheetCurve], 1, "only the header")
}

func TestWorkbookHTTPBadRequests(t *testing.T) {
	e := newWorkbookEnv(t)
	acme, other := strconv.FormatInt(int64(e.acmeLoad), 10), strconv.FormatInt(int64(e.otherLoad), 10)
	tests := []struct {
		name, query, token string
		want               int
	}{
		{"no token", "?load=" + acme, "", http.StatusUnauthorized},
		{"wrong token", "?load=" + acme, "not-a-token", http.StatusUnauthorized},
		{"neither load nor month", "", tokenAcme, http.StatusBadRequest},
		{"both load and month", "?load=" + acme + "&month=2013-01", tokenAcme, http.StatusBadRequest},
		{"load not a number", "?load=abc", tokenAcme, http.StatusBadRequest},
		{"load zero", "?load=0", tokenAcme, http.StatusBadRequest},
		{"load negative", "?load=-1", tokenAcme, http.StatusBadRequest},
		{"load overflows", "?load=99999999999999999999", tokenAcme, http.StatusBadRequest},
		{"month thirteen", "?month=2013-13", tokenAcme, http.StatusBadRequest},
		{"month of 2013 without year digits", "?month=13-01", tokenAcme, http.StatusBadRequest},
		{"month with day", "?month=2013-01-01", tokenAcme, http.StatusBadRequest},
		{"month empty", "?month=", tokenAcme, http.StatusBadRequest},
		{"load unknown", "?load=999999", tokenAcme, http.StatusNotFound},
		{"another company's load", "?load=" + other, tokenAcme, http.StatusNotFound},
		{"own load under another token", "?load=" + acme, tokenOther, http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body, header := e.srv.call(t, http.MethodGet, "/api/v1/workbook"+tt.query, tt.token)
			assert.Equal(t, tt.want, status)
			assert.Equal(t, "application/json", header.Get("Content-Type"), "an error is JSON, not a workbook")
			assert.NotEmpty(t, body)
		})
	}

	status, _, _ := e.srv.call(t, http.MethodPost, "/api/v1/workbook?load="+acme, tokenAcme)
	assert.Equal(t, http.StatusMethodNotAllowed, status)
}

func TestWorkbookSOAP(t *testing.T) {
	e := newWorkbookEnv(t)
	resp, err := e.acmePort.GetWorkbook(&client.GetWorkbookRequest{LoadId: int64(e.acmeLoad)})
	require.NoError(t, err)
	assert.Equal(t, fmt.Sprintf("consumption-load-%d.xlsx", e.acmeLoad), resp.Name)
	xlsx, err := base64.StdEncoding.DecodeString(string(resp.Content))
	require.NoError(t, err)
	sheets := readWorkbook(t, xlsx)
	want := storedCurve(t, e.srv.store, e.acme, e.acmeLoad)
	assert.Equal(t, want, workbookCurve(t, sheets[workbook.SheetCurve]))

	_, httpBody, _ := e.srv.call(t, http.MethodGet, fmt.Sprintf("/api/v1/workbook?load=%d", e.acmeLoad), tokenAcme)
	assert.Equal(t, readWorkbook(t, httpBody), sheets, "SOAP and HTTP return the same cells")

	monthText := func(s string) *client.Month {
		m := client.Month(s)
		return &m
	}
	byMonth, err := e.acmePort.GetWorkbook(&client.GetWorkbookRequest{Month: monthText("2013-01")})
	require.NoError(t, err)
	assert.Equal(t, "consumption-2013-01.xlsx", byMonth.Name)
	xlsx, err = base64.StdEncoding.DecodeString(string(byMonth.Content))
	require.NoError(t, err)
	assert.Equal(t, want, workbookCurve(t, readWorkbook(t, xlsx)[workbook.SheetCurve]))

	empty, err := e.acmePort.GetWorkbook(&client.GetWorkbookRequest{Month: monthText("1999-01")})
	require.NoError(t, err, "a month without records is an empty workbook")
	xlsx, err = base64.StdEncoding.DecodeString(string(empty.Content))
	require.NoError(t, err)
	assert.Equal(t, "0", summaryValues(readWorkbook(t, xlsx)[workbook.SheetSummary])["Records"])

	faults := []struct {
		name    string
		port    client.DispatcherPort
		req     *client.GetWorkbookRequest
		element string
	}{
		{"neither", e.acmePort, &client.GetWorkbookRequest{}, "GetWorkbookRequest"},
		{"both", e.acmePort, &client.GetWorkbookRequest{LoadId: int64(e.acmeLoad), Month: monthText("2013-01")}, "GetWorkbookRequest"},
		{"month thirteen", e.acmePort, &client.GetWorkbookRequest{Month: monthText("2013-13")}, "Month"},
		{"month compact", e.acmePort, &client.GetWorkbookRequest{Month: monthText("201301")}, "Month"},
		{"another company's load", e.acmePort, &client.GetWorkbookRequest{LoadId: int64(e.otherLoad)}, "LoadId"},
		{"own load under another company", e.otherPort, &client.GetWorkbookRequest{LoadId: int64(e.acmeLoad)}, "LoadId"},
		{"unknown load", e.acmePort, &client.GetWorkbookRequest{LoadId: 999999}, "LoadId"},
		{"negative load", e.acmePort, &client.GetWorkbookRequest{LoadId: -1}, "LoadId"},
	}
	for _, tt := range faults {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.port.GetWorkbook(tt.req)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "<faultcode>soapenv:Client</faultcode>")
			assert.Contains(t, err.Error(), "<Element>"+tt.element+"</Element>")
		})
	}
}
