package accise

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/bludispatcher/dispatcher/internal/anomaly"
	"github.com/bludispatcher/dispatcher/internal/civil"
)

func testClaim() RefundClaim {
	return RefundClaim{ID: "R-2025-01", Account: eeIT, Claimant: "Esempio Luce S.r.l.", FiscalCode: "01234567890",
		Office: "ADM Ufficio dei monopoli di Roma", Year: 2025, Amount: dec("4000"), Origin: OriginBalance,
		Reason: "conguaglio a credito 2025 non utilizzabile", IBAN: "IT60X0542811101000000123456",
		LastDeclaration: ymd(2026, 3, 20), Documents: []string{"dichiarazione 2025", "prospetto versamenti 2025"}}
}

func TestRefundDeadline(t *testing.T) {
	assert.Equal(t, ymd(2028, 3, 20), RefundDeadline(ymd(2026, 3, 20)))
	assert.Equal(t, ymd(2026, 2, 28), RefundDeadline(ymd(2024, 2, 29)))
}

func TestRefundClaimLifecycle(t *testing.T) {
	c := testClaim()
	require.NoError(t, c.File(ymd(2026, 4, 10), "prot. 123"))
	assert.Equal(t, StatusFiled, c.Status)
	assert.ErrorIs(t, c.File(ymd(2026, 4, 11), ""), ErrStatus)
	require.NoError(t, c.Decide(ymd(2026, 9, 1), dec("3000"), "accolta in parte"))
	assert.Equal(t, StatusPartlyGranted, c.Status)
	ms := c.Movements()
	require.Len(t, ms, 3)
	assert.Equal(t, MoveRefundClaimed, ms[0].Kind)
	assert.Equal(t, MoveRefundGranted, ms[1].Kind)
	assert.Equal(t, "1000.00", ms[2].Amount.StringFixed(2), "rejected part released")

	var l Ledger
	require.NoError(t, l.Add(Movement{Account: eeIT, Date: ymd(2026, 3, 20), Kind: MoveCredit, Amount: dec("4000"),
		Source: Source{Kind: SourceDeclaration, Ref: "2025"}}))
	require.NoError(t, l.Add(ms...))
	b := l.Balance(eeIT, civil.Date{})
	assert.Equal(t, "1000.00", b.AvailableCredit().StringFixed(2))
	assert.True(t, b.AwaitingRefund().IsZero())
}

func TestRefundClaimLate(t *testing.T) {
	c := testClaim()
	assert.ErrorIs(t, c.File(ymd(2028, 3, 21), ""), ErrRefundLate)
	c.IBAN = "IT60X0542811101000000123457"
	assert.ErrorIs(t, c.File(ymd(2026, 4, 1), ""), ErrIBAN)
}

func TestRefundDeadlineWarning(t *testing.T) {
	var l Ledger
	require.NoError(t, l.Add(Movement{Account: eeIT, Date: ymd(2026, 3, 20), Kind: MoveCredit, Amount: dec("4000"),
		Source: Source{Kind: SourceDeclaration, Ref: "2025"}}))
	opts := DeadlineOptions{LastDeclaration: ymd(2026, 3, 20), Advance: 60}
	assert.Empty(t, RefundWarnings(&l, nil, ymd(2027, 12, 1), opts), "more than 60 days before")
	found := RefundWarnings(&l, []RefundClaim{testClaim()}, ymd(2028, 2, 1), opts)
	require.Len(t, found, 2, "the credit and the draft claim")
	assert.Equal(t, CodeRefundDeadlineNear, found[0].Code)
	assert.Equal(t, anomaly.Warning, found[0].Severity)
	assert.Contains(t, found[0].Message, "20/03/2028")
	assert.Equal(t, "R-2025-01", found[1].Key)
	late := RefundWarnings(&l, nil, ymd(2028, 3, 21), opts)
	require.Len(t, late, 1)
	assert.Equal(t, CodeRefundDeadlinePassed, late[0].Code)
	assert.Equal(t, anomaly.Blocking, late[0].Severity)
}

