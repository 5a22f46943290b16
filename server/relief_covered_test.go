package server

import (
	"bytes"
	"encoding/base64"
	"net/http"
	"strings"
	"testing"
	"time"

	gowsdl "github.com/hooklift/gowsdl/soap"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/bludispatcher/dispatcher/server/soap/client"
	"github.com/bludispatcher/dispatcher/sii"
)

// coveredDays maps a relief point's POD to its first and last covered
// day, yyyy-mm-dd.
type coveredDays map[string][2]string

// xlsxCoveredDays returns the covered days of the relief sheet of a
// benefits workbook, converted from the Italian dd/mm/yyyy.
func xlsxCoveredDays(t *testing.T, body []byte) coveredDays {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(body))
	require.NoError(t, err)
	defer f.Close()
	rows, err := f.GetRows(sii.SheetRelief)
	require.NoError(t, err)
	require.NotEmpty(t, rows)
	assert.Equal(t, []string{"Covered from", "Covered to"}, rows[0][10:])
	out := coveredDays{}
	for _, r := range rows[1:] {
		if len(r) < 12 {
			continue // an unlocated point
		}
		out[r[1]] = [2]string{italianToISO(t, r[10]), italianToISO(t, r[11])}
	}
	return out
}

func italianToISO(t *testing.T, s string) string {
	t.Helper()
	d, err := time.Parse("02/01/2006", s)
	require.NoError(t, err, "covered day %q", s)
	return d.Format(time.DateOnly)
}

func soapDay(y int, m time.Month, d int) gowsdl.XSDDate {
	return gowsdl.CreateXsdDate(time.Date(y, m, d, 0, 0, 0, 0, time.UTC), false)
}

// soapCoveredDays returns the covered days of a GetBonusReport response
// and of its workbook.
func soapCoveredDays(t *testing.T, resp *client.GetBonusReportResponse) (coveredDays, coveredDays) {
	t.Helper()
	require.NotNil(t, resp.Relief)
	points := coveredDays{}
	for _, p := range resp.Relief.Point {
		points[p.Pod] = [2]string{p.CoveredFrom.ToGoTime().Format(time.DateOnly), p.CoveredTo.ToGoTime().Format(time.DateOnly)}
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(resp.Workbook)))
	require.NoError(t, err)
	return points, xlsxCoveredDays(t, raw)
}

// TestReliefCoveredDays checks that the JSON API, SOAP and both workbooks
// give each relief point its first and last covered day in the period
// requested. Camerino, covered from 26 October 2016, must not appear
// covered for the whole of October.
func TestReliefCoveredDays(t *testing.T) {
	r, port := startReliefServer(t)
	month := [2]string{"2016-10-01", "2016-10-31"}
	october := coveredDays{
		"IT001E00000001": month, "IT001E00000002": month, "IT001E00000003": month, "IT001E00000004": month,
		"IT001E00000006": {"2016-10-26", "2016-10-31"},
		"IT001E00000007": month, "IT001E00000009": month,
	}

	var api struct {
		At     string
		Relief struct {
			From, To string
			Points   []struct{ POD, CoveredFrom, CoveredTo string }
		}
	}
	r.getJSON(t, "/api/v1/sii/rcu/benefits?month=2016-10", tokenAcme, &api)
	assert.Equal(t, "2016-10-31", api.At, "bonuses are checked on the month's last day")
	assert.Equal(t, "2016-10-01", api.Relief.From)
	assert.Equal(t, "2016-10-31", api.Relief.To)
	fromAPI := coveredDays{}
	for _, p := range api.Relief.Points {
		fromAPI[p.POD] = [2]string{p.CoveredFrom, p.CoveredTo}
	}
	assert.Equal(t, october, fromAPI, "JSON API")

	status, body, _ := r.call(t, http.MethodGet, "/api/v1/sii/rcu/benefits.xlsx?month=2016-10", tokenAcme)
	require.Equal(t, http.StatusOK, status, "%s", body)
	assert.Equal(t, october, xlsxCoveredDays(t, body), "workbook of the JSON API")

	r.getJSON(t, "/api/v1/sii/rcu/benefits?month=2016-10&at=2016-10-26", tokenAcme, &api)
	assert.Equal(t, "2016-10-26", api.Relief.From, "a day requested is the whole period")
	assert.Equal(t, "2016-10-26", api.Relief.To)
	for _, p := range api.Relief.Points {
		assert.Equal(t, "2016-10-26", p.CoveredFrom, p.POD)
		assert.Equal(t, "2016-10-26", p.CoveredTo, p.POD)
	}

	resp, err := port.GetBonusReport(&client.GetBonusReportRequest{Date: soapDay(2016, 10, 1), To: soapDay(2016, 10, 31)})
	require.NoError(t, err)
	assert.Equal(t, "2016-10-01", resp.Relief.From.ToGoTime().Format(time.DateOnly))
	assert.Equal(t, "2016-10-31", resp.Relief.To.ToGoTime().Format(time.DateOnly))
	points, workbook := soapCoveredDays(t, resp)
	assert.Equal(t, october, points, "SOAP")
	assert.Equal(t, october, workbook, "workbook of SOAP")

	// A period that ends before 26 October leaves Camerino out.
	resp, err = port.GetBonusReport(&client.GetBonusReportRequest{Date: soapDay(2016, 10, 1), To: soapDay(2016, 10, 20)})
	require.NoError(t, err)
	points, workbook = soapCoveredDays(t, resp)
	early := [2]string{"2016-10-01", "2016-10-20"}
	want := coveredDays{"IT001E00000001": early, "IT001E00000002": early, "IT001E00000003": early,
		"IT001E00000004": early, "IT001E00000007": early, "IT001E00000009": early}
	assert.Equal(t, want, points, "SOAP")
	assert.Equal(t, want, workbook, "workbook of SOAP")
}

// TestBonusReportInvalidTo checks the Client faults of a SOAP period that
// ends before Date or after its month.
func TestBonusReportInvalidTo(t *testing.T) {
	_, port := startReliefServer(t)
	tests := []struct {
		name    string
		to      gowsdl.XSDDate
		message string
	}{
		{"before Date", soapDay(2016, 10, 9), "is before Date 2016-10-10"},
		{"next month", soapDay(2016, 11, 1), "is after the month of Date 2016-10-10"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := port.GetBonusReport(&client.GetBonusReportRequest{Date: soapDay(2016, 10, 10), To: tt.to})
			require.Error(t, err)
			assert.Contains(t, err.Error(), "<faultcode>soapenv:Client</faultcode>")
			assert.Contains(t, err.Error(), tt.message)
		})
	}
}
