package storetest

import (
	"bytes"
	"context"
	"testing"

	"github.com/bludispatcher/dispatcher/server/store"
)

// BenchLoadCounts are the numbers of earlier loads of one company that
// BenchListLoadsBySHA256 runs with.
var BenchLoadCounts = []int{1000, 10000}

// BenchListLoadsBySHA256 measures the duplicate lookup of ingest:
// ListLoads filtered by company and SHA-256, over a company with the given
// number of loads. The loads go in through BeginLoad and Commit before the
// timer starts, one small original each. With a search on the (company,
// SHA-256) index, the cost per lookup stays about the same whatever the
// number of loads.
func BenchListLoadsBySHA256(b *testing.B, s store.Store, loads int) {
	ctx := context.Background()
	co, err := s.CreateCompany(ctx, store.Company{Code: "bench", Name: "Bench"})
	if err != nil {
		b.Fatal(err)
	}
	var target string
	for i := range loads {
		data, sum := Original(i, 200)
		tx, err := s.BeginLoad(ctx, store.LoadInfo{Company: co.ID, Name: "f.xml", Path: "inbox/f.xml",
			Size: int64(len(data)), SHA256: sum, FlowCode: "PDO", Original: bytes.NewReader(data)})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := tx.Commit(ctx); err != nil {
			b.Fatal(err)
		}
		if i == loads/2 {
			target = sum
		}
	}

	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		found, n, err := s.ListLoads(ctx, store.LoadFilter{Company: co.ID, SHA256: target})
		if err != nil {
			b.Fatal(err)
		}
		if n != 1 || len(found) != 1 {
			b.Fatalf("found %d loads (total %d) with SHA-256 %s, expected 1", len(found), n, target)
		}
	}
}
