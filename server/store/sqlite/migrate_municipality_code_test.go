package sqlite_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/server/store"
	"github.com/bludispatcher/dispatcher/server/store/sqlite"
)

// TestMunicipalityCodeMigrationKeepsSites opens a database as it was
// before migration 0013 with a site in it, and checks that the upgrade
// keeps the site and gives it an empty ISTAT code.
func TestMunicipalityCodeMigrationKeepsSites(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "upgrade.db")
	st, err := sqlite.Open(ctx, path)
	require.NoError(t, err)
	co, err := st.CreateCompany(ctx, store.Company{Code: "up", Name: "Up SpA", VAT: "01234567897"})
	require.NoError(t, err)
	from := store.Validity{From: civil.Date{Year: 2025, Month: 1, Day: 1}}
	require.NoError(t, st.PutCustomer(ctx, store.Customer{Company: co.ID, Code: "C1", Name: "Rossi", Validity: from}))
	require.NoError(t, st.PutSite(ctx, store.Site{Company: co.ID, Code: "S1", Customer: "C1", Name: "Casa",
		Municipality: "Campotosto", Province: "AQ", MunicipalityCode: "066016", Validity: from}))
	require.NoError(t, st.Close())

	undoMigration(t, path, 13, "ALTER TABLE registry_sites DROP COLUMN municipality_code")

	st, err = sqlite.Open(ctx, path)
	require.NoError(t, err)
	defer st.Close()
	got, err := st.Site(ctx, co.ID, "S1")
	require.NoError(t, err)
	assert.Equal(t, "Campotosto", got.Municipality)
	assert.Equal(t, "AQ", got.Province)
	assert.Empty(t, got.MunicipalityCode)
}

// undoMigration runs the statements that drop what migration version
// added to the closed database at path, and deletes the migration's row
// from schema_migrations. The file then matches one that a server
// without the migration wrote.
func undoMigration(t *testing.T, path string, version int, drops ...string) {
	t.Helper()
	ctx := context.Background()
	db, err := sql.Open("sqlite", path)
	require.NoError(t, err)
	defer db.Close()
	for _, stmt := range drops {
		_, err := db.ExecContext(ctx, stmt)
		require.NoError(t, err, stmt)
	}
	_, err = db.ExecContext(ctx, "DELETE FROM schema_migrations WHERE version = ?", version)
	require.NoError(t, err)
}
