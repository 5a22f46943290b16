package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/server/store/sqlite"
	"github.com/bludispatcher/dispatcher/server/store/storetest"
)

func openBench(b *testing.B) *sqlite.Store {
	s, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "bench.db"))
	require.NoError(b, err)
	b.Cleanup(func() { s.Close() })
	return s
}

// BenchmarkGenerateMonth is the baseline: building the records only.
func BenchmarkGenerateMonth(b *testing.B) {
	storetest.BenchGenerate(b, storetest.BenchPODs(storetest.BenchPODsEnv, storetest.DefaultBenchPODs))
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
