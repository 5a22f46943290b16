package gme

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func BenchmarkReaderQuarterHour(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("testdata", "20251026MGPPrezzi15.xml"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		r := NewReader(bytes.NewReader(data))
		for {
			if _, err := r.Next(); err != nil {
				if err == io.EOF {
					break
				}
				var rowErr *RowError
				if !asRowError(err, &rowErr) {
					b.Fatal(err)
				}
			}
		}
	}
}

func asRowError(err error, target **RowError) bool {
	e, ok := err.(*RowError)
	if ok {
		*target = e
	}
	return ok
}
