package accise

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/bludispatcher/dispatcher/internal/civil"
)

func reportLedger(t *testing.T) *Ledger {
	t.Helper()
	var l Ledger
	require.NoError(t, l.Add(Movement{Account: eeIT, Date: ymd(2026, 3, 20), Kind: MoveCredit, Amount: dec("5000"),
		Source: Source{Kind: SourceDeclaration, Ref: "dichiarazione 2025"}}))
	for m := 2; m <= 4; m++ {
		month := civil.Month{Year: 2026, Month: 1}.AddMonths(m - 1)
		due, err := ScheduleOptions{}.DueDate(TaxElectricity, RegimeMonthly, month.AddMonths(1))
		require.NoError(t, err)
		require.NoError(t, l.Add(Movement{Account: eeIT, Date: due, Period: month, Kind: MoveDue, Amount: dec("2000"),
			Source: Source{Kind: SourceQuantities, Ref: month.Italian()}}))
	}
	return &l
}

func TestResidualCredits(t *testing.T) {
	l := reportLedger(t)
	rows := ResidualCredits(l, ymd(2026, 1, 1), ymd(2026, 12, 31), DeadlineOptions{LastDeclaration: ymd(2026, 3, 20)})
	require.Len(t, rows, 1)
	r := rows[0]
	assert.True(t, r.Opening.IsZero())
	assert.Equal(t, "5000.00", r.Arising.StringFixed(2))
	require.Len(t, r.Used, 3)
	assert.Equal(t, civil.Month{Year: 2026, Month: 3}, r.Used[0].Month)
	assert.Equal(t, "1000.00", r.Used[2].Amount.StringFixed(2))
	assert.True(t, r.Closing.IsZero())
	assert.Equal(t, ymd(2028, 3, 20), r.Deadline)
}

func TestCreditReportWorkbook(t *testing.T) {
	l := reportLedger(t)
	c := testClaim()
	require.NoError(t, c.File(ymd(2026, 4, 10), ""))
	report := CreditReport{
		Credits:  ResidualCredits(l, ymd(2026, 1, 1), ymd(2026, 12, 31), DeadlineOptions{LastDeclaration: ymd(2026, 3, 20)}),
		Payments: MonthlyPaymentReport(l, civil.Date{}, civil.Date{}, nil),
		Refunds:  AwaitingRefund([]RefundClaim{c, testClaim()}),
	}
	require.Len(t, report.Payments, 3)
	assert.Equal(t, "2806", report.Payments[0].Code)
	assert.Equal(t, "0.00", report.Payments[1].ToPay.StringFixed(2))
	assert.Equal(t, "1000.00", report.Payments[2].ToPay.StringFixed(2))
	require.Len(t, report.Refunds, 1, "the draft claim is not awaiting")

	var buf bytes.Buffer
	require.NoError(t, WriteCreditReport(&buf, report))
	f, err := excelize.OpenReader(&buf)
	require.NoError(t, err)
	defer f.Close()
	assert.Equal(t, []string{SheetCredits, SheetPayments, SheetRefunds, SheetDeadlines}, f.GetSheetList())
	pays, err := f.GetRows(SheetPayments)
	require.NoError(t, err)
	require.Len(t, pays, 4)
	assert.Equal(t, "31/03/2026", pays[1][4])
	assert.Contains(t, pays[2][11], "residuo credito 1000.00")
}
