package server

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	gowsdl "github.com/hooklift/gowsdl/soap"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/server/soap/client"
	"github.com/bludispatcher/dispatcher/server/store"
	"github.com/bludispatcher/dispatcher/sii"
)

// reliefSite is a site of the relief test registry and its point.
type reliefSite struct {
	pod, municipality, province, code string
}

// reliefSites covers each way a site can match the earthquake relief
// list, or fail to, by ISTAT code and by name.
var reliefSites = []reliefSite{
	{"IT001E00000001", "Campo Tosto", "AQ", "066016"},            // code, name spelled otherwise
	{"IT001E00000002", "Valfornace", "MC", "043058"},             // successor of two entries
	{"IT001E00000003", "Sant\u2019Anatolia di Narco", "PG", ""},  // name only, typographic apostrophe
	{"IT001E00000004", "", "", "043057"},                         // code of Visso, no name
	{"IT001E00000005", "Norcia", "PG", "058091"},                 // listed name, code of Roma
	{"IT001E00000006", "Camerino", "MC", "043007"},               // annex 2, from 26 October 2016
	{"IT001E00000007", "Fiastra", "MC", "043017"},                // listed, and successor of Acquacanina
	{"IT001E00000008", "Casamicciola Terme", "NA", "063019"},     // Ischia, from 21 August 2017
	{"IT001E00000009", "castelsantangelo  sul-nera", " mc ", ""}, // name only, case and punctuation
	{"IT001E00000010", "Milano", "MI", "015146"},                 // not listed
}

// reliefRow contains the fields of one relief point that the JSON API,
// SOAP and both workbooks all report.
type reliefRow struct {
	POD, MatchedBy, EntryCode, Annex, SiteCode string
}

func sortRows(rows []reliefRow) []reliefRow {
	sort.Slice(rows, func(i, j int) bool { return rows[i].POD < rows[j].POD })
	return rows
}

// xlsxReliefRows returns the points and the unlocated PODs of the
// relief sheet of a benefits workbook.
func xlsxReliefRows(t *testing.T, body []byte) ([]reliefRow, []string) {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(body))
	require.NoError(t, err)
	defer f.Close()
	rows, err := f.GetRows(sii.SheetRelief)
	require.NoError(t, err)
	require.NotEmpty(t, rows)
	var points []reliefRow
	var unlocated []string
	for _, r := range rows[1:] {
		if len(r) == 4 && strings.Contains(r[3], "not checked") {
			unlocated = append(unlocated, r[1])
			continue
		}
		for len(r) < 12 {
			r = append(r, "") // GetRows leaves out empty trailing cells
		}
		require.Len(t, r, 12, "relief row %q", r)
		points = append(points, reliefRow{POD: r[1], MatchedBy: r[8], EntryCode: r[5], Annex: r[6], SiteCode: r[9]})
	}
	return sortRows(points), unlocated
}

// startReliefServer starts a server whose company acme has the sites of
// reliefSites in billing and an extract of October 2016 with their points
// and one point unknown to billing. It returns the server and a SOAP
// client of acme.
func startReliefServer(t *testing.T) (*running, client.DispatcherPort) {
	t.Helper()
	dir := t.TempDir()
	cfg := domainConfig(dir)
	st := openSQLite(t, cfg)
	r := startServer(t, cfg, st, testLogger(t))
	ctx := context.Background()
	acme, err := st.CompanyByCode(ctx, "acme")
	require.NoError(t, err)

	from := store.Validity{From: isoDate(t, "2016-01-01")}
	require.NoError(t, st.PutCustomer(ctx, store.Customer{Company: acme.ID, Code: "C1", Name: "Rossi", Validity: from}))
	extract := "COD_POD\n"
	for i, s := range reliefSites {
		site := fmt.Sprintf("S%d", i+1)
		require.NoError(t, st.PutSite(ctx, store.Site{Company: acme.ID, Code: site, Customer: "C1", Name: "Casa",
			Municipality: s.municipality, Province: s.province, MunicipalityCode: s.code, Validity: from}))
		require.NoError(t, st.PutSupplyPoint(ctx, store.SupplyPoint{Company: acme.ID, Code: s.pod,
			Commodity: store.Electricity, Site: site, Validity: from}))
		extract += s.pod + "\n"
	}
	extract += "IT001E00000099\n" // no supply point in billing
	put(t, filepath.Join(dir, "acme", "rcu", "RCU_201610.csv"), []byte(extract))
	r.scan(t, tokenAcme)
	port := client.NewDispatcherPort(gowsdl.NewClient(r.base+SOAPPath, gowsdl.WithBasicAuth("billing", tokenAcme)))
	return r, port
}

