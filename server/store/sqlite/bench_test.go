package sqlite_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/server/store/sqlite"
	"github.com/bludispatcher/dispatcher/server/store/storetest"
)

// openBench opens a new database and returns it with a function that
// checkpoints the write-ahead log into the database file and measures
// both.
func openBench(b *testing.B) (*sqlite.Store, storetest.SizeFunc) {
	path := filepath.Join(b.TempDir(), "bench.db")
	s, err := sqlite.Open(context.Background(), path)
	require.NoError(b, err)
	b.Cleanup(func() { s.Close() })
	size := func() (int64, error) {
		if _, err := s.WriteDB().Exec(context.Background(), "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
			return 0, err
		}
		var total int64
		for _, p := range []string{path, path + "-wal"} {
			fi, err := os.Stat(p)
			if err != nil {
				return 0, err
			}
			total += fi.Size()
		}
		return total, nil
	}
	return s, size
}

// BenchmarkGenerateMonth is the baseline: building the records only.
func BenchmarkGenerateMonth(b *testing.B) {
	storetest.BenchGenerate(b, storetest.BenchPODs(storetest.BenchPODsEnv, storetest.DefaultBenchPODs))
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
// 10,000 loads of its company, each size in a new database.
func BenchmarkListLoadsBySHA256(b *testing.B) {
	for _, n := range storetest.BenchLoadCounts {
		b.Run(fmt.Sprintf("loads=%d", n), func(b *testing.B) {
			s, _ := openBench(b)
			storetest.BenchListLoadsBySHA256(b, s, n)
		})
	}
}
