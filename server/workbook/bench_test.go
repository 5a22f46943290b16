package workbook_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/flows/flowgen"
	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/server/store"
	"github.com/bludispatcher/dispatcher/server/store/sqlite"
	"github.com/bludispatcher/dispatcher/server/store/storetest"
	"github.com/bludispatcher/dispatcher/server/workbook"
)

// BenchmarkWorkbookMonth builds the month workbook of a generated PDO
// file of N hourly PODs (Ea and Er curves for every day of October
// 2025). It reports, per POD, the bytes and allocations of a build and
// the peak live heap sampled during the builds. The peak per POD stays
// flat as N grows when the workbook keeps one row per POD-day and not
// the curve slots of every POD. The sampling interval of 5 ms can miss a
// short peak, so the peak is a lower bound.
func BenchmarkWorkbookMonth(b *testing.B) {
	for _, pods := range []int{25, 100, 400} {
		b.Run(fmt.Sprintf("pods=%d", pods), func(b *testing.B) {
			st, co, month := loadGeneratedMonth(b, pods)
			sel := workbook.Selection{Company: co, Month: month}
			b.ReportAllocs()
			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			stop := samplePeakHeap()
			b.ResetTimer()
			for range b.N {
				if _, err := workbook.Write(context.Background(), st, sel, io.Discard); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			peak := stop()
			runtime.ReadMemStats(&after)
			per := float64(b.N * pods)
			b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/per, "B/POD")
			b.ReportMetric(float64(after.Mallocs-before.Mallocs)/per, "allocs/POD")
			b.ReportMetric(float64(peak-before.HeapAlloc)/float64(pods), "peak-heap-B/POD")
		})
	}
}

// samplePeakHeap samples the live heap every 5 ms until the returned
// function is called, which returns the highest sample.
func samplePeakHeap() func() uint64 {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	done := make(chan struct{})
	result := make(chan uint64)
	go func() {
		var peak uint64
		ticker := time.NewTicker(5 * time.Millisecond)
		defer ticker.Stop()
		for {
			metrics.Read(sample)
			peak = max(peak, sample[0].Value.Uint64())
			select {
			case <-done:
				result <- peak
				return
			case <-ticker.C:
			}
		}
	}()
	return func() uint64 {
		close(done)
		return <-result
	}
}

// loadGeneratedMonth loads one generated PDO file of pods PODs into a
// new SQLite store and returns the store, the company and the month.
func loadGeneratedMonth(b *testing.B, pods int) (store.Store, store.CompanyID, civil.Month) {
	b.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	require.NoError(b, err)
	b.Cleanup(func() { st.Close() })
	co, err := st.CreateCompany(ctx, store.Company{Code: "bench"})
	require.NoError(b, err)
	g, err := flowgen.New(flowgen.Options{FlowCode: "PDO", PODs: pods, Seed: 1})
	require.NoError(b, err)
	data := []byte(fmt.Sprintf("generated month of %d PODs", pods))
	tx, err := st.BeginLoad(ctx, store.LoadInfo{Company: co.ID, Name: "bench.xml", Path: "bench.xml",
		SHA256: storetest.SHA256(data), Original: bytes.NewReader(data), FlowCode: "PDO"})
	require.NoError(b, err)
	h := g.Header()
	for i := range g.Len() {
		_, err := tx.AddRecord(ctx, h, g.Record(i), nil)
		require.NoError(b, err)
	}
	_, err = tx.Commit(ctx)
	require.NoError(b, err)
	return st, co.ID, g.Options().Month
}
