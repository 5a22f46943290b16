package edi

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/internal/civil"
)

func TestDetailFromLines(t *testing.T) {
	inv, err := ReadInvoice(bytes.NewReader(handMade(t)))
	require.NoError(t, err)
	d, ok := DetailFromLines(&inv.Header, &inv.Bodies[0])
	require.True(t, ok)
	assert.True(t, d.FromLines)
	assert.Equal(t, "R-7/2025", d.Number)
	assert.Equal(t, TypeCorrection, d.Type)
	assert.Equal(t, Credit, d.Entry)
	assert.Equal(t, "05779711000", d.Flow.SenderVAT)
	require.Len(t, d.Points, 1)
	p := d.Points[0]
	assert.Equal(t, "IT001E00000001", p.Code)
	require.Len(t, p.Charges, 1)
	c := p.Charges[0]
	assert.Equal(t, "DIS", c.Component)
	assert.Equal(t, "kWh", c.Unit)
	assert.Equal(t, civil.Date{Year: 2025, Month: 1, Day: 31}, c.To.Value)
	assertDec(t, "-1000.00", c.Quantity.Value, "quantity")
	assertDec(t, "-100.00", c.Amount.Value, "amount")
	assert.Empty(t, CheckTransport(d, TransportCheckOptions{}), "dot decimals are right for FatturaPA lines")

	_, ok = DetailFromLines(&inv.Header, &inv.Bodies[1])
	assert.False(t, ok, "no line names a POD")
}

func TestLoadBuildsDetailFromLines(t *testing.T) {
	doc, err := Load("hand.xml", bytes.NewReader(handMade(t)), LoadOptions{})
	require.NoError(t, err)
	require.Len(t, doc.Details, 2)
	require.Len(t, doc.Details[0], 1)
	assert.True(t, doc.Details[0][0].FromLines)
	assert.Empty(t, doc.Details[1])
	assert.Empty(t, doc.Anomalies)
}
