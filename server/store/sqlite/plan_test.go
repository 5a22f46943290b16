package sqlite_test

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/server/store"
	"github.com/bludispatcher/dispatcher/server/store/internal/sqlstore"
	"github.com/bludispatcher/dispatcher/server/store/sqlite"
	"github.com/bludispatcher/dispatcher/server/store/storetest"
)

// planDB runs EXPLAIN QUERY PLAN before every query it passes on and
// keeps the plan, one detail line per step.
type planDB struct {
	sqlstore.DB
	t     *testing.T
	plans map[string]string
}

func (p *planDB) explain(ctx context.Context, query string, args []any) {
	rows, err := p.DB.Query(ctx, "EXPLAIN QUERY PLAN "+query, args...)
	require.NoError(p.t, err, query)
	defer rows.Close()
	var lines []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		require.NoError(p.t, rows.Scan(&id, &parent, &unused, &detail))
		lines = append(lines, detail)
	}
	require.NoError(p.t, rows.Err())
	p.plans[query] = strings.Join(lines, "\n")
}

func (p *planDB) Query(ctx context.Context, query string, args ...any) (sqlstore.Rows, error) {
	p.explain(ctx, query, args)
	return p.DB.Query(ctx, query, args...)
}

func (p *planDB) QueryRow(ctx context.Context, query string, args ...any) sqlstore.Row {
	p.explain(ctx, query, args)
	return p.DB.QueryRow(ctx, query, args...)
}

// TestListLoadsQueryPlan checks that a lookup by SHA-256 searches
// loads_company_sha, so that its cost does not grow with the loads of the
// company.
func TestListLoadsQueryPlan(t *testing.T) {
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "plan.db"))
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	co, err := s.CreateCompany(ctx, store.Company{Code: "plan", Name: "Plan"})
	require.NoError(t, err)
	var sum string
	for i := range 20 {
		data, dataSum := storetest.Original(i, 200)
		tx, err := s.BeginLoad(ctx, store.LoadInfo{Company: co.ID, Name: "f.xml", Path: "inbox/f.xml",
			SHA256: dataSum, FlowCode: "PDO", Original: bytes.NewReader(data)})
		require.NoError(t, err)
		_, err = tx.Commit(ctx)
		require.NoError(t, err)
		sum = dataSum
	}
	hour := time.Hour
	now := time.Now()

	tests := []struct {
		name   string
		filter store.LoadFilter
		found  int
	}{
		{"sha256 only", store.LoadFilter{SHA256: sum}, 1},
		{"sha256 and start range", store.LoadFilter{SHA256: sum,
			Started: store.TimeRange{From: now.Add(-hour), To: now.Add(hour)}}, 1},
		{"sha256 and start from", store.LoadFilter{SHA256: sum,
			Started: store.TimeRange{From: now.Add(-hour)}}, 1},
		{"sha256, flow code and status", store.LoadFilter{SHA256: sum, FlowCode: "PDO",
			Statuses: []store.LoadStatus{store.StatusLoaded}}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			traced := &planDB{DB: s.WriteDB(), t: t, plans: map[string]string{}}
			ss, err := sqlstore.New(ctx, s.Dialect(), s.WriteDB(), traced)
			require.NoError(t, err)
			tt.filter.Company = co.ID

			found, n, err := ss.ListLoads(ctx, tt.filter)
			require.NoError(t, err)
			assert.Equal(t, tt.found, n)
			assert.Len(t, found, tt.found)
			require.Len(t, traced.plans, 2, "a count and a page query")
			for query, plan := range traced.plans {
				assert.Contains(t, plan, "USING INDEX loads_company_sha ", query)
			}
		})
	}
}
