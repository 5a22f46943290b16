package server

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/bludispatcher/dispatcher/edi"
	"github.com/bludispatcher/dispatcher/internal/anomaly"
	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/internal/testref"
	"github.com/bludispatcher/dispatcher/server/store"
	"github.com/bludispatcher/dispatcher/server/store/storetest"
)

// loadCurve stores an hourly PDO record with a curve for every day of
// month, as a metering load of company.
func loadCurve(t *testing.T, st store.Store, company store.CompanyID, pod string, month civil.Month) {
	t.Helper()
	ctx := context.Background()
	data := []byte("curve of " + pod)
	tx, err := st.BeginLoad(ctx, store.LoadInfo{Company: company, Name: "curve.xml", Path: "test/curve.xml",
		Size: int64(len(data)), SHA256: storetest.SHA256(data), Original: bytes.NewReader(data)})
	require.NoError(t, err)
	_, err = tx.AddRecord(ctx, storetest.Header("PDO2G"), storetest.HourlyRecord(pod, month, 1), nil)
	require.NoError(t, err)
	_, err = tx.Commit(ctx)
	require.NoError(t, err)
}

func TestInvoicesEndToEnd(t *testing.T) {
	dir := t.TempDir()
	cfg := testConfig(dir)
	inbox := filepath.Join(dir, "acme", "invoices")
	cfg.Companies[0].Inboxes["invoices"] = []string{inbox}
	st := openSQLite(t, cfg)
	r := startServer(t, cfg, st, testLogger(t))
	ctx := context.Background()

	acme, err := st.CompanyByCode(ctx, "acme")
	require.NoError(t, err)
	for _, pod := range []string{"IT001E00000001", "IT001E00000002"} {
		require.NoError(t, st.PutRegistryEntry(ctx, store.RegistryEntry{Company: acme.ID, POD: pod, ValidFrom: isoDate(t, "2024-01-01")}))
	}
	loadCurve(t, st, acme.ID, "IT001E00000001", civil.Month{Year: 2025, Month: time.January})

	detail, err := os.ReadFile(filepath.Join("..", "edi", "testdata", "transport-detail.xml"))
	require.NoError(t, err)
	put(t, filepath.Join(inbox, "transport-detail.xml"), detail)
	put(t, filepath.Join(inbox, "notes.txt"), []byte("not an invoice"))
	rep := r.scan(t, tokenAcme)
	require.Equal(t, 1, rep.Loaded, "%+v", rep)
	load := rep.Files[0].Loads[0]
	assert.Equal(t, "TransportDetail", load.FlowCode)
	assert.Equal(t, 1, load.RecordsLoaded)

	t.Run("DataChecksInLoadLog", func(t *testing.T) {
		var anomalies struct {
			Items []anomaly.Anomaly
		}
		r.getJSON(t, "/api/v1/loads/"+itoa(int64(load.ID))+"/anomalies", tokenAcme, &anomalies)
		codes := map[string][]string{}
		energy := map[string]string{}
		for _, a := range anomalies.Items {
			codes[a.Code] = append(codes[a.Code], a.Key)
			if a.Code == "EDI-ENERGY" {
				energy[a.Key] = a.Message
			}
		}
		assert.Equal(t, []string{"IT001E00000003"}, codes["EDI-REGISTRY"], "the POD missing from the registry")
		assert.Contains(t, energy["IT001E00000001"], "kWh were metered", "the only POD with a curve, which differs")
		assert.Contains(t, energy["IT001E00000002"], "no metering data")
	})

	var list struct {
		Items []store.Invoice
		Total int
	}
	r.getJSON(t, "/api/v1/invoices", tokenAcme, &list)
	require.Len(t, list.Items, 1)
	inv := list.Items[0]
	path := "/api/v1/invoices/" + itoa(int64(inv.Load)) + "/" + itoa(int64(inv.Seq))

	t.Run("ListAndGet", func(t *testing.T) {
		assert.Equal(t, "TR-2025-0001", inv.Number)
		assert.Equal(t, "01234567890", inv.SenderVAT)
		assert.Equal(t, "cycle", inv.Type)
		assert.Equal(t, "5651,76", inv.Total)
		assert.Equal(t, isoDate(t, "2025-02-10"), inv.Date)
		assert.Equal(t, 3, inv.PointCount)

		var got store.InvoiceDetail
		r.getJSON(t, path, tokenAcme, &got)
		require.Len(t, got.Points, 3)
		assert.Equal(t, "IT001E00000001", got.Points[0].Code)
		require.NotEmpty(t, got.Points[0].Charges)
		c := got.Points[0].Charges[0]
		assert.Equal(t, "TRAS", c.Component)
		assert.Equal(t, "1234,567", c.Quantity)
		assert.Equal(t, "13,26", c.Amount)
		assert.Equal(t, "01234567890|IT001E00000001|TRAS||2025-01-01|2025-01-31", c.Key)

		r.getJSON(t, "/api/v1/invoices?pod=IT001E00000002&from=2025-02-01&to=2025-02-28", tokenAcme, &list)
		assert.Equal(t, 1, list.Total)
		r.getJSON(t, "/api/v1/invoices?pod=IT001E00000009", tokenAcme, &list)
		assert.Zero(t, list.Total)
	})

	t.Run("Facsimile", func(t *testing.T) {
		status, body, header := r.call(t, http.MethodGet, path+"/pdf", tokenAcme)
		require.Equal(t, http.StatusOK, status, string(body))
		assert.Equal(t, "application/pdf", header.Get("Content-Type"))
		assert.True(t, bytes.HasPrefix(body, []byte("%PDF")))
		status, body, header = r.call(t, http.MethodGet, path+"/pdf?pod=IT001E00000002", tokenAcme)
		require.Equal(t, http.StatusOK, status, string(body))
		assert.Contains(t, header.Get("Content-Disposition"), "IT001E00000002")
		status, _, _ = r.call(t, http.MethodGet, path+"/pdf?pod=IT001E00000009", tokenAcme)
		assert.Equal(t, http.StatusNotFound, status)
	})

	t.Run("Journal", func(t *testing.T) {
		status, body, _ := r.call(t, http.MethodGet, "/api/v1/invoices/journal.csv?from=2025-02-01&to=2025-02-28", tokenAcme)
		require.Equal(t, http.StatusOK, status, string(body))
		assert.Contains(t, string(body), "TR-2025-0001")
		status, body, _ = r.call(t, http.MethodGet, "/api/v1/invoices/journal.csv?from=2025-03-01", tokenAcme)
		require.Equal(t, http.StatusOK, status)
		assert.NotContains(t, string(body), "TR-2025-0001", "no invoice in March")

		status, body, _ = r.call(t, http.MethodGet, "/api/v1/invoices/journal.xlsx", tokenAcme)
		require.Equal(t, http.StatusOK, status, string(body))
		f, err := excelize.OpenReader(bytes.NewReader(body))
		require.NoError(t, err)
		defer f.Close()
		assert.Contains(t, f.GetSheetList(), "Prima nota")
	})

	t.Run("OtherCompany", func(t *testing.T) {
		status, _, _ := r.call(t, http.MethodGet, path, tokenOther)
		assert.Equal(t, http.StatusNotFound, status)
		status, _, _ = r.call(t, http.MethodGet, path+"/pdf", tokenOther)
		assert.Equal(t, http.StatusNotFound, status)
		var other struct{ Total int }
		r.getJSON(t, "/api/v1/invoices", tokenOther, &other)
		assert.Zero(t, other.Total)
	})

	t.Run("DuplicateInvoiceInAnotherFile", func(t *testing.T) {
		// The FatturaPA carries the same invoice number from the same
		// distributor: its transport invoice is not stored again.
		fattura, err := os.ReadFile(filepath.Join("..", "edi", "testdata", "transport-invoice.xml"))
		require.NoError(t, err)
		put(t, filepath.Join(inbox, "IT01234567890_00001.xml"), fattura)
		rep := r.scan(t, tokenAcme)
		require.Len(t, rep.Files, 1)
		l := rep.Files[0].Loads[0]
		assert.Equal(t, "FatturaPA", l.FlowCode)
		assert.Equal(t, store.StatusRejected, l.Status)
		assert.Equal(t, 1, l.RecordsRejected)

		var anomalies struct{ Items []anomaly.Anomaly }
		r.getJSON(t, "/api/v1/loads/"+itoa(int64(l.ID))+"/anomalies", tokenAcme, &anomalies)
		var dup []string
		for _, a := range anomalies.Items {
			if a.Code == "EDI-DUPLICATE" {
				dup = append(dup, a.Message)
			}
		}
		require.Len(t, dup, 1)
		assert.True(t, strings.Contains(dup[0], "already stored from load "+itoa(int64(load.ID))), dup[0])
		r.getJSON(t, "/api/v1/invoices", tokenAcme, &list)
		assert.Equal(t, 1, list.Total)
	})

	t.Run("BadRequests", func(t *testing.T) {
		for _, p := range []string{"/api/v1/invoices/x/1", "/api/v1/invoices/1/0/pdf", "/api/v1/invoices?from=2025-13-01"} {
			status, body, _ := r.call(t, http.MethodGet, p, tokenAcme)
			assert.Equal(t, http.StatusBadRequest, status, "%s: %s", p, body)
		}
		status, _, _ := r.call(t, http.MethodGet, "/api/v1/invoices/999/1", tokenAcme)
		assert.Equal(t, http.StatusNotFound, status)
	})
}

