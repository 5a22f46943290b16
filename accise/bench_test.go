package accise

import (
	"bytes"
	"testing"
)

func yearCSV(b *testing.B) []byte {
	b.Helper()
	var buf bytes.Buffer
	w := NewLineCSVWriter(&buf)
	for range 20 {
		for _, l := range generatedYear() {
			if err := w.Write(l); err != nil {
				b.Fatal(err)
			}
		}
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

func BenchmarkCSVImport(b *testing.B) {
	data := yearCSV(b)
	p, _ := DefaultProfiles().Profile("dispatcher")
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		r, err := NewCSVReader(bytes.NewReader(data), ImportOptions{Profile: p})
		if err != nil {
			b.Fatal(err)
		}
		for {
			_, err := r.Read()
			if err != nil {
				break
			}
		}
	}
}

func BenchmarkComputeAndBuild(b *testing.B) {
	lines := generatedYear()
	opts := yearOptions()
	b.ReportAllocs()
	for b.Loop() {
		c, _ := Compute(lines, ComputeOptions{})
		if _, err := BuildElectricity(c, opts); err != nil {
			b.Fatal(err)
		}
		if _, err := BuildGas(c, opts); err != nil {
			b.Fatal(err)
		}
	}
}
