package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/server/store"
	"github.com/bludispatcher/dispatcher/server/store/sqlite"
)

// TestDispatchingMigrationKeepsPoints opens a database as it was before
// migration 0010 with a supply point in it, and checks that the upgrade
// keeps the point and gives it empty dispatching data.
func TestDispatchingMigrationKeepsPoints(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "upgrade.db")
	st, err := sqlite.Open(ctx, path)
	require.NoError(t, err)
	co, err := st.CreateCompany(ctx, store.Company{Code: "up", Name: "Up SpA", VAT: "01234567897"})
	require.NoError(t, err)
	from := store.Validity{From: civil.Date{Year: 2025, Month: 1, Day: 1}}
	require.NoError(t, st.PutCustomer(ctx, store.Customer{Company: co.ID, Code: "C1", Name: "Rossi", Validity: from}))
	require.NoError(t, st.PutSite(ctx, store.Site{Company: co.ID, Code: "S1", Customer: "C1", Name: "Casa", Validity: from}))
	require.NoError(t, st.PutSupplyPoint(ctx, store.SupplyPoint{Company: co.ID, Code: "IT001E00000001",
		Commodity: store.Electricity, Site: "S1", DistributorVAT: "12345678903", UdDVAT: "01234567897", Validity: from}))
	require.NoError(t, st.Close())

	undoMigration(t, path, 10,
		"ALTER TABLE registry_supply_points DROP COLUMN udd_vat",
		"ALTER TABLE registry_supply_points DROP COLUMN counterparty_vat",
		"ALTER TABLE registry_supply_points DROP COLUMN dispatching_contract")

	st, err = sqlite.Open(ctx, path)
	require.NoError(t, err)
	defer st.Close()
	got, err := st.SupplyPoint(ctx, co.ID, "IT001E00000001")
	require.NoError(t, err)
	assert.Equal(t, "12345678903", got.DistributorVAT)
	assert.Empty(t, got.UdDVAT)
	assert.Empty(t, got.CounterpartyVAT)
	assert.Empty(t, got.DispatchingContract)
}
