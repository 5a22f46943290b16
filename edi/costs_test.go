package edi

import (
	"bytes"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/bludispatcher/dispatcher/edi/edigen"
	"github.com/bludispatcher/dispatcher/internal/civil"
)

func twoMonths(t *testing.T) (*TransportInvoice, *TransportInvoice) {
	jan := edigen.Example()
	feb := edigen.Example()
	feb.Number, feb.Month = "TR-2025-0002", civil.Month{Year: 2025, Month: 2}
	feb.PODs[0].EnergyKWh = decimal.RequireFromString("1000")
	_, a := generatedPair(t, jan)
	_, b := generatedPair(t, feb)
	return a, b
}

func TestCostAnalysisTwoMonths(t *testing.T) {
	jan, feb := twoMonths(t)
	pm := PointMonth{Point: "IT001E00000001", Month: civil.Month{Year: 2025, Month: 2}}
	an := NewCostAnalyzer(CostOptions{Billed: map[PointMonth]decimal.Decimal{pm: decimal.RequireFromString("80")}})
	an.Add(jan)
	an.Add(feb)
	res := an.Result()

	require.Len(t, res.Points, 6)
	p := res.Points[1]
	assert.Equal(t, pm, p.PointMonth)
	// February POD 1: TRAS 10.74 + DIS_FISSA 1.85 + DIS_POTENZA 11.40 +
	// DIS_ENERGIA 0.81 + MIS 1.72 + ASOS 29.42 + ARIM 2.12 = 58.06.
	assertDec(t, "58.06", p.Amount, "February cost")
	assertDec(t, "1000", p.EnergyKWh, "February energy")
	assertDec(t, "0.05806", p.CostPerKWh, "cost per kWh")
	assert.True(t, p.HasPrevious)
	assertDec(t, "68.17", p.Previous, "January cost")
	assert.True(t, p.HasBilled)
	assertDec(t, "21.94", p.Margin(), "margin")
	assert.False(t, res.Points[0].HasPrevious)
	assert.False(t, res.Points[0].HasBilled)

	require.Len(t, res.Components, 6*len(edigen.Prices))
	var tras ComponentCost
	for _, c := range res.Components {
		if c.PointMonth == pm && c.Component == "TRAS" {
			tras = c
		}
	}
	assert.Equal(t, GroupTransport, tras.Group)
	assert.Equal(t, "€/kWh", tras.Unit)
	assertDec(t, "10.74", tras.Amount, "TRAS amount")
	assertDec(t, "0.01074", tras.UnitCost, "TRAS unit cost")
	assertDec(t, "-2.52", tras.Change(), "TRAS change")
}

func TestCostAnalysisCorrectionSubtracts(t *testing.T) {
	jan, _ := twoMonths(t)
	spec := edigen.Example()
	spec.Sign, spec.Number, spec.TypeCode = -1, "TR-2025-0003", "R"
	_, correction := generatedPair(t, spec)
	an := NewCostAnalyzer(CostOptions{})
	an.Add(jan)
	an.Add(correction)
	for _, p := range an.Result().Points {
		assertDec(t, "0", p.Amount, p.Point)
	}
}

func TestCostAnalysisMixedUnits(t *testing.T) {
	inv := &TransportInvoice{Commodity: Electricity, Points: []Point{{Code: "IT001E1", Charges: []Charge{
		{Component: "DIS", Unit: "€/kWh", From: DateOf("2025-01-01"), Quantity: NumberOf("10"), Amount: NumberOf("1.00")},
		{Component: "DIS", Unit: "€/POD/mese", From: DateOf("2025-01-01"), Quantity: NumberOf("1"), Amount: NumberOf("2.00")},
		{Component: "DIS", Unit: "€/kWh", From: DateOf("2025-01-01"), Quantity: NumberOf("5"), Amount: NumberOf("0.50")},
	}}}}
	an := NewCostAnalyzer(CostOptions{})
	an.Add(inv)
	res := an.Result()
	require.Len(t, res.Components, 1)
	assert.Equal(t, "", res.Components[0].Unit)
	assert.False(t, res.Components[0].HasUnitCost)
	assertDec(t, "3.50", res.Components[0].Amount, "amount")
}

