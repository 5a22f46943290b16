package accise

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/internal/civil"
)

// generatedLines returns one electricity line per month of a non-dwelling
// supply in Torino with 100,000 kWh more each month, one in Palermo, and a
// gas line spanning January and February.
func generatedLines() []Line {
	var lines []Line
	for m := 1; m <= 4; m++ {
		month := civil.Month{Year: 2026, Month: time.Month(m)}
		lines = append(lines, Line{File: "gen.csv", Row: m + 1, Supply: "IT001E00000001", Commodity: Electricity,
			Use: UseNonDwelling, Province: "TO", Municipality: "L219", From: month.First(), To: month.Last(),
			Quantity: dec(fmt.Sprint(100000 * m)), Kind: Invoice})
	}
	lines = append(lines, Line{File: "gen.csv", Row: 6, Supply: "IT001E00000002", Commodity: Electricity,
		Use: UseNonDwelling, Province: "PA", Municipality: "G273", From: ymd(2026, 1, 1), To: ymd(2026, 1, 31),
		Quantity: dec("50000"), Kind: Invoice})
	lines = append(lines, Line{File: "gen.csv", Row: 7, Supply: "00880000000001", Commodity: Gas, Use: UseCivil,
		Province: "TO", Municipality: "L219", ClimateZone: "E", From: ymd(2026, 1, 1), To: ymd(2026, 2, 28),
		Quantity: dec("1000"), Kind: Invoice})
	return lines
}

func TestMonthlyRegimeFromQuantities(t *testing.T) {
	c, found := Compute(generatedLines(), ComputeOptions{})
	require.Empty(t, found)
	taxes, err := MonthlyTaxes(c, "IT00RMA00001A", DefaultTerritory())
	require.NoError(t, err)
	got := map[string]string{}
	for _, mt := range taxes {
		got[mt.Account.Tax.Chapter()+" "+mt.Account.Area+" "+mt.Month.String()] = mt.Amount.StringFixed(2)
	}
	assert.Equal(t, "1250.00", got["1411 IT 2026-01"])
	assert.Equal(t, "2500.00", got["1411 IT 2026-02"])
	assert.Equal(t, "3250.00", got["1411 IT 2026-03"])
	assert.Equal(t, "4000.00", got["1411 IT 2026-04"])
	assert.Equal(t, "625.00", got["1411 PA 2026-01"], "Sicilia is its own ambito")
	gasTotal := dec(got["1421 IT 2026-01"]).Add(dec(got["1421 IT 2026-02"]))
	assert.Equal(t, "156.68", gasTotal.StringFixed(2), "the gas line is split by days, its total kept")
	assert.Contains(t, got, "ARISGAN TO 2026-01")

	dues, err := MonthlyPayments(taxes, ScheduleOptions{})
	require.NoError(t, err)
	byPeriod := map[string]civil.Date{}
	for _, d := range dues {
		if d.Account.Tax == TaxElectricity && d.Account.Area == "IT" {
			byPeriod[d.Period.String()] = d.Date
		}
		assert.False(t, d.Account.Tax.Regional(), "regional taxes keep their instalments")
	}
	assert.Equal(t, ymd(2026, 3, 2), byPeriod["2026-01"], "28 February 2026 is a Saturday")
	assert.Equal(t, ymd(2026, 3, 31), byPeriod["2026-02"])
	assert.Equal(t, ymd(2026, 4, 30), byPeriod["2026-03"])
	assert.Equal(t, ymd(2026, 6, 1), byPeriod["2026-04"], "31 May 2026 is a Sunday")
}

func TestCompensationAcrossMonths(t *testing.T) {
	c, found := Compute(generatedLines(), ComputeOptions{})
	require.Empty(t, found)
	taxes, err := MonthlyTaxes(c, "IT00RMA00001A", DefaultTerritory())
	require.NoError(t, err)
	dues, err := MonthlyPayments(taxes, ScheduleOptions{})
	require.NoError(t, err)
	var l Ledger
	require.NoError(t, l.Add(dues...))
	s, err := Settle(eeIT, 2025, 0, dec("115000"), dec("120000"), ymd(2026, 3, 20), ScheduleOptions{})
	require.NoError(t, err)
	require.NoError(t, l.Add(s.Movements()...))

	plan := Plan(&l, civil.Date{}, civil.Date{})
	toPay := map[string]string{}
	for _, p := range plan {
		if p.Account == eeIT {
			toPay[p.Period.String()] = p.ToPay.StringFixed(2)
		}
		if p.Account.Tax != TaxElectricity {
			assert.True(t, p.CreditUsed.IsZero(), "no offset across taxes: %s", p.Account)
		}
	}
	assert.Equal(t, "1250.00", toPay["2026-01"], "due before the credit arose")
	assert.Equal(t, "0.00", toPay["2026-02"], "2,500.00 offset, 2,500.00 left")
	assert.Equal(t, "750.00", toPay["2026-03"], "the rest of the credit")
	assert.Equal(t, "4000.00", toPay["2026-04"])

	offsets := Compensate(&l)
	require.Len(t, offsets, 2)
	assert.Equal(t, "2500.00", offsets[0].CreditLeft.StringFixed(2))
	assert.Contains(t, offsets[1].Explanation, "utilizzati 2500.00, residuo credito 0.00, da versare 750.00")
}

func TestCompensationSkipsClaimedCredit(t *testing.T) {
	var l Ledger
	require.NoError(t, l.Add(
		Movement{Account: eeIT, Date: ymd(2026, 3, 20), Kind: MoveCredit, Amount: dec("5000"), Source: Source{Kind: SourceDeclaration, Ref: "2025"}},
		Movement{Account: eeIT, Date: ymd(2026, 3, 25), Kind: MoveRefundClaimed, Amount: dec("3000"), Source: Source{Kind: SourceRefund, Ref: "R1"}},
		Movement{Account: eeIT, Date: ymd(2026, 4, 30), Period: civil.Month{Year: 2026, Month: 3}, Kind: MoveDue, Amount: dec("4000")},
	))
	offsets := Compensate(&l)
	require.Len(t, offsets, 1)
	assert.Equal(t, "2000.00", offsets[0].Amount.StringFixed(2))
	b := l.Balance(eeIT, civil.Date{})
	assert.Equal(t, "3000.00", b.AwaitingRefund().StringFixed(2))
}

func TestLedgerRejectsNegativeAmount(t *testing.T) {
	var l Ledger
	err := l.Add(Movement{Account: eeIT, Date: ymd(2026, 1, 1), Kind: MovePaid, Amount: dec("-1")})
	assert.ErrorIs(t, err, ErrMovement)
	assert.Empty(t, l.Movements())
}
