package accise

import (
	"bytes"
	"strconv"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
)

func TestReportTiesToXML(t *testing.T) {
	lines := generatedYear()
	lines[0].BilledExcise = kw("9.99")
	c, found := Compute(lines, ComputeOptions{})
	require.Empty(t, found)
	opts := yearOptions()
	ee, err := BuildElectricity(c, opts)
	require.NoError(t, err)
	gn, err := BuildGas(c, opts)
	require.NoError(t, err)
	checkOpts := YearCheckOptions(2025)
	anomalies := Check(c, checkOpts)
	require.NotEmpty(t, anomalies)

	var buf bytes.Buffer
	require.NoError(t, WriteReport(&buf, ReportInput{Computation: c, Electricity: ee, Gas: gn, Anomalies: anomalies, Options: opts}))

	f, err := excelize.OpenReader(&buf)
	require.NoError(t, err)
	defer f.Close()
	assert.Equal(t, []string{SheetSummary, SheetFrames, SheetComparison, SheetAnomalies, SheetRows, SheetUndeclared}, f.GetSheetList())

	summary, err := f.GetRows(SheetSummary)
	require.NoError(t, err)
	liquidated := map[string]string{}
	for _, r := range summary[1:] {
		if r[0] == "EE" && r[4] == "1" {
			liquidated[r[1]] = r[5]
		}
	}
	for _, d := range ee {
		want, _ := d.Q[0].Rows[0].Amount.Float64()
		got, err := strconv.ParseFloat(liquidated[d.Q[0].Ambito], 64)
		require.NoError(t, err)
		assert.InDelta(t, want, got, 0.001, "ambito %s", d.Q[0].Ambito)
	}

	comparison, err := f.GetRows(SheetComparison)
	require.NoError(t, err)
	var fi []string
	for _, r := range comparison {
		if r[0] == "EE" && r[2] == "FI" && r[4] == ItemPeriod {
			fi = r
		}
	}
	require.NotNil(t, fi)
	assert.Equal(t, "FI", fi[1], "the seat's ambito is coded with the seat's province, as in the XML")
	billed, err := decimal.NewFromString(fi[8])
	require.NoError(t, err)
	assert.Equal(t, "9.99", billed.StringFixed(2))
	diff, err := decimal.NewFromString(fi[9])
	require.NoError(t, err)
	assert.False(t, diff.IsZero())

	areaTotals := map[string]bool{}
	for _, r := range comparison {
		if r[2] == AreaTotal {
			areaTotals[r[0]+"/"+r[1]] = true
		}
	}
	assert.Equal(t, map[string]bool{"EE/FI": true, "EE/PA": true, "GN/FI": true, "GN/PA": true}, areaTotals)

	anomalyRows, err := f.GetRows(SheetAnomalies)
	require.NoError(t, err)
	assert.Len(t, anomalyRows, len(anomalies)+1)
	assert.Equal(t, CodeBilledExciseDiffers, anomalyRows[1][0])

	uncertain, err := f.GetRows(SheetRows)
	require.NoError(t, err)
	assert.Greater(t, len(uncertain), 10)
}
