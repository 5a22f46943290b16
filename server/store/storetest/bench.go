package storetest

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/flows"
	"github.com/bludispatcher/dispatcher/flows/flowgen"
	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/server/store"
	"github.com/bludispatcher/dispatcher/server/store/internal/sqlstore"
)

// BenchPODsEnv overrides the number of hourly PODs of the benchmark month.
const BenchPODsEnv = "STORE_BENCH_PODS"

// BenchValuePODsEnv overrides the number of PODs of the one-row-per-value
// benchmark, which writes about 6,000 rows per POD.
const BenchValuePODsEnv = "STORE_BENCH_VALUE_PODS"

// Default benchmark sizes: a month of 10,000 hourly PODs for the compact
// layout, and a tenth of it for one row per value. The full month as one
// row per value is about 60 million rows, an estimated several gigabytes
// of disk per run.
const (
	DefaultBenchPODs      = 10000
	DefaultBenchValuePODs = 1000
)

// BenchPODs returns the value of env as a positive count, or def.
func BenchPODs(env string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(env)); err == nil && n > 0 {
		return n
	}
	return def
}

// benchGenerator returns a PDO generator of pods hourly PODs for October
// 2025, a 31-day month with the autumn clock change. Each record carries
// the Ea and Er curves of every day.
func benchGenerator(b *testing.B, pods int) *flowgen.Generator {
	g, err := flowgen.New(flowgen.Options{FlowCode: "PDO", PODs: pods, Seed: 1})
	require.NoError(b, err)
	return g
}

// BenchGenerate measures building the records alone, the baseline to
// subtract from the load benchmarks.
func BenchGenerate(b *testing.B, pods int) {
	g := benchGenerator(b, pods)
	b.ReportAllocs()
	resetPeakRSS()
	values := 0
	start := time.Now()
	for range b.N {
		for i := range g.Len() {
			values += QuarterHours(g.Record(i))
		}
	}
	report(b, time.Since(start), b.N*g.Len(), values)
}

// SizeFunc returns the bytes the database takes on disk.
type SizeFunc func() (int64, error)

// BenchLoadMonth loads the generated month into s through BeginLoad,
// AddRecord and Commit: one load of every record per iteration. When size
// is not nil, the database size after the loads is reported too.
func BenchLoadMonth(b *testing.B, s store.Store, pods int, size SizeFunc) {
	ctx := context.Background()
	g := benchGenerator(b, pods)
	co, err := s.CreateCompany(ctx, store.Company{Code: fmt.Sprintf("bench-%d", time.Now().UnixNano())})
	require.NoError(b, err)
	b.ReportAllocs()
	resetPeakRSS()
	values := 0
	start := time.Now()
	for n := range b.N {
		// The original is a small stand-in with distinct bytes per
		// iteration, so no load is a duplicate. Storing a real file's
		// original is not part of the measure.
		data := fmt.Appendf(nil, "benchmark load %d %d", n, time.Now().UnixNano())
		tx, err := s.BeginLoad(ctx, store.LoadInfo{Company: co.ID, Name: "bench.xml", Path: "bench.xml",
			SHA256: SHA256(data), Original: bytes.NewReader(data), FlowCode: "PDO"})
		require.NoError(b, err)
		h := g.Header()
		for i := range g.Len() {
			r := g.Record(i)
			values += QuarterHours(r)
			if _, err := tx.AddRecord(ctx, h, r, nil); err != nil {
				b.Fatal(err)
			}
		}
		_, err = tx.Commit(ctx)
		require.NoError(b, err)
	}
	report(b, time.Since(start), b.N*g.Len(), values)
	reportSize(b, size)
}

// valueCols are the columns of the one-row-per-value table.
var valueCols = []string{"company_id", "pod", "kind", "start_at", "value"}

// valueTableSQL creates the one-row-per-value table, keyed the way a
// quarter-hour table usually is.
const valueTableSQL = `CREATE TABLE IF NOT EXISTS bench_values (
	company_id BIGINT NOT NULL,
	pod TEXT NOT NULL,
	kind INTEGER NOT NULL,
	start_at BIGINT NOT NULL,
	value TEXT NOT NULL,
	PRIMARY KEY (company_id, pod, kind, start_at))`