func TestCostReportXLSX(t *testing.T) {
	jan, feb := twoMonths(t)
	an := NewCostAnalyzer(CostOptions{Billed: map[PointMonth]decimal.Decimal{
		{Point: "IT001E00000001", Month: civil.Month{Year: 2025, Month: 2}}: decimal.RequireFromString("80"),
	}})
	an.Add(jan)
	an.Add(feb)
	var buf bytes.Buffer
	require.NoError(t, WriteCostReportXLSX(&buf, an.Result()))

	f, err := excelize.OpenReader(&buf)
	require.NoError(t, err)
	defer f.Close()
	assert.Equal(t, []string{CostPointSheet, CostComponentSheet}, f.GetSheetList())
	rows, err := f.GetRows(CostPointSheet)
	require.NoError(t, err)
	require.Len(t, rows, 7)
	assert.Equal(t, "costo per kWh", rows[0][4])
	assert.Equal(t, []string{"IT001E00000001", "2025-02", "58.06", "1000", "0.05806", "68.17", "-10.11", "80", "21.94"}, rows[2])
	comp, err := f.GetRows(CostComponentSheet)
	require.NoError(t, err)
	assert.Len(t, comp, 1+6*len(edigen.Prices))
	assert.Equal(t, "quantità", comp[0][5])
}

func TestReadBilledCSV(t *testing.T) {
	input := "pod;mese;importo\nIT001E00000001;2025-02;80,00\nIT001E00000001;02/2025;1,50\nIT001E00000002;2025-13;5\nIT001E00000003;2025-01;abc\n"
	got, err := ReadBilledCSV(strings.NewReader(input))
	require.Error(t, err)
	var be *BilledError
	require.ErrorAs(t, err, &be)
	assert.Equal(t, 4, be.Line)
	assert.Equal(t, "month", be.Field)
	assert.Contains(t, err.Error(), `line 5: amount "abc"`)
	require.Len(t, got, 1)
	assertDec(t, "81.50", got[PointMonth{Point: "IT001E00000001", Month: civil.Month{Year: 2025, Month: 2}}], "sum")

	got, err = ReadBilledCSV(strings.NewReader("IT001E00000009,2025-03,12.5\n"))
	require.NoError(t, err)
	assertDec(t, "12.5", got[PointMonth{Point: "IT001E00000009", Month: civil.Month{Year: 2025, Month: 3}}], "comma-separated")
}

// A file longer than MaxFileSize used to be cut silently, so its last
// rows were dropped and the row at the cut was read as a shorter amount.
func TestReadBilledCSVTooLargeRejected(t *testing.T) {
	row := "IT001E00000001;2025-02;1,00\n"
	big := strings.Repeat(row, MaxFileSize/len(row)+1)
	got, err := ReadBilledCSV(strings.NewReader(big))
	require.ErrorIs(t, err, ErrTooLarge)
	assert.Nil(t, got)
}

// An amount of a million digits used to be parsed, which takes time
// quadratic in its digits, and read as a valid amount.
func TestReadBilledCSVOverlongAmount(t *testing.T) {
	input := "pod;mese;importo\nIT001E00000001;2025-02;" + strings.Repeat("1", 1_000_000) + "\nIT001E00000002;2025-02;2,50\n"
	got, err := ReadBilledCSV(strings.NewReader(input))
	var be *BilledError
	require.ErrorAs(t, err, &be)
	assert.Equal(t, 2, be.Line)
	assert.Equal(t, "amount", be.Field)
	require.Len(t, got, 1)
	assertDec(t, "2.50", got[PointMonth{Point: "IT001E00000002", Month: civil.Month{Year: 2025, Month: 2}}], "valid row")
}
