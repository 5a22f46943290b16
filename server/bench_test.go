package server

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/bludispatcher/dispatcher/flows"
	"github.com/bludispatcher/dispatcher/server/ingest"
	"github.com/bludispatcher/dispatcher/server/store"
	"github.com/bludispatcher/dispatcher/server/store/sqlite"
)

// benchPODs is the number of points of the benchmark file: 50 PODs with
// 31 days of Ea and Er, 297,600 quarter-hour values, about 3.6 MB.
const benchPODs = 50

// BenchmarkIngestHourlyFlow measures one file through the whole ingest
// path into SQLite: hashing, claim, decoding, validation, the original and
// the records in one transaction. Each iteration loads a copy that differs
// by one XML comment, so none is a duplicate.
func BenchmarkIngestHourlyFlow(b *testing.B) {
	var flow bytes.Buffer
	if err := writeHourlyFlow(&flow, benchPODs); err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	st, err := sqlite.Open(context.Background(), filepath.Join(dir, "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	co, err := st.CreateCompany(context.Background(), store.Company{Code: "bench", Name: "Bench"})
	if err != nil {
		b.Fatal(err)
	}
	loaders, err := ingest.NewRegistry(&ingest.FlowsLoader{Options: flows.ValidateOptions{Disabled: []string{"R14"}}})
	if err != nil {
		b.Fatal(err)
	}
	in := ingest.New(st, loaders, slog.New(slog.NewTextHandler(io.Discard, nil)), ingest.Options{Owner: "bench"})
	target := ingest.Target{Company: ingest.Company{ID: co.ID, Code: "bench"}}

	b.SetBytes(int64(flow.Len()))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		path := filepath.Join(dir, fmt.Sprint(i), bigFlowName)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(path, variant(flow.Bytes(), i), 0o644); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		rep, err := in.LoadFiles(context.Background(), target, ingest.KindFlows, []string{path}, nil)
		if err != nil {
			b.Fatal(err)
		}
		if rep.Loaded != 1 {
			b.Fatalf("file not loaded: %+v", rep.Files)
		}
	}
	b.StopTimer()
	perSecond := float64(b.N) / b.Elapsed().Seconds()
	b.ReportMetric(perSecond*benchPODs, "records/s")
	b.ReportMetric(perSecond*benchPODs*2*31*96, "values/s")
}
