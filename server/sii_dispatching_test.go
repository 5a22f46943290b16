package server

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/server/store"
)

// dispatchingExtract agrees with the registry of
// TestRCUComparisonDispatching on point 1, in another letter case, and
// gives point 2 another dispatching user and counterparty. Billing sent
// no dispatching data for point 3.
const dispatchingExtract = "COD_POD;PIVA_DISTR;DATA_INIZIO_FORNITURA;PIVA_UDD;PIVA_CC\n" +
	"IT001E00000001;12345678903;01/01/2024;01234567897;de123456789\n" +
	"IT001E00000002;12345678903;01/01/2024;02345678904;12345678903\n" +
	"IT001E00000003;12345678903;01/01/2024;02345678904;12345678903\n"

func TestRCUComparisonDispatching(t *testing.T) {
	dir := t.TempDir()
	cfg := domainConfig(dir)
	st := openSQLite(t, cfg)
	r := startServer(t, cfg, st, testLogger(t))
	ctx := context.Background()
	acme, err := st.CompanyByCode(ctx, "acme")
	require.NoError(t, err)

	from := store.Validity{From: isoDate(t, "2024-01-01")}
	require.NoError(t, st.PutCustomer(ctx, store.Customer{Company: acme.ID, Code: "C1", Name: "Rossi", Validity: from}))
	require.NoError(t, st.PutSite(ctx, store.Site{Company: acme.ID, Code: "S1", Customer: "C1", Name: "Casa", Validity: from}))
	for _, p := range []store.SupplyPoint{
		{Code: "IT001E00000001", UdDVAT: "01234567897", CounterpartyVAT: "DE123456789", DispatchingContract: "DP0427"},
		{Code: "IT001E00000002", UdDVAT: "01234567897", CounterpartyVAT: "DE123456789", DispatchingContract: "DP0427"},
		{Code: "IT001E00000003"},
	} {
		p.Company, p.Commodity, p.Site, p.DistributorVAT, p.Validity = acme.ID, store.Electricity, "S1", "12345678903", from
		require.NoError(t, st.PutSupplyPoint(ctx, p))
	}
	put(t, filepath.Join(dir, "acme", "rcu", "RCU_01234567897_202403.csv"), []byte(dispatchingExtract))
	rep := r.scan(t, tokenAcme)
	require.Equal(t, 1, rep.Loaded)

	var cmp comparisonJSON
	r.getJSON(t, "/api/v1/sii/rcu/comparison?month=2024-03", tokenAcme, &cmp)
	require.Len(t, cmp.Distributors, 1)
	d := cmp.Distributors[0]
	assert.Equal(t, "12345678903", d.DistributorVAT)
	assert.Equal(t, 3, d.SIICount)
	assert.Equal(t, 3, d.BillingCount)
	assert.Empty(t, d.OnlyInSII)
	assert.Empty(t, d.OnlyInBilling)
	assert.Equal(t, []struct{ POD, Field, SII, Billing string }{
		{POD: "IT001E00000002", Field: "PIVA_UDD", SII: "02345678904", Billing: "01234567897"},
		{POD: "IT001E00000002", Field: "PIVA_CC", SII: "12345678903", Billing: "DE123456789"},
	}, d.Differences, "point 1 agrees and billing has no dispatching data for point 3")
}
