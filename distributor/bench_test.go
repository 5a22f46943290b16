package distributor

import (
	"bytes"
	"errors"
	"io"
	"testing"
)

// BenchmarkReadOutcomes reads a file of 1000 D01 final outcomes wrapped in
// one root element.
func BenchmarkReadOutcomes(b *testing.B) {
	var one bytes.Buffer
	if err := EncodeOutcomeXML(&one, sampleOutcomes()[3], nil); err != nil {
		b.Fatal(err)
	}
	body := bytes.TrimPrefix(one.Bytes(), []byte(`<?xml version="1.0" encoding="UTF-8"?>`+"\n"))
	var doc bytes.Buffer
	doc.WriteString("<Esiti>\n")
	for range 1000 {
		doc.Write(body)
	}
	doc.WriteString("</Esiti>\n")
	data := doc.Bytes()

	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		rd := NewOutcomeReader(bytes.NewReader(data), "bench.xml", nil)
		for {
			_, _, err := rd.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkEncodeXML writes the A01 sample request.
func BenchmarkEncodeXML(b *testing.B) {
	r := loadRequest(b, "A01")
	var buf bytes.Buffer
	if err := EncodeXML(&buf, r, nil); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(buf.Len()))
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := EncodeXML(&buf, r, nil); err != nil {
			b.Fatal(err)
		}
	}
}
