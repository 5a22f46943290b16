package server

import (
	"bytes"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/internal/anomaly"
	"github.com/bludispatcher/dispatcher/server/ingest"
	"github.com/bludispatcher/dispatcher/server/store"
)

// TestInvoiceForOtherCompanyRejected loads invoices addressed to VAT
// number 12345678901 (the seller in both sample files) into a company
// whose configured VAT number is 98765432109, and into one configured
// as IT12345678901.
func TestInvoiceForOtherCompanyRejected(t *testing.T) {
	dir := t.TempDir()
	cfg := testConfig(dir)
	acmeInbox := filepath.Join(dir, "acme", "invoices")
	otherInbox := filepath.Join(dir, "other", "invoices")
	cfg.Companies[0].VAT = "98765432109"
	cfg.Companies[0].Inboxes["invoices"] = []string{acmeInbox}
	cfg.Companies[1].VAT = "IT12345678901"
	cfg.Companies[1].Inboxes["invoices"] = []string{otherInbox}
	r := startServer(t, cfg, openSQLite(t, cfg), testLogger(t))

	detail, err := os.ReadFile(filepath.Join("..", "edi", "testdata", "transport-detail.xml"))
	require.NoError(t, err)
	fattura, err := os.ReadFile(filepath.Join("..", "edi", "testdata", "transport-invoice.xml"))
	require.NoError(t, err)
	customer := "<CessionarioCommittente><DatiAnagrafici><IdFiscaleIVA><IdPaese>IT</IdPaese><IdCodice>"
	require.Contains(t, string(fattura), customer+"12345678901<")
	// The FatturaPA names acme as its customer, but its detail attachment
	// still names 12345678901 in TPartitaIvaDestinatario.
	mixed := bytes.Replace(fattura, []byte(customer+"12345678901<"), []byte(customer+"98765432109<"), 1)

	// loadRejected loads one file into acme's inbox, checks that the load
	// is rejected with its original kept and no invoice stored, and
	// returns the load's other-company anomalies.
	loadRejected := func(t *testing.T, name string, data []byte) (store.Load, []anomaly.Anomaly) {
		t.Helper()
		put(t, filepath.Join(acmeInbox, name), data)
		rep := r.scan(t, tokenAcme)
		require.Len(t, rep.Files, 1)
		require.Len(t, rep.Files[0].Loads, 1)
		l := rep.Files[0].Loads[0]
		assert.Equal(t, store.StatusRejected, l.Status)
		assert.Zero(t, l.RecordsLoaded)

		status, body, _ := r.call(t, http.MethodGet, "/api/v1/loads/"+itoa(int64(l.ID))+"/original", tokenAcme)
		assert.Equal(t, http.StatusOK, status)
		assert.Equal(t, data, body, "the original is kept byte for byte")
		var list struct{ Total int }
		r.getJSON(t, "/api/v1/invoices", tokenAcme, &list)
		assert.Zero(t, list.Total, "no invoice is stored")

		var anomalies struct{ Items []anomaly.Anomaly }
		r.getJSON(t, "/api/v1/loads/"+itoa(int64(l.ID))+"/anomalies", tokenAcme, &anomalies)
		var found []anomaly.Anomaly
		for _, a := range anomalies.Items {
			if a.Rule == ingest.RuleOtherCompany {
				found = append(found, a)
			}
		}
		return l, found
	}

	t.Run("detail flow", func(t *testing.T) {
		_, found := loadRejected(t, "transport-detail.xml", detail)
		require.Len(t, found, 1)
		a := found[0]
		assert.Equal(t, ingest.CodeRecipient, a.Code)
		assert.Equal(t, anomaly.Blocking, a.Severity)
		assert.Equal(t, anomaly.FileLevel, a.Level)
		assert.Equal(t, "TPartitaIvaDestinatario", a.Field)
		assert.Equal(t, "12345678901", a.Value)
		assert.Positive(t, a.Line)
		assert.Contains(t, a.Message, "12345678901", "the VAT number found")
		assert.Contains(t, a.Message, "98765432109", "the VAT number expected")
	})

	t.Run("FatturaPA customer", func(t *testing.T) {
		_, found := loadRejected(t, "IT01234567890_00001.xml", fattura)
		require.Len(t, found, 1)
		a := found[0]
		assert.Equal(t, anomaly.FileLevel, a.Level)
		assert.Equal(t, anomaly.Blocking, a.Severity)
		assert.Equal(t, "CessionarioCommittente/DatiAnagrafici/IdFiscaleIVA/IdCodice", a.Field)
		assert.Equal(t, "12345678901", a.Value)
		assert.Positive(t, a.Line)
		assert.Contains(t, a.Message, "98765432109")
	})

	t.Run("detail attachment", func(t *testing.T) {
		l, found := loadRejected(t, "IT01234567890_00002.xml", mixed)
		assert.Equal(t, 1, l.RecordsRejected, "the one transport invoice")
		require.Len(t, found, 1)
		a := found[0]
		assert.Equal(t, anomaly.RecordLevel, a.Level)
		assert.Equal(t, anomaly.Blocking, a.Severity)
		assert.Equal(t, "TR-2025-0001", a.Key)
		assert.Equal(t, "TPartitaIvaDestinatario", a.Field)
		assert.Equal(t, "12345678901", a.Value)
		assert.Contains(t, a.Message, "98765432109")
	})

	t.Run("own invoice loads", func(t *testing.T) {
		// The configured IT prefix matches IdPaese IT and IdCodice.
		put(t, filepath.Join(otherInbox, "IT01234567890_00001.xml"), fattura)
		rep := r.scan(t, tokenOther)
		require.Len(t, rep.Files, 1)
		require.Len(t, rep.Files[0].Loads, 1)
		l := rep.Files[0].Loads[0]
		assert.NotEqual(t, store.StatusRejected, l.Status)
		assert.Equal(t, 1, l.RecordsLoaded)

		var anomalies struct{ Items []anomaly.Anomaly }
		r.getJSON(t, "/api/v1/loads/"+itoa(int64(l.ID))+"/anomalies", tokenOther, &anomalies)
		for _, a := range anomalies.Items {
			assert.NotEqual(t, ingest.RuleOtherCompany, a.Rule, "%s", a.Message)
		}
		var list struct{ Total int }
		r.getJSON(t, "/api/v1/invoices", tokenOther, &list)
		assert.Equal(t, 1, list.Total)
	})
}
