package sii

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/bludispatcher/dispatcher/internal/civil"
)

var march2024 = civil.Month{Year: 2024, Month: time.March}

func date(y int, m time.Month, d int) civil.Date { return civil.Date{Year: y, Month: m, Day: d} }

// billingOf returns the billing view of a generated RCU row, equal on
// every compared field.
func billingOf(r rcuRow) BillingPoint {
	start, _ := civil.ParseDate(r[ColSupplyStart])
	power, _ := decimal.NewFromString(r[ColCommittedPower])
	return BillingPoint{
		POD: r[ColPOD], DistributorVAT: r[ColDistributorVAT], UdDVAT: r[ColUdDVAT],
		CounterpartyVAT: r[ColCounterpartyVAT], SupplyStart: start, Treatment: r[ColTreatment],
		Voltage: r[ColVoltage], CommittedPower: decimal.NewNullDecimal(power), MeterType: r[ColMeterType],
	}
}

// comparisonFixture has two distributors:
//   - 12345678903: A matches, B only in the SII, C differs on UdD,
//     treatment and power, D only in billing, E ended before March (ignored).
//   - 00000000000 (written without leading zeros in billing): F matches,
//     G carries a 15-character POD in the SII and is in billing with 14.
func comparisonFixture() ([]rcuRow, StaticRegistry) {
	a := samplePoint("IT001E00000001")
	b := samplePoint("IT001E00000002")
	c := samplePoint("IT001E00000003")
	e := samplePoint("IT001E00000005")
	e[ColSupplyEnd] = "28/02/2024"
	e[ColSupplyStart] = "01/01/2023"
	f := samplePoint("IT002E00000006")
	f[ColDistributorVAT] = "00000000000"
	g := samplePoint("IT002E00000007Z")
	g[ColDistributorVAT] = "00000000000"

	billingC := billingOf(c)
	billingC.UdDVAT = "11111111115"
	billingC.Treatment = "F"
	billingC.CommittedPower = decimal.NewNullDecimal(decimal.RequireFromString("4.5"))
	d := billingOf(samplePoint("IT001E00000004"))
	billingF := billingOf(f)
	billingF.DistributorVAT = "0"
	billingG := billingOf(g)
	billingG.POD = "IT002E00000007"
	billingG.DistributorVAT = "0"
	future := billingOf(samplePoint("IT001E00000009"))
	future.SupplyStart = date(2024, time.April, 1)

	rows := []rcuRow{a, b, c, e, f, g}
	registry := StaticRegistry{billingOf(a), billingC, d, billingF, billingG, future}
	return rows, registry
}

func readRows(t *testing.T, rows []rcuRow) []*RCURecord {
	t.Helper()
	cols := append(append([]string(nil), columnOrder...), "CRPP_01_F1", "CRPP_01_F2", "CRPP_01_F3")
	rows[0]["CRPP_01_F1"] = "0,000101"
	rows[0]["CRPP_01_F2"] = "0,000102"
	_, recs := readRCU(t, buildRCU(cols, rows, ";"), RCUOptions{})
	return recs
}

func TestCompareKnownDifferences(t *testing.T) {
	rows, registry := comparisonFixture()
	recs := readRows(t, rows)
	got, err := Compare(context.Background(), march2024, recs, registry)
	require.NoError(t, err)
	require.Len(t, got.Distributors, 2)

	zero := got.Distributors[0]
	assert.Equal(t, "00000000000", zero.DistributorVAT)
	assert.Equal(t, 2, zero.SIICount)
	assert.Equal(t, 2, zero.BillingCount)
	assert.Empty(t, zero.OnlyInSII)
	assert.Empty(t, zero.OnlyInBilling)
	assert.Empty(t, zero.Differences)

	one := got.Distributors[1]
	assert.Equal(t, "12345678903", one.DistributorVAT)
	assert.Equal(t, "DISTRIBUTORE UNO SPA", one.DistributorName)
	assert.Equal(t, 3, one.SIICount)
	assert.Equal(t, 3, one.BillingCount)
	require.Len(t, one.OnlyInSII, 1)
	assert.Equal(t, "IT001E00000002", one.OnlyInSII[0].POD)
	require.Len(t, one.OnlyInBilling, 1)
	assert.Equal(t, "IT001E00000004", one.OnlyInBilling[0].POD)
	want := []FieldDifference{
		{POD: "IT001E00000003", Field: ColUdDVAT, SII: "01234567897", Billing: "11111111115"},
		{POD: "IT001E00000003", Field: ColTreatment, SII: "O", Billing: "F"},
		{POD: "IT001E00000003", Field: ColCommittedPower, SII: "3", Billing: "4.5"},
	}
	assert.Empty(t, cmp.Diff(want, one.Differences))

	require.Len(t, got.CRPP, 1, "only the first point has CRPP values")
	assert.Equal(t, "0.000101", numberText(got.CRPP[0].CRPP.Values[0][0]))
}

func TestCompareRegistryError(t *testing.T) {
	_, err := Compare(context.Background(), march2024, nil, failingRegistry{})
	assert.ErrorIs(t, err, errRegistryDown)
}

var errRegistryDown = errors.New("registry down")

type failingRegistry struct{}

func (failingRegistry) BillingPoints(context.Context, civil.Month) ([]BillingPoint, error) {
	return nil, errRegistryDown
}

func TestWriteComparisonXLSX(t *testing.T) {
	rows, registry := comparisonFixture()
	got, err := Compare(context.Background(), march2024, readRows(t, rows), registry)
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, WriteComparisonXLSX(&buf, got))

	f, err := excelize.OpenReader(&buf)
	require.NoError(t, err)
	defer f.Close()
	assert.Equal(t, []string{SheetSummary, SheetOnlyInSII, SheetOnlyInBilling, SheetDifferences, SheetCRPP}, f.GetSheetList())

	summary, err := f.GetRows(SheetSummary)
	require.NoError(t, err)
	require.Len(t, summary, 3)
	assert.Equal(t, []string{"03/2024", "12345678903", "DISTRIBUTORE UNO SPA", "3", "3", "1", "1", "3"}, summary[2])

	counts := map[string]int{SheetOnlyInSII: 2, SheetOnlyInBilling: 2, SheetDifferences: 4, SheetCRPP: 1 + 12}
	for name, want := range counts {
		rows, err := f.GetRows(name)
		require.NoError(t, err)
		assert.Len(t, rows, want, name)
	}
	diffs, err := f.GetRows(SheetDifferences)
	require.NoError(t, err)
	assert.Equal(t, []string{"12345678903", "IT001E00000003", ColTreatment, "O", "F"}, diffs[2])
	crpp, err := f.GetRows(SheetCRPP)
	require.NoError(t, err)
	assert.Equal(t, []string{"12345678903", "IT001E00000001", "1", "0.000101", "0.000102"}, crpp[1])
}
