package ingest

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/server/store"
	"github.com/bludispatcher/dispatcher/server/store/sqlite"
)

// TestRCUSameBytesOtherMonth loads one extract's bytes into SQLite under
// several names, one file at a time. A name giving another month stores
// the points for that month, and a name giving a month already loaded is
// logged as a duplicate.
func TestRCUSameBytesOtherMonth(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := sqlite.Open(ctx, filepath.Join(dir, "d.db"))
	require.NoError(t, err)
	t.Cleanup(func() { st.Close() })
	co, err := st.CreateCompany(ctx, store.Company{Code: "acme", Name: "Acme"})
	require.NoError(t, err)
	now := time.Date(2024, 6, 10, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	loaders, err := NewRegistry(&RCULoader{Now: clock})
	require.NoError(t, err)
	in := New(st, loaders, slog.New(slog.NewTextHandler(io.Discard, nil)), Options{Owner: "test", ClaimTTL: 3 * time.Second, Now: clock})
	target := Target{Company: Company{ID: co.ID, Code: "acme"}, Inboxes: []Inbox{{Kind: KindRCU, Dir: filepath.Join(dir, "inbox")}}}
	extract := string(rcuExtract(2, 0))

	tests := []struct {
		name   string
		file   string
		status store.LoadStatus
		month  civil.Month
	}{
		{"first month", "RCU_01234567897_202403.csv", store.StatusLoadedWithAnomalies, civil.Month{Year: 2024, Month: time.March}},
		{"same bytes other month", "RCU_01234567897_202404.csv", store.StatusLoadedWithAnomalies, civil.Month{Year: 2024, Month: time.April}},
		{"same month other name", "estrazione_2024-03.txt", store.StatusDuplicate, civil.Month{Year: 2024, Month: time.March}},
		{"same month again", "RCU_01234567897_2024_04_bis.csv", store.StatusDuplicate, civil.Month{Year: 2024, Month: time.April}},
		{"month of the load date", "RCU_01234567897.csv", store.StatusLoadedWithAnomalies, civil.Month{Year: 2024, Month: time.June}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, "files", tt.file)
			writeFile(t, path, extract)
			rep, err := in.LoadFiles(ctx, target, KindRCU, []string{path}, nil)
			require.NoError(t, err)
			require.Len(t, rep.Files, 1)
			require.Len(t, rep.Files[0].Loads, 1)
			assert.Equal(t, tt.status, rep.Files[0].Loads[0].Status)

			points, total, err := st.RCUPoints(ctx, store.RCUFilter{Company: co.ID, Month: tt.month})
			require.NoError(t, err)
			assert.Equal(t, 2, total, "points stored for %s", tt.month)
			require.Len(t, points, 2)
			assert.Equal(t, tt.month.String(), points[0].Month)
		})
	}

	months, err := st.RCUMonths(ctx, co.ID)
	require.NoError(t, err)
	assert.Len(t, months, 3, "one extract month per distinct month: %v", months)
}
