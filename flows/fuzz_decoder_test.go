package flows

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// maxFuzzInput caps fuzz inputs so one case stays fast.
const maxFuzzInput = 64 << 10

func FuzzDecoder(f *testing.F) {
	for _, file := range sampleFiles(f) {
		if b, err := os.ReadFile(file); err == nil && len(b) <= maxFuzzInput {
			f.Add(b)
		}
	}
	local, _ := filepath.Glob(filepath.Join("testdata", "decoder", "*.xml"))
	for _, file := range local {
		if b, err := os.ReadFile(file); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > maxFuzzInput {
			return
		}
		opts := DecoderOptions{MaxRecordBytes: 1 << 20, MaxDepth: 32}
		h, recs, err := decodeWith(data, opts)
		if err != nil {
			return
		}
		out, err := encodeAll(h, recs)
		if err != nil {
			t.Fatalf("writing decoded records: %v", err)
		}
		h2, recs2, err := decodeWith(out, opts)
		if err != nil {
			t.Fatalf("written output does not decode: %v\n%s", err, out)
		}
		// Writing the re-decoded records must give the same bytes; comparing
		// bytes is much faster than comparing records under the fuzzer.
		again, err := encodeAll(h2, recs2)
		if err != nil {
			t.Fatalf("writing re-decoded records: %v", err)
		}
		if !bytes.Equal(out, again) {
			canonicalCurves(recs)
			t.Fatalf("records changed in the round trip (-read +rewritten):\n%s%s",
				cmp.Diff(h, h2, ignorePositions), cmp.Diff(recs, recs2, ignorePositions))
		}
	})
}

func decodeWith(data []byte, opts DecoderOptions) (*Header, []*Record, error) {
	d := NewDecoderOptions(bytes.NewReader(data), opts)
	h, err := d.Header()
	if err != nil {
		return nil, nil, err
	}
	var recs []*Record
	for {
		r, err := d.Next()
		if err == io.EOF {
			return h, recs, nil
		}
		if err != nil {
			return h, recs, err
		}
		recs = append(recs, r)
	}
}
