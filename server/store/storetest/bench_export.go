package storetest

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/server/store"
)

// BenchExportCycle measures one billing export cycle on s: list every
// pending item, fetch the first page of entities, acknowledge every item
// and re-export them, over one PDO load of pods hourly PODs. The first
// list also moves the load into the queue before the timer starts.
func BenchExportCycle(b *testing.B, s store.Store, pods int) {
	ctx := context.Background()
	co, err := s.CreateCompany(ctx, store.Company{Code: "bench", Name: "Bench"})
	if err != nil {
		b.Fatal(err)
	}
	data, _ := Original(1, 1000)
	tx, err := s.BeginLoad(ctx, store.LoadInfo{Company: co.ID, Name: "pdo.xml", Path: "pdo.xml",
		Size: int64(len(data)), SHA256: SHA256(data), FlowCode: "PDO", Original: bytes.NewReader(data)})
	if err != nil {
		b.Fatal(err)
	}
	month := civil.Month{Year: 2026, Month: time.January}
	for i := range pods {
		if _, err := tx.AddRecord(ctx, Header("PDO"), HourlyRecord(POD(i), month, i), nil); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := tx.Commit(ctx); err != nil {
		b.Fatal(err)
	}
	items, err := s.PendingExport(ctx, store.ExportFilter{Company: co.ID, Limit: store.MaxLimit})
	if err != nil {
		b.Fatal(err)
	}
	seqs := make([]int64, len(items))
	for i, it := range items {
		seqs[i] = it.Seq
	}

	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := s.PendingExport(ctx, store.ExportFilter{Company: co.ID, Limit: store.MaxLimit}); err != nil {
			b.Fatal(err)
		}
		if _, err := s.ExportEntities(ctx, co.ID, seqs[:min(100, len(seqs))]); err != nil {
			b.Fatal(err)
		}
		if _, err := s.AcknowledgeExport(ctx, co.ID, seqs, "bench"); err != nil {
			b.Fatal(err)
		}
		if _, err := s.Reexport(ctx, co.ID, seqs, "bench"); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(seqs)*b.N)/b.Elapsed().Seconds(), "items/s")
}
