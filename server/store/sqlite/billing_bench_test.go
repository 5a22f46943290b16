package sqlite_test

import (
	"testing"

	"github.com/bludispatcher/dispatcher/server/store/storetest"
)

func BenchmarkExportCycle(b *testing.B) {
	s, _ := openBench(b)
	storetest.BenchExportCycle(b, s, storetest.BenchPODs("BENCH_EXPORT_PODS", 100))
}
