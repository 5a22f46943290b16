package flowgen

import (
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/flows"
)

func TestNewReaderMatchesWrite(t *testing.T) {
	opts := Options{FlowCode: "PNO2G", Seed: 8, PODs: 5}
	r, err := NewReader(opts)
	require.NoError(t, err)
	got, err := io.ReadAll(r)
	require.NoError(t, err)
	require.NoError(t, r.Close())
	_, want := generate(t, opts)
	assert.Equal(t, want, got)
}

func TestNewReaderCloseEarly(t *testing.T) {
	r, err := NewReader(Options{FlowCode: "PDO", Seed: 1, PODs: 1000})
	require.NoError(t, err)
	buf := make([]byte, 1024)
	_, err = io.ReadFull(r, buf)
	require.NoError(t, err)
	require.NoError(t, r.Close())
	_, err = r.Read(buf)
	assert.ErrorIs(t, err, io.ErrClosedPipe)
}

func TestNewReaderRejectsOptions(t *testing.T) {
	_, err := NewReader(Options{FlowCode: "NOPE"})
	assert.ErrorIs(t, err, ErrOptions)
}

func TestPODsForSize(t *testing.T) {
	opts := Options{FlowCode: "PDO", Seed: 2}
	n, err := PODsForSize(opts, 2<<20)
	require.NoError(t, err)
	assert.Greater(t, n, 1)
	opts.PODs = n
	_, data := generate(t, opts)
	assert.InDelta(t, 2<<20, len(data), 0.1*(2<<20), "within 10%% of the requested size")

	n, err = PODsForSize(opts, 10)
	require.NoError(t, err)
	assert.Equal(t, 1, n)
}

// BenchmarkDecodeGeneratedStream decodes a generated PDO stream without
// storing it, for the decoder's memory use on large inputs.
func BenchmarkDecodeGeneratedStream(b *testing.B) {
	opts := Options{FlowCode: "PDO", Seed: 1, PODs: 50}
	var size countingWriter
	g, err := New(opts)
	require.NoError(b, err)
	require.NoError(b, g.Write(&size))
	b.SetBytes(size.n)
	b.ReportAllocs()
	for b.Loop() {
		r, err := NewReader(opts)
		require.NoError(b, err)
		d := flows.NewDecoderOptions(r, flows.DecoderOptions{ReuseRecord: true})
		for {
			if _, err := d.Next(); err == io.EOF {
				break
			} else if err != nil {
				b.Fatal(err)
			}
		}
		r.Close()
	}
}
