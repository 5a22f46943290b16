package postgres_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/server/store/postgres"
	"github.com/bludispatcher/dispatcher/server/store/storetest"
)

// openBench opens a store in a fresh schema and returns it with a function
// that measures the schema's tables, indexes and TOAST data.
func openBench(b *testing.B) (*postgres.Store, storetest.SizeFunc) {
	s, err := postgres.Open(context.Background(), freshSchema(b))
	require.NoError(b, err)
	b.Cleanup(func() { s.Close() })
	size := func() (int64, error) {
		var n int64
		err := s.WriteDB().QueryRow(context.Background(), `SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0)::bigint
			FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE n.nspname = current_schema() AND c.relkind = 'r'`).Scan(&n)
		return n, err
	}
	return s, size
}

// BenchmarkLoadMonth loads a month of hourly PODs in the compact layout.
func BenchmarkLoadMonth(b *testing.B) {
	s, size := openBench(b)
	storetest.BenchLoadMonth(b, s, storetest.BenchPODs(storetest.BenchPODsEnv, storetest.DefaultBenchPODs), size)
}

// BenchmarkValueRows writes the same month as one row per value.
func BenchmarkValueRows(b *testing.B) {
	s, size := openBench(b)
	storetest.BenchValueRows(b, s.WriteDB(), s.Dialect(),
		storetest.BenchPODs(storetest.BenchValuePODsEnv, storetest.DefaultBenchValuePODs), size)
}

// BenchmarkListLoadsBySHA256 looks up one load by SHA-256 among 1,000 and
// 10,000 loads of its company, each size in a new schema.
func BenchmarkListLoadsBySHA256(b *testing.B) {
	for _, n := range storetest.BenchLoadCounts {
		b.Run(fmt.Sprintf("loads=%d", n), func(b *testing.B) {
			s, _ := openBench(b)
			storetest.BenchListLoadsBySHA256(b, s, n)
		})
	}
}
