package server

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	gowsdl "github.com/hooklift/gowsdl/soap"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/bludispatcher/dispatcher/flows"
	"github.com/bludispatcher/dispatcher/server/soap/client"
	"github.com/bludispatcher/dispatcher/server/workbook"
)

// samplePDO is an official hourly measure sample with quarter-hour curves.
const samplePDO = "01234567890_12345678901_201301_PDO_20130218060523_1DP0001_R.xml"

// curveTotal decodes a flow file and returns the exact sum of its Ea
// curve values.
func curveTotal(t *testing.T, data []byte) decimal.Decimal {
	t.Helper()
	dec := flows.NewDecoder(bytes.NewReader(data))
	var sum decimal.Decimal
	for {
		r, err := dec.Next()
		if errors.Is(err, io.EOF) {
			return sum
		}
		require.NoError(t, err)
		if r.Measure == nil {
			continue
		}
		for i := range r.Measure.Curves {
			c := &r.Measure.Curves[i]
			if c.Kind != flows.ActiveEnergy {
				continue
			}
			for n := 1; n <= 100; n++ {
				if v, ok := c.E(n); ok {
					d, err := flows.V(v).Decimal()
					require.NoError(t, err)
					sum = sum.Add(d)
				}
			}
		}
	}
}

// workbookCurveTotal returns the "Curve Ea" total of a workbook's summary.
func workbookCurveTotal(t *testing.T, xlsx []byte) string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(xlsx), excelize.Options{RawCellValue: true})
	require.NoError(t, err)
	defer f.Close()
	assert.Contains(t, f.GetSheetList(), workbook.SheetCurve)
	rows, err := f.GetRows(workbook.SheetSummary)
	require.NoError(t, err)
	for _, r := range rows {
		if len(r) >= 2 && r[0] == "Curve Ea" {
			return r[1]
		}
	}
	t.Fatal("the summary has no Curve Ea total")
	return ""
}

func TestSOAPAndWorkbookOnServer(t *testing.T) {
	cfg := testConfig(t.TempDir())
	data, ok := samples(t)[samplePDO]
	require.True(t, ok, "sample %s is missing", samplePDO)
	put(t, filepath.Join(cfg.Companies[0].Inboxes["flows"][0], samplePDO), data)
	srv := startServer(t, cfg, openSQLite(t, cfg), testLogger(t))
	rep := srv.scan(t, tokenAcme)
	require.Equal(t, 1, rep.Loaded)
	want := curveTotal(t, data).String()

	status, body, _ := srv.call(t, http.MethodGet, SOAPPath+"?wsdl", "")
	assert.Equal(t, http.StatusOK, status)
	assert.Contains(t, string(body), srv.base+SOAPPath)

	port := client.NewDispatcherPort(gowsdl.NewClient(srv.base+SOAPPath, gowsdl.WithBasicAuth("billing", tokenAcme)))
	loads, err := port.ListLoads(&client.ListLoadsRequest{})
	require.NoError(t, err)
	require.Len(t, loads.Load, 1)
	id := loads.Load[0].LoadId

	wb, err := port.GetWorkbook(&client.GetWorkbookRequest{LoadId: id})
	require.NoError(t, err)
	xlsx, err := base64.StdEncoding.DecodeString(string(wb.Content))
	require.NoError(t, err)
	assert.Equal(t, want, workbookCurveTotal(t, xlsx), "SOAP workbook total equals the file's")

	status, body, header := srv.call(t, http.MethodGet, fmt.Sprintf("/api/v1/workbook?load=%d", id), tokenAcme)
	require.Equal(t, http.StatusOK, status, "%s", body)
	assert.True(t, strings.HasPrefix(header.Get("Content-Type"), "application/vnd.openxmlformats"))
	assert.Equal(t, want, workbookCurveTotal(t, body), "HTTP workbook total equals the file's")

	status, _, _ = srv.call(t, http.MethodGet, fmt.Sprintf("/api/v1/workbook?load=%d", id), tokenOther)
	assert.Equal(t, http.StatusNotFound, status, "another company's load is not found")
	status, _, _ = srv.call(t, http.MethodGet, "/api/v1/workbook", tokenAcme)
	assert.Equal(t, http.StatusBadRequest, status)

	other := client.NewDispatcherPort(gowsdl.NewClient(srv.base+SOAPPath, gowsdl.WithBasicAuth("billing", tokenOther)))
	none, err := other.ListPendingExport(&client.ListPendingExportRequest{})
	require.NoError(t, err)
	assert.Empty(t, none.Item)
	pending, err := port.ListPendingExport(&client.ListPendingExportRequest{})
	require.NoError(t, err)
	assert.NotEmpty(t, pending.Item)
}
