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

	"github.com/bludispatcher/dispatcher/internal/civil"
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

// TestSupplyPointByPODKeyQueryPlan checks that a lookup by the first 14
// characters of a POD searches registry_supply_points_pod_key, not every
// supply point of the company.
func TestSupplyPointByPODKeyQueryPlan(t *testing.T) {
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "plan.db"))
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	co, err := s.CreateCompany(ctx, store.Company{Code: "plan", Name: "Plan"})
	require.NoError(t, err)
	from := store.Validity{From: civil.Date{Year: 2025, Month: 1, Day: 1}}
	require.NoError(t, s.PutCustomer(ctx, store.Customer{Company: co.ID, Code: "C1", Name: "Rossi", Validity: from}))
	require.NoError(t, s.PutSite(ctx, store.Site{Company: co.ID, Code: "S1", Customer: "C1", Name: "Casa", Validity: from}))
	require.NoError(t, s.PutSupplyPoint(ctx, store.SupplyPoint{Company: co.ID, Code: storetest.POD(1) + "A",
		Commodity: store.Electricity, Site: "S1", Validity: from}))

	traced := &planDB{DB: s.WriteDB(), t: t, plans: map[string]string{}}
	ss, err := sqlstore.New(ctx, s.Dialect(), s.WriteDB(), traced)
	require.NoError(t, err)
	got, err := ss.SupplyPointByPODKey(ctx, co.ID, storetest.POD(1))
	require.NoError(t, err)
	assert.Equal(t, storetest.POD(1)+"A", got.Code)
	found := false
	for query, plan := range traced.plans {
		if strings.Contains(query, "substr(code, 1, 14)") {
			found = true
			assert.Contains(t, plan, "INDEX registry_supply_points_pod_key ", query)
		}
	}
	assert.True(t, found, "the lookup ran a query on the POD key")
}
