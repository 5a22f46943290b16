package distributor

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// FuzzOutcomeReader reads arbitrary bytes as outcome files: no panic, no
// hang, and every outcome comes with a phase from the known set.
func FuzzOutcomeReader(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "outcomes", "*.xml"))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, o := range sampleOutcomes() {
		var buf bytes.Buffer
		if err := EncodeOutcomeXML(&buf, o, nil); err != nil {
			f.Fatal(err)
		}
		f.Add(buf.Bytes())
	}
	f.Add([]byte(`<Prestazione cod_servizio="D01" cod_flusso="E150"><DatiTecnici><a><b><c/></b></a></DatiTecnici></Prestazione>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<16 {
			return
		}
		rd := NewOutcomeReader(bytes.NewReader(data), "fuzz.xml", nil)
		for i := 0; i < 1000; i++ {
			o, _, err := rd.Next()
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				if !errors.Is(err, ErrSyntax) {
					t.Fatalf("error does not wrap ErrSyntax: %v", err)
				}
				return
			}
			switch o.Phase {
			case "", PhaseAdmissibility, PhaseOutcome, PhaseMeterData:
			default:
				t.Fatalf("unexpected phase %q", o.Phase)
			}
		}
	})
}

// FuzzDecodeRequestXML reads arbitrary bytes as a request flow: no panic,
// and every error wraps ErrSyntax.
func FuzzDecodeRequestXML(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "golden", "*.xml"))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<16 {
			return
		}
		_, err := DecodeRequestXML(bytes.NewReader(data), "fuzz.xml")
		if err != nil && !errors.Is(err, ErrSyntax) {
			t.Fatalf("error does not wrap ErrSyntax: %v", err)
		}
	})
}