func TestCreditTransferBetweenProvinces(t *testing.T) {
	from := Account{Company: "IT00RMA00001A", Tax: TaxElectricity, Area: "TO"}
	to := Account{Company: "IT00RMA00001A", Tax: TaxElectricity, Area: "MI"}
	tr := CreditTransfer{ID: "T1", From: from, To: to, FromOffice: "Torino", ToOffice: "Milano", Amount: dec("2000"),
		Filed: ymd(2021, 4, 1), FirstUse: ymd(2021, 4, 16)}
	require.NoError(t, tr.SetStatus(StatusFiled, ymd(2021, 4, 1), ""))
	var l Ledger
	require.NoError(t, l.Add(
		Movement{Account: from, Date: ymd(2021, 3, 15), Kind: MoveCredit, Amount: dec("2000"), Source: Source{Kind: SourceDeclaration, Ref: "2020"}},
		Movement{Account: to, Date: ymd(2021, 4, 16), Period: civil.Month{Year: 2021, Month: 4}, Kind: MoveDue, Amount: dec("3000")},
	))
	require.NoError(t, l.Add(tr.Movements()...))
	plan := Plan(&l, civil.Date{}, civil.Date{})
	require.Len(t, plan, 1)
	assert.Equal(t, "1000.00", plan[0].ToPay.StringFixed(2))

	late := tr
	late.Status, late.Filed = "", ymd(2021, 4, 10)
	assert.ErrorContains(t, late.Check(), "less than 10 days")
	after := tr
	after.FirstUse, after.Filed = ymd(2022, 1, 17), ymd(2022, 1, 1)
	assert.ErrorContains(t, after.Check(), "end with 2021")
}

func TestRefundClaimDocuments(t *testing.T) {
	c := testClaim()
	require.NoError(t, c.File(ymd(2026, 4, 10), "prot. 123"))
	var x bytes.Buffer
	require.NoError(t, WriteRefundClaimXLSX(&x, &c))
	f, err := excelize.OpenReader(&x)
	require.NoError(t, err)
	defer f.Close()
	got, err := f.GetRows("Istanza")
	require.NoError(t, err)
	assert.Contains(t, got, []string{"Importo richiesto (euro)", "4000.00"})
	assert.Contains(t, got, []string{"Termine per il rimborso (art. 14 c. 2 TUA)", "20/03/2028"})

	pdftotext, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdftotext not found: install poppler-utils (CI=true)")
		}
		t.Skip("pdftotext not found")
	}
	var p bytes.Buffer
	require.NoError(t, WriteRefundClaimPDF(&p, &c, time.Time{}))
	name := filepath.Join(t.TempDir(), "claim.pdf")
	require.NoError(t, os.WriteFile(name, p.Bytes(), 0o600))
	out, err := exec.Command(pdftotext, name, "-").Output()
	require.NoError(t, err)
	assert.Contains(t, string(out), "IT60X0542811101000000123456")
	assert.Contains(t, string(out), "prospetto versamenti 2025")
}

func TestCreditTransferPDF(t *testing.T) {
	tr := CreditTransfer{ID: "T1", From: Account{Company: "IT00RMA00001A", Tax: TaxElectricity, Area: "TO"},
		To: Account{Company: "IT00RMA00001A", Tax: TaxElectricity, Area: "MI"}, FromOffice: "Torino", ToOffice: "Milano",
		Amount: dec("2000"), Filed: ymd(2021, 4, 1), FirstUse: ymd(2021, 4, 16)}
	var buf bytes.Buffer
	require.NoError(t, WriteCreditTransferPDF(&buf, &tr, time.Time{}))
	assert.True(t, bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")))
	tr.To.Tax = TaxGasCombustion
	assert.ErrorContains(t, WriteCreditTransferPDF(&buf, &tr, time.Time{}), "not the same company and tax")
}
