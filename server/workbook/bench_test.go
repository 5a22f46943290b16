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
// 2025) and writes it to io.Discard. Besides B/op and allocs/op it
// reports the bytes and allocations of a build per POD, and two peaks
// of heap growth over the heap before the builds. Both are sampled every
// millisecond, so they are lower bounds. The live peak is the largest
// heap marked live by a GC, in total and per POD. The heap peak also
// counts garbage not yet swept, so it depends on GOGC. Both stay near
// the same size from 1,000 to 10,000 PODs when rows are flushed as they
// are produced. Loading 10,000 PODs into SQLite takes roughly a minute
// and 2 GB of disk (an estimate, not a benchmark result).
func BenchmarkWorkbookMonth(b *testing.B) {
	for _, pods := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("pods=%d", pods), func(b *testing.B) {
			st, co, month := loadGeneratedMonth(b, pods)
			sel := workbook.Selection{Company: co, Month: month}
			b.ReportAllocs()
			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			start := readMetrics(liveHeap, heapObjects)
			stop := samplePeaks(liveHeap, heapObjects)
			b.ResetTimer()
			for range b.N {
				if _, err := workbook.Write(context.Background(), st, sel, io.Discard); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			peaks := stop()
			runtime.ReadMemStats(&after)
			per := float64(b.N * pods)
			live := float64(peaks[0]) - float64(start[0])
			b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/per, "B/POD")
			b.ReportMetric(float64(after.Mallocs-before.Mallocs)/per, "allocs/POD")
			b.ReportMetric(live/(1<<20), "peak-live-MiB")
			b.ReportMetric(live/float64(pods), "peak-live-B/POD")
			b.ReportMetric((float64(peaks[1])-float64(start[1]))/(1<<20), "peak-heap-MiB")
		})
	}
}

// Names of the runtime/metrics samples that samplePeaks reads.
const (
	liveHeap    = "/gc/heap/live:bytes"
	heapObjects = "/memory/classes/heap/objects:bytes"
)

// readMetrics returns the current value of each named runtime metric.
func readMetrics(names ...string) []uint64 {
	samples := make([]metrics.Sample, len(names))
	for i, name := range names {
		samples[i].Name = name
	}
	metrics.Read(samples)
	values := make([]uint64, len(samples))
	for i, s := range samples {
		values[i] = s.Value.Uint64()
	}
	return values
}

// samplePeaks reads the named runtime metrics every millisecond until
// the returned function is called, which returns the highest value of
// each.
func samplePeaks(names ...string) func() []uint64 {
	done := make(chan struct{})
	result := make(chan []uint64)
	go func() {
		peaks := make([]uint64, len(names))
		ticker := time.NewTicker(time.Millisecond)
		defer ticker.Stop()
		for {
			for i, v := range readMetrics(names...) {
				peaks[i] = max(peaks[i], v)
			}
			select {
			case <-done:
				result <- peaks
				return
			case <-ticker.C:
			}
		}
	}()
	return func() []uint64 {
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
