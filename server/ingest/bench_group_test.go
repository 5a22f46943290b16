package ingest

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// tinyEntriesZip returns a zip of n tiny entries built by entry, which
// gets the entry's index.
func tinyEntriesZip(b *testing.B, n int, entry func(i int) (name, data string)) []byte {
	b.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := 0; i < n; i++ {
		name, data := entry(i)
		w, err := zw.Create(name)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := w.Write([]byte(data)); err != nil {
			b.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

// BenchmarkGroupZipTinyEntries measures the load of a group zip of 3,000
// tiny entries into SQLite: entries of no known kind, which are named in
// one load of the zip, and metering flows, each a load of its own. Each
// iteration loads new bytes, so no entry is a duplicate.
func BenchmarkGroupZipTinyEntries(b *testing.B) {
	const entries = 3000
	cases := []struct {
		name  string
		entry func(round, i int) (string, string)
		loads int
	}{
		{"unknown", func(round, i int) (string, string) {
			return fmt.Sprintf("note%05d.bin", i), fmt.Sprintf("round %d entry %d\n", round, i)
		}, 1},
		{"flows", func(round, i int) (string, string) {
			return fmt.Sprintf("%05d_%s", i, flowName), fmt.Sprintf("%s<!-- round %d entry %d -->\n", flowPNO, round, i)
		}, entries},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			f := newGroupFixture(b)
			ctx := context.Background()
			b.ReportAllocs()
			b.ResetTimer()
			for round := 0; round < b.N; round++ {
				b.StopTimer()
				data := tinyEntriesZip(b, entries, func(i int) (string, string) { return tc.entry(round, i) })
				path := filepath.Join(f.dir, "drop", fmt.Sprint(round), "batch.zip")
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					b.Fatal(err)
				}
				if err := os.WriteFile(path, data, 0o644); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				rep, err := f.in.LoadFiles(ctx, f.target, KindGroup, []string{path}, nil)
				if err != nil {
					b.Fatal(err)
				}
				if got := len(rep.Files[0].Loads); got != tc.loads {
					b.Fatalf("%d loads, want %d: %s", got, tc.loads, rep.Files[0].Reason)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N*entries), "ms/entry")
		})
	}
}