func TestReliefOutputsAgree(t *testing.T) {
	r, port := startReliefServer(t)

	byCode, bySuccessor, byName := string(sii.MatchISTATCode), string(sii.MatchSuccessorCode), string(sii.MatchName)
	tests := []struct {
		at   civil.Date
		want []reliefRow
	}{
		{civil.Date{Year: 2016, Month: time.October, Day: 25}, []reliefRow{
			{"IT001E00000001", byCode, "066016", "1", "066016"},
			{"IT001E00000002", bySuccessor, "043018", "1", "043058"},
			{"IT001E00000003", byName, "054045", "1", ""},
			{"IT001E00000004", byCode, "043057", "1", "043057"},
			{"IT001E00000007", byCode, "043017", "1", "043017"},
			{"IT001E00000009", byName, "043010", "1", ""},
		}},
		{civil.Date{Year: 2016, Month: time.October, Day: 26}, []reliefRow{
			{"IT001E00000001", byCode, "066016", "1", "066016"},
			{"IT001E00000002", bySuccessor, "043018", "1", "043058"},
			{"IT001E00000003", byName, "054045", "1", ""},
			{"IT001E00000004", byCode, "043057", "1", "043057"},
			{"IT001E00000006", byCode, "043007", "2", "043007"},
			{"IT001E00000007", byCode, "043017", "1", "043017"},
			{"IT001E00000009", byName, "043010", "1", ""},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.at.String(), func(t *testing.T) {
			var api struct {
				At     string
				Relief struct {
					Active    bool
					Points    []struct{ POD, SiteMunicipalityCode, ISTATCode, Annex, MatchedBy string }
					Unlocated []string
				}
			}
			query := "?month=2016-10&at=" + tt.at.String()
			r.getJSON(t, "/api/v1/sii/rcu/benefits"+query, tokenAcme, &api)
			assert.Equal(t, tt.at.String(), api.At)
			assert.True(t, api.Relief.Active)
			var fromAPI []reliefRow
			for _, p := range api.Relief.Points {
				fromAPI = append(fromAPI, reliefRow{p.POD, p.MatchedBy, p.ISTATCode, p.Annex, p.SiteMunicipalityCode})
			}
			assert.Equal(t, tt.want, sortRows(fromAPI), "JSON API")
			assert.Equal(t, []string{"IT001E00000099"}, api.Relief.Unlocated, "JSON API")

			status, body, _ := r.call(t, http.MethodGet, "/api/v1/sii/rcu/benefits.xlsx"+query, tokenAcme)
			require.Equal(t, http.StatusOK, status, "%s", body)
			points, unlocated := xlsxReliefRows(t, body)
			assert.Equal(t, tt.want, points, "workbook of the JSON API")
			assert.Equal(t, []string{"IT001E00000099"}, unlocated, "workbook of the JSON API")

			resp, err := port.GetBonusReport(&client.GetBonusReportRequest{
				Date: gowsdl.CreateXsdDate(time.Date(tt.at.Year, tt.at.Month, tt.at.Day, 0, 0, 0, 0, time.UTC), false)})
			require.NoError(t, err)
			require.NotNil(t, resp.Relief)
			assert.True(t, resp.Relief.Active)
			var fromSOAP []reliefRow
			for _, p := range resp.Relief.Point {
				require.NotNil(t, p.MatchedBy)
				fromSOAP = append(fromSOAP, reliefRow{p.Pod, string(*p.MatchedBy), p.IstatCode, p.Annex, p.SiteMunicipalityCode})
			}
			assert.Equal(t, tt.want, sortRows(fromSOAP), "SOAP")
			assert.Equal(t, []string{"IT001E00000099"}, resp.Relief.Unlocated, "SOAP")

			raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(resp.Workbook)))
			require.NoError(t, err)
			points, unlocated = xlsxReliefRows(t, raw)
			assert.Equal(t, tt.want, points, "workbook of SOAP")
			assert.Equal(t, []string{"IT001E00000099"}, unlocated, "workbook of SOAP")
		})
	}
}

