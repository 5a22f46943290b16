package postgres_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/server/store/postgres"
	"github.com/bludispatcher/dispatcher/server/store/storetest"
)

func openBench(b *testing.B) *postgres.Store {
	s, err := postgres.Open(context.Background(), freshSchema(b))
	require.NoError(b, err)
	b.Cleanup(func() { s.Close() })
	return s
}

// BenchmarkLoadMonth loads a month of hourly PODs in the compact layout.
func BenchmarkLoadMonth(b *testing.B) {
	storetest.BenchLoadMonth(b, openBench(b), storetest.BenchPODs(storetest.BenchPODsEnv, storetest.DefaultBenchPODs))
}

// BenchmarkValueRows writes the same month as one row per value.
func BenchmarkValueRows(b *testing.B) {
	s := openBench(b)
	storetest.BenchValueRows(b, s.WriteDB(), s.Dialect(),
		storetest.BenchPODs(storetest.BenchValuePODsEnv, storetest.DefaultBenchValuePODs))
}
