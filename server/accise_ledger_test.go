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
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/bludispatcher/dispatcher/accise"
	"github.com/bludispatcher/dispatcher/internal/anomaly"
	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/internal/testref"
	"github.com/bludispatcher/dispatcher/server/store/postgres"
)

// sendBody sends a request with a body and returns the status, body and header.
func (r *running) sendBody(t *testing.T, method, path, token, contentType string, body []byte) (int, []byte, http.Header) {
	t.Helper()
	req, err := http.NewRequest(method, r.base+path, bytes.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, out, resp.Header
}

// ledgerMovementsCSV has a credit of electricity excise offsetting two
// later debts of the same tax and area, a gas debt and an ARISGAN debt
// that it must not touch, and two bad rows.
const ledgerMovementsCSV = `company;tax;area;date;period;kind;amount;source;reference;note
IT00TOE00001A;ee;IT;2026-03-16;;credit;6000.00;declaration;dichiarazione 2025;saldo a credito
IT00TOE00001A;ee;IT;2026-03-31;2026-02;due;4000.00;quantities;consumi 02/2026;
IT00TOE00001A;ee;IT;2026-04-30;2026-03;due;5000.00;quantities;consumi 03/2026;
IT00TOE00001A;gn-combustion;IT;2026-04-30;2026-03;due;700.00;quantities;consumi 03/2026;
IT00TOE00001A;arisgan;TO;2026-04-30;2026-03;due;830.00;quantities;consumi 03/2026;
IT00TOE00001A;ee;IT;2026-05-31;2026-04;due;x;quantities;;
IT00TOE00001A;zz;IT;2026-05-31;2026-04;due;10.00;quantities;;
`

type ledgerResponse struct {
	Accounts []struct {
		Company, Tax, Area           string
		Due, CreditUsed, Outstanding string
		AvailableCredit              string
	}
	Offsets []struct {
		Tax, Area, DebtDate, Amount, Explanation string
	}
}

func (l ledgerResponse) account(tax string) (due, used, outstanding, available string) {
	for _, a := range l.Accounts {
		if a.Tax == tax {
			return a.Due, a.CreditUsed, a.Outstanding, a.AvailableCredit
		}
	}
	return "", "", "", ""
}

func TestAcciseLedgerEndpoints(t *testing.T) {
	cfg := testConfig(t.TempDir())
	st := openSQLite(t, cfg)
	testAcciseLedgerEndpoints(t, startServer(t, cfg, st, testLogger(t)))
}

func TestAcciseLedgerEndpointsOnPostgres(t *testing.T) {
	dsn := postgresSchema(t)
	cfg := testConfig(t.TempDir())
	cfg.Store = dsn
	st, err := postgres.Open(context.Background(), dsn)
	require.NoError(t, err)
	t.Cleanup(func() { st.Close() })
	testAcciseLedgerEndpoints(t, startServer(t, cfg, st, testLogger(t)))
}

// testAcciseLedgerEndpoints runs the ledger, payment, credit and refund
// endpoints of a server whose store is new.
func testAcciseLedgerEndpoints(t *testing.T, r *running) {
	var added struct {
		Stored   int
		Rejected []struct {
			Line   int
			Item   int
			Column string
			Value  string
			Error  string
		}
	}
	status, body, _ := r.sendBody(t, http.MethodPost, "/api/v1/accise/ledger/movements", tokenAcme, "text/csv", []byte(ledgerMovementsCSV))
	require.Equal(t, http.StatusCreated, status, string(body))
	require.NoError(t, json.Unmarshal(body, &added))
	assert.Equal(t, 5, added.Stored, "the good rows are kept")
	require.Len(t, added.Rejected, 2)
	assert.Equal(t, 7, added.Rejected[0].Line)
	assert.Equal(t, "amount", added.Rejected[0].Column)
	assert.Equal(t, "x", added.Rejected[0].Value)
	assert.Equal(t, 8, added.Rejected[1].Line)
	assert.Equal(t, "tax", added.Rejected[1].Column)
	assert.Equal(t, "zz", added.Rejected[1].Value)

	status, body, _ = r.sendBody(t, http.MethodPost, "/api/v1/accise/ledger/movements", tokenAcme, "text/csv", []byte(ledgerMovementsCSV))
	assert.Equal(t, http.StatusConflict, status, "the same body again is not stored twice: %s", body)

	t.Run("MovementList", func(t *testing.T) {
		var list struct {
			Movements []struct{ Tax, Date, Kind, Amount, Source, Reference string }
		}
		r.getJSON(t, "/api/v1/accise/ledger/movements", tokenAcme, &list)
		require.Len(t, list.Movements, 5)
		assert.Equal(t, "credit", list.Movements[0].Kind)
		assert.Equal(t, "declaration", list.Movements[0].Source)
		assert.Equal(t, "dichiarazione 2025", list.Movements[0].Reference)

		status, body, _ := r.call(t, http.MethodGet, "/api/v1/accise/ledger/movements?format=csv&offsets=true", tokenAcme)
		require.Equal(t, http.StatusOK, status, string(body))
		ms, bad, err := accise.ReadMovements(bytes.NewReader(body))
		require.NoError(t, err)
		assert.Empty(t, bad)
		assert.Len(t, ms, 7, "five movements and two offsets")
	})

	t.Run("JSONMovements", func(t *testing.T) {
		items := `[{"company":"IT00TOE00002B","tax":"ee","area":"IT","date":"2026-01-31","kind":"paid","amount":12.5},
			{"company":"IT00TOE00002B","tax":"ee","area":"IT","date":"2026-01-31","kind":"owed","amount":"1"}]`
		status, body, _ := r.sendBody(t, http.MethodPost, "/api/v1/accise/ledger/movements", tokenOther, "application/json", []byte(items))
		require.Equal(t, http.StatusCreated, status, string(body))
		require.NoError(t, json.Unmarshal(body, &added))
		assert.Equal(t, 1, added.Stored)
		require.Len(t, added.Rejected, 1)
		assert.Equal(t, 2, added.Rejected[0].Item)
		assert.Equal(t, "kind", added.Rejected[0].Column)
		assert.Equal(t, "owed", added.Rejected[0].Value)

		status, body, _ = r.sendBody(t, http.MethodPost, "/api/v1/accise/ledger/movements", tokenOther, "application/json", []byte(`[{"tax":1}]`))
		assert.Equal(t, http.StatusBadRequest, status, string(body))
		status, body, _ = r.sendBody(t, http.MethodPost, "/api/v1/accise/ledger/movements", tokenOther, "text/csv", []byte("tax;area\n"))
		assert.Equal(t, http.StatusBadRequest, status, "missing columns: %s", body)
	})

	t.Run("Balances", func(t *testing.T) {
		var l ledgerResponse
		r.getJSON(t, "/api/v1/accise/ledger?on=2026-05-31", tokenAcme, &l)
		due, used, outstanding, available := l.account("ee")
		assert.Equal(t, "9000.00", due)
		assert.Equal(t, "6000.00", used, "the credit covers both later debts")
		assert.Equal(t, "3000.00", outstanding)
		assert.Equal(t, "0.00", available)
		_, used, outstanding, _ = l.account("gn-combustion")
		assert.Equal(t, "0.00", used, "no offset across taxes")
		assert.Equal(t, "700.00", outstanding)
		_, used, _, _ = l.account("arisgan")
		assert.Equal(t, "0.00", used, "no offset across taxes and areas")
		require.Len(t, l.Offsets, 2)
		for _, o := range l.Offsets {
			assert.Equal(t, "ee", o.Tax)
			assert.NotEmpty(t, o.Explanation)
		}
		assert.Equal(t, "4000.00", l.Offsets[0].Amount)
		assert.Equal(t, "2000.00", l.Offsets[1].Amount)

		r.getJSON(t, "/api/v1/accise/ledger?on=2026-04-01", tokenAcme, &l)
		_, used, _, available = l.account("ee")
		assert.Equal(t, "4000.00", used)
		assert.Equal(t, "2000.00", available, "credit left after the first offset")
		assert.Len(t, l.Offsets, 1, "offsets of debts due by the day")

		status, _, _ := r.call(t, http.MethodGet, "/api/v1/accise/ledger?on=31-05", tokenAcme)
		assert.Equal(t, http.StatusBadRequest, status)
	})

	t.Run("Payments", func(t *testing.T) {
		var plan struct {
			Payments []struct{ Tax, Due, Code, Amount, CreditUsed, ToPay string }
		}
		r.getJSON(t, "/api/v1/accise/payments?from=2026-04-01&to=2026-04-30", tokenAcme, &plan)
		require.Len(t, plan.Payments, 3)
		byTax := map[string]int{}
		for i, p := range plan.Payments {
			byTax[p.Tax] = i
		}
		ee := plan.Payments[byTax["ee"]]
		assert.Equal(t, "2000.00", ee.CreditUsed)
		assert.Equal(t, "3000.00", ee.ToPay)
		assert.Equal(t, "2806", ee.Code)
		assert.Equal(t, "700.00", plan.Payments[byTax["gn-combustion"]].ToPay)

		status, body, header := r.call(t, http.MethodGet, "/api/v1/accise/payments?from=2026-04-01&to=2026-04-30&format=f24.pdf&payer_cf=01234567890&payer_name=Energia", tokenAcme)
		require.Equal(t, http.StatusOK, status, string(body))
		assert.Equal(t, "application/pdf", header.Get("Content-Type"))
		text := pdfText(t, body)
		assert.Contains(t, text, "2806")
		assert.Contains(t, text, "01234567890")

		status, body, _ = r.call(t, http.MethodGet, "/api/v1/accise/payments?from=2027-01-01&to=2027-01-31&format=f24.pdf", tokenAcme)
		assert.Equal(t, http.StatusNotFound, status, "nothing to pay: %s", body)
		status, body, _ = r.call(t, http.MethodGet, "/api/v1/accise/payments?format=cbi.xml", tokenAcme)
		assert.Equal(t, http.StatusConflict, status, "no transfer settings yet: %s", body)
		status, body, _ = r.call(t, http.MethodGet, "/api/v1/accise/payments?format=doc", tokenAcme)
		assert.Equal(t, http.StatusBadRequest, status, string(body))
	})

	t.Run("Transfers", func(t *testing.T) {
		settings, err := os.ReadFile(filepath.Join("..", "accise", "testdata", "payments", "transfer.json"))
		require.NoError(t, err)
		status, body, _ := r.sendBody(t, http.MethodPut, "/api/v1/accise/settings/transfers", tokenAcme, "application/json", []byte(`{"debtor":{}}`))
		assert.Equal(t, http.StatusBadRequest, status, "invalid settings: %s", body)
		status, body, _ = r.sendBody(t, http.MethodPut, "/api/v1/accise/settings/transfers", tokenAcme, "application/json", settings)
		require.Equal(t, http.StatusOK, status, string(body))
		status, _, _ = r.call(t, http.MethodGet, "/api/v1/accise/settings/transfers", tokenOther)
		assert.Equal(t, http.StatusNotFound, status, "another company's settings")

		cbiXSD := testref.Dir(t, "accise", "CBIPaymentRequest.00.04.01.xsd")
		painXSD := testref.Dir(t, "accise", "pain.001.001.03.xsd")
		for format, xsd := range map[string]string{"cbi.xml": cbiXSD, "pain001.xml": painXSD} {
			status, body, header := r.call(t, http.MethodGet, "/api/v1/accise/payments?from=2026-04-01&to=2026-04-30&format="+format, tokenAcme)
			require.Equal(t, http.StatusOK, status, "%s: %s", format, body)
			assert.Equal(t, "application/xml", header.Get("Content-Type"))
			assert.Contains(t, string(body), "ARISGAN 03/2026 TO IT00TOG00456B")
			validateAgainstXSD(t, xsd, body)
		}
	})

	t.Run("Credits", func(t *testing.T) {
		var report struct {
			Credits []struct {
				Tax, Opening, Closing, Deadline string
				UsedByMonth                     map[string]string
			}
			Payments []struct{ Tax string }
			Warnings []anomaly.Anomaly
		}
		path := "/api/v1/accise/credits?from=2026-01-01&to=2026-12-31&last_declaration=2024-06-10&on=2026-04-01"
		r.getJSON(t, path, tokenAcme, &report)
		require.Len(t, report.Credits, 1)
		assert.Equal(t, "ee", report.Credits[0].Tax)
		assert.Equal(t, "0.00", report.Credits[0].Closing)
		assert.Equal(t, "2026-06-10", report.Credits[0].Deadline)
		assert.Equal(t, map[string]string{"2026-03": "4000.00", "2026-04": "2000.00"}, report.Credits[0].UsedByMonth)
		assert.Len(t, report.Payments, 4)
		require.Len(t, report.Warnings, 1, "the credit still free on 1 April expires within 90 days")
		assert.Equal(t, accise.CodeRefundDeadlineNear, report.Warnings[0].Code)

		status, body, _ := r.call(t, http.MethodGet, path+"&format=xlsx", tokenAcme)
		require.Equal(t, http.StatusOK, status, string(body))
		f, err := excelize.OpenReader(bytes.NewReader(body))
		require.NoError(t, err)
		defer f.Close()
		rows, err := f.GetRows(accise.SheetCredits)
		require.NoError(t, err)
		require.Len(t, rows, 2, "header and the electricity account")
		assert.Equal(t, "IT00TOE00001A", rows[1][0])
		payments, err := f.GetRows(accise.SheetPayments)
		require.NoError(t, err)
		assert.Len(t, payments, 5, "header and four amounts due")

		status, _, _ = r.call(t, http.MethodGet, "/api/v1/accise/credits?from=2026-01-01", tokenAcme)
		assert.Equal(t, http.StatusBadRequest, status, "missing to")
	})

	t.Run("RefundClaims", func(t *testing.T) {
		now := civil.DateOf(time.Now().In(civil.Rome))
		last := civil.Date{Year: now.Year - 2, Month: now.Month, Day: 1}.AddDays(40)
		claim := map[string]any{"company": "IT00TOE00001A", "tax": "ee", "area": "IT", "claimant": "Energia Srl",
			"fiscalCode": "01234567890", "office": "ADM Torino", "year": 2025, "amount": "1500.00",
			"iban": "IT60X0542811101000000123456", "lastDeclaration": last.String()}
		data, err := json.Marshal(claim)
		require.NoError(t, err)
		status, body, _ := r.sendBody(t, http.MethodPost, "/api/v1/accise/refunds", tokenAcme, "application/json", data)
		require.Equal(t, http.StatusCreated, status, string(body))
		var created struct {
			ID, Status, Deadline string
			Warnings             []anomaly.Anomaly
		}
		require.NoError(t, json.Unmarshal(body, &created))
		assert.Equal(t, "draft", created.Status)
		assert.Equal(t, accise.RefundDeadline(last).String(), created.Deadline)
		require.Len(t, created.Warnings, 1, "the deadline is about 40 days away")
		assert.Equal(t, accise.CodeRefundDeadlineNear, created.Warnings[0].Code)

		var list struct {
			Claims   []struct{ ID string }
			Warnings []anomaly.Anomaly
		}
		r.getJSON(t, "/api/v1/accise/refunds", tokenAcme, &list)
		require.Len(t, list.Claims, 1)
		require.Len(t, list.Warnings, 1)
		assert.Equal(t, created.ID, list.Warnings[0].Key)

		claim["iban"] = "IT61X0542811101000000123456"
		data, err = json.Marshal(claim)
		require.NoError(t, err)
		status, body, _ = r.sendBody(t, http.MethodPost, "/api/v1/accise/refunds", tokenAcme, "application/json", data)
		assert.Equal(t, http.StatusBadRequest, status, "wrong IBAN check digits: %s", body)

		filePath := "/api/v1/accise/refunds/" + created.ID + "/file"
		status, _, _ = r.sendBody(t, http.MethodPost, filePath, tokenOther, "application/json", []byte(`{}`))
		assert.Equal(t, http.StatusNotFound, status, "another company's claim")
		status, body, _ = r.sendBody(t, http.MethodPost, filePath, tokenAcme, "application/json", []byte(`{"date":"31/02/2026"}`))
		assert.Equal(t, http.StatusBadRequest, status, "invalid date: %s", body)
		status, body, _ = r.sendBody(t, http.MethodPost, filePath, tokenAcme, "application/json", []byte(`{"date":"`+now.Italian()+`"}`))
		require.Equal(t, http.StatusOK, status, string(body))
		status, body, _ = r.sendBody(t, http.MethodPost, filePath, tokenAcme, "application/json", []byte(`{}`))
		assert.Equal(t, http.StatusConflict, status, "filed twice: %s", body)

		decision := "/api/v1/accise/refunds/" + created.ID + "/decision"
		status, body, _ = r.sendBody(t, http.MethodPost, decision, tokenAcme, "application/json", []byte(`{"granted":"1000.00"}`))
		require.Equal(t, http.StatusOK, status, string(body))
		var decided struct{ Status, Granted string }
		require.NoError(t, json.Unmarshal(body, &decided))
		assert.Equal(t, "partly-granted", decided.Status)
		assert.Equal(t, "1000.00", decided.Granted)

		r.getJSON(t, "/api/v1/accise/refunds", tokenOther, &list)
		assert.Empty(t, list.Claims, "another company sees no claims")

		status, body, header := r.call(t, http.MethodGet, "/api/v1/accise/refunds/"+created.ID+"/claim.pdf", tokenAcme)
		require.Equal(t, http.StatusOK, status, string(body))
		assert.Equal(t, "application/pdf", header.Get("Content-Type"))
		assert.Contains(t, pdfText(t, body), "01234567890")
		status, body, _ = r.call(t, http.MethodGet, "/api/v1/accise/refunds/"+created.ID+"/claim.xlsx", tokenAcme)
		require.Equal(t, http.StatusOK, status, string(body))
		_, err = excelize.OpenReader(bytes.NewReader(body))
		assert.NoError(t, err)
		status, _, _ = r.call(t, http.MethodGet, "/api/v1/accise/refunds/"+created.ID+"/claim.pdf", tokenOther)
		assert.Equal(t, http.StatusNotFound, status, "another company's claim document")

		claim["id"], claim["iban"] = "a/b", "IT60X0542811101000000123456"
		data, err = json.Marshal(claim)
		require.NoError(t, err)
		status, body, _ = r.sendBody(t, http.MethodPost, "/api/v1/accise/refunds", tokenAcme, "application/json", data)
		assert.Equal(t, http.StatusBadRequest, status, "an id that is no path segment: %s", body)
	})

	t.Run("Isolation", func(t *testing.T) {
		var l ledgerResponse
		r.getJSON(t, "/api/v1/accise/ledger", tokenOther, &l)
		require.Len(t, l.Accounts, 1, "only the other company's own JSON movement")
		assert.Equal(t, "IT00TOE00002B", l.Accounts[0].Company)
		status, _, _ := r.call(t, http.MethodGet, "/api/v1/accise/ledger", "")
		assert.Equal(t, http.StatusUnauthorized, status)
	})
}

// pdfText returns the text of a PDF through pdftotext; CI=true fails when
// it is missing.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	tool, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdftotext not found: install poppler-utils (CI=true)")
		}
		t.Skip("pdftotext not found")
	}
	name := filepath.Join(t.TempDir(), "f24.pdf")
	require.NoError(t, os.WriteFile(name, pdf, 0o600))
	out, err := exec.Command(tool, "-layout", name, "-").Output()
	require.NoError(t, err)
	return string(out)
}

// validateAgainstXSD checks doc with xmllint --schema; CI=true fails when
// xmllint is missing.
func validateAgainstXSD(t *testing.T, xsd string, doc []byte) {
	t.Helper()
	tool, err := exec.LookPath("xmllint")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("xmllint not found: install libxml2-utils (CI=true)")
		}
		t.Skip("xmllint not found")
	}
	name := filepath.Join(t.TempDir(), "doc.xml")
	require.NoError(t, os.WriteFile(name, doc, 0o600))
	out, err := exec.Command(tool, "--noout", "--schema", xsd, name).CombinedOutput()
	require.NoError(t, err, "%s\n%s", out, doc)
}