func TestRCUReportsOfMonthWithoutExtract(t *testing.T) {
	dir := t.TempDir()
	cfg := domainConfig(dir)
	r := startServer(t, cfg, openSQLite(t, cfg), testLogger(t))
	for _, path := range []string{"/api/v1/sii/rcu/benefits", "/api/v1/sii/rcu/benefits.xlsx",
		"/api/v1/sii/rcu/comparison", "/api/v1/sii/rcu/comparison.xlsx", "/api/v1/sii/rcu"} {
		status, body, _ := r.call(t, http.MethodGet, path+"?month=2016-10", tokenAcme)
		assert.Equal(t, http.StatusNotFound, status, "%s before any extract", path)
		assert.Contains(t, string(body), "no RCU extract", path)
	}

	put(t, filepath.Join(dir, "acme", "rcu", "RCU_201610.csv"), []byte("COD_POD\nIT001E00000001\n"))
	r.scan(t, tokenAcme)
	for _, path := range []string{"/api/v1/sii/rcu/benefits", "/api/v1/sii/rcu/benefits.xlsx",
		"/api/v1/sii/rcu/comparison", "/api/v1/sii/rcu/comparison.xlsx", "/api/v1/sii/rcu"} {
		status, body, _ := r.call(t, http.MethodGet, path+"?month=2016-10", tokenAcme)
		assert.Equal(t, http.StatusOK, status, "%s of the loaded month: %s", path, body)

		status, body, _ = r.call(t, http.MethodGet, path+"?month=2016-09", tokenAcme)
		assert.Equal(t, http.StatusNotFound, status, "%s of a month without extract", path)
		assert.Contains(t, string(body), "2016-09", path)

		status, _, _ = r.call(t, http.MethodGet, path, tokenAcme)
		assert.Equal(t, http.StatusOK, status, "%s defaults to the newest extract", path)
	}

	// SOAP rejects a date before the first extract with a Client fault.
	port := client.NewDispatcherPort(gowsdl.NewClient(r.base+SOAPPath, gowsdl.WithBasicAuth("billing", tokenAcme)))
	_, err := port.GetBonusReport(&client.GetBonusReportRequest{
		Date: gowsdl.CreateXsdDate(time.Date(2016, time.September, 30, 0, 0, 0, 0, time.UTC), false)})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "<faultcode>soapenv:Client</faultcode>")
}

func TestRCUBenefitsAtReadsExtractInForce(t *testing.T) {
	dir := t.TempDir()
	cfg := domainConfig(dir)
	st := openSQLite(t, cfg)
	r := startServer(t, cfg, st, testLogger(t))
	ctx := context.Background()
	acme, err := st.CompanyByCode(ctx, "acme")
	require.NoError(t, err)

	from := store.Validity{From: isoDate(t, "2016-01-01")}
	require.NoError(t, st.PutCustomer(ctx, store.Customer{Company: acme.ID, Code: "C1", Name: "Rossi", Validity: from}))
	require.NoError(t, st.PutSite(ctx, store.Site{Company: acme.ID, Code: "S1", Customer: "C1", Name: "Casa",
		MunicipalityCode: "054035", Validity: from}))
	for _, pod := range []string{"IT001E00000001", "IT001E00000002"} {
		require.NoError(t, st.PutSupplyPoint(ctx, store.SupplyPoint{Company: acme.ID, Code: pod,
			Commodity: store.Electricity, Site: "S1", Validity: from}))
	}
	put(t, filepath.Join(dir, "acme", "rcu", "RCU_201610.csv"), []byte("COD_POD\nIT001E00000001\n"))
	put(t, filepath.Join(dir, "acme", "rcu", "RCU_201612.csv"), []byte("COD_POD\nIT001E00000002\n"))
	r.scan(t, tokenAcme)
	port := client.NewDispatcherPort(gowsdl.NewClient(r.base+SOAPPath, gowsdl.WithBasicAuth("billing", tokenAcme)))

	tests := []struct {
		at, query, month, pod string
	}{
		{"2016-11-15", "?at=2016-11-15", "2016-10", "IT001E00000001"},
		{"2016-12-01", "?at=2016-12-01", "2016-12", "IT001E00000002"},
		{"2017-03-01", "?at=2017-03-01", "2016-12", "IT001E00000002"},
		{"2016-11-15", "?month=2016-12&at=2016-11-15", "2016-12", "IT001E00000002"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			var api struct {
				Month  string
				Relief struct{ Points []struct{ POD string } }
			}
			r.getJSON(t, "/api/v1/sii/rcu/benefits"+tt.query, tokenAcme, &api)
			assert.Equal(t, tt.month, api.Month)
			require.Len(t, api.Relief.Points, 1)
			assert.Equal(t, tt.pod, api.Relief.Points[0].POD)

			if strings.Contains(tt.query, "month=") {
				return // GetBonusReport takes a date only
			}
			at := isoDate(t, tt.at)
			resp, err := port.GetBonusReport(&client.GetBonusReportRequest{
				Date: gowsdl.CreateXsdDate(time.Date(at.Year, at.Month, at.Day, 0, 0, 0, 0, time.UTC), false)})
			require.NoError(t, err)
			require.NotNil(t, resp.Month)
			assert.Equal(t, tt.month, string(*resp.Month), "SOAP reads the same extract")
		})
	}

	status, body, _ := r.call(t, http.MethodGet, "/api/v1/sii/rcu/benefits?at=2016-09-30", tokenAcme)
	assert.Equal(t, http.StatusNotFound, status, "no extract on or before September 2016")
	assert.Contains(t, string(body), "2016-09")
}
