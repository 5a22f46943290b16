package soap_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/server/soap/client"
	"github.com/bludispatcher/dispatcher/server/store"
	"github.com/bludispatcher/dispatcher/server/store/storetest"
	"github.com/bludispatcher/dispatcher/sii"
)

// TestRegistryPODLowerCase pushes supply points whose codes billing wrote
// in lower or mixed case, and checks that the store keeps them upper-cased
// so exact and POD-key lookups find them.
func TestRegistryPODLowerCase(t *testing.T) {
	tests := []struct {
		name, sent, stored string
	}{
		{"lower case", strings.ToLower(storetest.POD(11)), storetest.POD(11)},
		{"mixed case", "It001e00000012", storetest.POD(12)},
		{"lower 15th character", storetest.POD(13) + "a", storetest.POD(13) + "A"},
		{"upper case", storetest.POD(14), storetest.POD(14)},
	}
	e := newEnv(t)
	ctx := context.Background()
	batch := registryBatch()
	batch.SupplyPoint = batch.SupplyPoint[:1]
	resp, err := e.portA().UpdateRegistry(batch)
	require.NoError(t, err)
	for _, r := range resp.Result {
		require.Equal(t, client.ItemStatusOk, *r.Status, "item %s: %+v", r.ItemId, r.Fault)
	}
	electricity := client.CommodityElectricity

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			created, err := e.portA().UpdateRegistry(&client.UpdateRegistryRequest{SupplyPoint: []*client.SupplyPointItem{
				{ItemId: code("c"), Operation: op("create"), Code: code(tt.sent), Commodity: &electricity,
					SiteCode: code("S1"), ValidFrom: xsdDate(2025, 1, 1)}}})
			require.NoError(t, err)
			require.Len(t, created.Result, 1)
			assert.Equal(t, client.ItemStatusOk, *created.Result[0].Status, "%+v", created.Result[0].Fault)

			got, err := e.store.SupplyPoint(ctx, e.a, tt.stored)
			require.NoError(t, err)
			assert.Equal(t, tt.stored, got.Code)
			byKey, err := e.store.SupplyPointByPODKey(ctx, e.a, sii.PODKey(tt.stored))
			require.NoError(t, err)
			assert.Equal(t, tt.stored, byKey.Code)

			// An update sent in the same case finds the point it created.
			updated, err := e.portA().UpdateRegistry(&client.UpdateRegistryRequest{SupplyPoint: []*client.SupplyPointItem{
				{ItemId: code("u"), Operation: op("update"), Code: code(tt.sent), BillingContractKey: code("CT-9")}}})
			require.NoError(t, err)
			require.Len(t, updated.Result, 1)
			assert.Equal(t, client.ItemStatusOk, *updated.Result[0].Status, "%+v", updated.Result[0].Fault)
			got, err = e.store.SupplyPoint(ctx, e.a, tt.stored)
			require.NoError(t, err)
			assert.Equal(t, "CT-9", got.BillingContractKey)
		})
	}

	_, err = e.store.SupplyPoint(ctx, e.b, storetest.POD(12))
	assert.ErrorIs(t, err, store.ErrNotFound, "company b does not see company a's supply point")
	e.messages.validate(t)
}
