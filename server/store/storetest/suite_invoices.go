package storetest

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/edi"
	"github.com/bludispatcher/dispatcher/internal/anomaly"
	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/server/store"
)

// detailFile returns the electricity detail flow of package edi's test
// data: invoice TR-2025-0001 with three PODs.
func detailFile(t *testing.T) []byte {
	t.Helper()
	_, self, _, ok := runtime.Caller(0)
	require.True(t, ok)
	b, err := os.ReadFile(filepath.Join(filepath.Dir(self), "..", "..", "..", "edi", "testdata", "transport-detail.xml"))
	require.NoError(t, err)
	return b
}

func testInvoices(t *testing.T, f Factory) {
	s, _ := open(t, f)
	ctx := ctxT(t)
	co, other := company(t, s, "acme"), company(t, s, "other")
	data := detailFile(t)
	doc, err := edi.Load("transport-detail.xml", bytes.NewReader(data), edi.LoadOptions{})
	require.NoError(t, err)
	invoices := doc.TransportInvoices()
	require.Len(t, invoices, 1)
	inv := invoices[0]

	l := domainLoad(t, s, co, "transport-detail.xml", string(data), func(ctx context.Context, tx store.DomainTx) {
		ok, err := tx.(store.InvoiceTx).AddInvoice(ctx, inv, 0, nil)
		require.NoError(t, err)
		assert.True(t, ok)
	})
	assert.Equal(t, store.StatusLoaded, l.Status)
	assert.Equal(t, 1, l.RecordsLoaded)

	list, total, err := s.Invoices(ctx, store.InvoiceFilter{Company: co})
	require.NoError(t, err)
	assert.Equal(t, 1, total)
	require.Len(t, list, 1)
	got := list[0]
	assert.Equal(t, store.RecordRef{Load: l.ID, Seq: 1}, got.RecordRef)
	assert.Equal(t, edi.InvoiceKey(inv), got.Key)
	assert.Equal(t, "TR-2025-0001", got.Number)
	assert.Equal(t, civil.Date{Year: 2025, Month: 2, Day: 10}, got.Date)
	assert.Equal(t, civil.Date{Year: 2025, Month: 1, Day: 31}, got.PeriodEnd)
	assert.Equal(t, "electricity", got.Commodity)
	assert.Equal(t, "cycle", got.Type)
	assert.Equal(t, 3, got.PointCount)

	detail, err := s.Invoice(ctx, co, got.RecordRef)
	require.NoError(t, err)
	require.Len(t, detail.Points, 3)
	for i, p := range detail.Points {
		assert.Equal(t, inv.Points[i].Code, p.Code)
		require.Len(t, p.Charges, len(inv.Points[i].Charges))
		assert.Equal(t, edi.ChargeKey(inv, &inv.Points[i], &inv.Points[i].Charges[0]), p.Charges[0].Key)
	}

	byKey, err := s.InvoicesByKey(ctx, co, edi.InvoiceKey(inv))
	require.NoError(t, err)
	assert.Len(t, byKey, 1)
	numbers, err := s.CycleChargeInvoices(ctx, co, detail.Points[0].Charges[0].Key)
	require.NoError(t, err)
	assert.Equal(t, []string{"TR-2025-0001"}, numbers)

	for _, tc := range []struct {
		name string
		f    store.InvoiceFilter
		want int
	}{
		{"pod", store.InvoiceFilter{Company: co, POD: "IT001E00000002"}, 1},
		{"unknown pod", store.InvoiceFilter{Company: co, POD: "IT001E00000009"}, 0},
		{"sender", store.InvoiceFilter{Company: co, SenderVAT: "01234567890"}, 1},
		{"dates", store.InvoiceFilter{Company: co, Dates: store.DateRange{From: civil.Date{Year: 2025, Month: 3, Day: 1}}}, 0},
		{"load", store.InvoiceFilter{Company: co, Load: l.ID}, 1},
		{"other company", store.InvoiceFilter{Company: other}, 0},
	} {
		_, total, err := s.Invoices(ctx, tc.f)
		require.NoError(t, err, tc.name)
		assert.Equal(t, tc.want, total, tc.name)
	}

	_, err = s.Invoice(ctx, other, got.RecordRef)
	assert.ErrorIs(t, err, store.ErrNotFound, "another company's invoice")
	byKey, err = s.InvoicesByKey(ctx, other, edi.InvoiceKey(inv))
	require.NoError(t, err)
	assert.Empty(t, byKey)

	// A blocking anomaly keeps the invoice out of the store.
	blocking := anomaly.List{{Code: edi.CodeDuplicate, Severity: anomaly.Blocking, Message: "duplicate"}}
	l2 := domainLoad(t, s, co, "again.xml", string(data)+" ", func(ctx context.Context, tx store.DomainTx) {
		ok, err := tx.(store.InvoiceTx).AddInvoice(ctx, inv, 0, blocking)
		require.NoError(t, err)
		assert.False(t, ok)
	})
	assert.Equal(t, store.StatusRejected, l2.Status)
	byKey, err = s.InvoicesByKey(ctx, co, edi.InvoiceKey(inv))
	require.NoError(t, err)
	assert.Len(t, byKey, 1)
}