func TestInvoiceWithoutTransportDetail(t *testing.T) {
	// A FatturaPA with neither a detail attachment nor POD lines stores no
	// transport invoice, so the load log must say so instead of a silent
	// "loaded".
	sample, err := os.ReadFile(testref.Dir(t, "distributor-edi", "fatturapa", "invoice-simple.xml"))
	require.NoError(t, err)
	dir := t.TempDir()
	cfg := testConfig(dir)
	inbox := filepath.Join(dir, "acme", "invoices")
	cfg.Companies[0].Inboxes["invoices"] = []string{inbox}
	r := startServer(t, cfg, openSQLite(t, cfg), testLogger(t))

	put(t, filepath.Join(inbox, "invoice-simple.xml"), sample)
	rep := r.scan(t, tokenAcme)
	require.Len(t, rep.Files, 1)
	load := rep.Files[0].Loads[0]
	assert.Equal(t, "FatturaPA", load.FlowCode)
	assert.Equal(t, store.StatusLoadedWithAnomalies, load.Status)

	var anomalies struct{ Items []anomaly.Anomaly }
	r.getJSON(t, "/api/v1/loads/"+itoa(int64(load.ID))+"/anomalies", tokenAcme, &anomalies)
	var missing []anomaly.Anomaly
	for _, a := range anomalies.Items {
		if a.Code == edi.CodeMissing && a.Field == "DettaglioPOD" {
			missing = append(missing, a)
		}
	}
	require.Len(t, missing, 1)
	assert.Equal(t, anomaly.Warning, missing[0].Severity)
	assert.Contains(t, missing[0].Message, "not stored")

	var list struct{ Total int }
	r.getJSON(t, "/api/v1/invoices", tokenAcme, &list)
	assert.Zero(t, list.Total)
}