// BenchValueRows writes the same generated month as one row per
// quarter-hour value (POD, kind, instant, value), with the backend's own
// bulk insert (multi-row INSERT on SQLite, COPY on PostgreSQL) in one
// transaction per iteration.
func BenchValueRows(b *testing.B, db sqlstore.DB, d sqlstore.Dialect, pods int, size SizeFunc) {
	ctx := context.Background()
	g := benchGenerator(b, pods)
	_, err := db.Exec(ctx, valueTableSQL)
	require.NoError(b, err)
	b.ReportAllocs()
	resetPeakRSS()
	values := 0
	start := time.Now()
	for n := range b.N {
		company := time.Now().UnixNano() + int64(n)
		conn, err := db.Acquire(ctx)
		require.NoError(b, err)
		_, err = conn.Exec(ctx, d.BeginSQL())
		require.NoError(b, err)
		rows := make([][]any, 0, 2000)
		flush := func() {
			if err := d.BulkInsert(ctx, conn, "bench_values", valueCols, rows); err != nil {
				b.Fatal(err)
			}
			rows = rows[:0]
		}
		for i := range g.Len() {
			r := g.Record(i)
			for _, row := range valueRows(company, r) {
				rows = append(rows, row)
				values++
				if len(rows) == cap(rows) {
					flush()
				}
			}
		}
		flush()
		_, err = conn.Exec(ctx, "COMMIT")
		require.NoError(b, err)
		conn.Release(false)
	}
	report(b, time.Since(start), b.N*g.Len(), values)
	reportSize(b, size)
}

// valueRows returns one row per present quarter-hour of r's Misura.
func valueRows(company int64, r *flows.Record) [][]any {
	month, err := r.MonthYear.Month()
	if err != nil || r.Measure == nil {
		return nil
	}
	var out [][]any
	for i := range r.Measure.Curves {
		c := &r.Measure.Curves[i]
		day, err := strconv.Atoi(c.Day.Text)
		if err != nil {
			continue
		}
		dst, _ := c.DstPart()
		date := civil.Date{Year: month.Year, Month: month.Month, Day: day}
		for n := 1; n <= c.MaxE(); n++ {
			text, ok := c.E(n)
			at, known := store.SlotStart(date, dst, n)
			if !ok || !known {
				continue
			}
			out = append(out, []any{company, r.POD.Text, int(c.Kind), at.UnixMicro(), text})
		}
	}
	return out
}

// report adds the rates, this process's CPU time and its peak resident
// memory to the benchmark. The CPU time leaves out the database server's
// own work on PostgreSQL.
func report(b *testing.B, elapsed time.Duration, records, values int) {
	sec := elapsed.Seconds()
	b.ReportMetric(float64(records)/sec, "records/s")
	b.ReportMetric(float64(values)/sec, "values/s")
	if cpu, ok := cpuSeconds(); ok {
		b.ReportMetric((cpu-cpuAtStart)/float64(b.N), "cpu-s/op")
	}
	if mb, ok := peakRSSMB(); ok {
		b.ReportMetric(mb, "peak-RSS-MB")
	}
}

// reportSize adds the database size per iteration, in MB (10^6 bytes).
func reportSize(b *testing.B, size SizeFunc) {
	if size == nil {
		return
	}
	n, err := size()
	require.NoError(b, err)
	b.ReportMetric(float64(n)/1e6/float64(b.N), "db-MB/op")
}

// resetPeakRSS resets the process's peak resident set (VmHWM) so that it
// measures this benchmark only. It needs Linux; elsewhere it does nothing.
func resetPeakRSS() {
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
	cpuAtStart, _ = cpuSeconds()
}

// cpuAtStart is the process CPU time when the measure started.
var cpuAtStart float64

// cpuSeconds returns the user and system CPU time of the process.
func cpuSeconds() (float64, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds(), true
}

// peakRSSMB returns VmHWM from /proc/self/status in MiB.
func peakRSSMB() (float64, bool) {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, false
	}
	for _, line := range strings.Split(string(status), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")))
			if err != nil {
				return 0, false
			}
			return float64(kb) / 1024, true
		}
	}
	return 0, false
}
