package sqlstore

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// gzipFresh compresses data with a new writer at the level that
// compressOriginal uses.
func gzipFresh(t *testing.T, data []byte) []byte {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	require.NoError(t, err)
	_, err = zw.Write(data)
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

func TestCompressOriginalReusedWriter(t *testing.T) {
	tests := []struct {
		name string
		data []byte
	}{
		{"empty", nil},
		{"tiny", benchOriginal(300)},
		{"64 KiB", benchOriginal(64 << 10)},
		{"1 MiB", benchOriginal(1 << 20)},
		{"tiny after large", benchOriginal(100)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The second round takes a writer that the first one used.
			for round := range 2 {
				got, err := compressOriginal(io.NewSectionReader(bytes.NewReader(tt.data), 0, int64(len(tt.data))))
				require.NoError(t, err)
				assert.Equal(t, gzipFresh(t, tt.data), got.data, "round %d", round)
				assert.Equal(t, int64(len(tt.data)), got.size)
				sum := sha256.Sum256(tt.data)
				assert.Equal(t, hex.EncodeToString(sum[:]), got.sum)
			}
		})
	}
}

func TestCompressOriginalAfterReadError(t *testing.T) {
	broken := io.MultiReader(bytes.NewReader(benchOriginal(5000)), iotest.ErrReader(errors.New("disk failed")))
	_, err := compressOriginal(broken)
	require.ErrorContains(t, err, "read original: disk failed")

	data := benchOriginal(300)
	got, err := compressOriginal(bytes.NewReader(data))
	require.NoError(t, err)
	assert.Equal(t, gzipFresh(t, data), got.data)
}

func TestDecompressOriginalReusedReader(t *testing.T) {
	for i, size := range []int{300, 0, 64 << 10, 10} {
		data := benchOriginal(size)
		orig, err := compressOriginal(bytes.NewReader(data))
		require.NoError(t, err)
		rc, err := decompressOriginal(orig.data)
		require.NoError(t, err)
		got, err := io.ReadAll(rc)
		require.NoError(t, err)
		assert.Equal(t, data, got, "original %d", i)
		require.NoError(t, rc.Close())
		assert.NoError(t, rc.Close(), "a second Close")
		_, err = rc.Read(make([]byte, 1))
		assert.ErrorIs(t, err, errReadAfterClose)
	}
}

func TestDecompressOriginalCorrupt(t *testing.T) {
	orig, err := compressOriginal(bytes.NewReader(benchOriginal(300)))
	require.NoError(t, err)
	rc, err := decompressOriginal(orig.data)
	require.NoError(t, err)
	require.NoError(t, rc.Close())

	// The pool now has a reader, and Reset rejects the bad header.
	_, err = decompressOriginal([]byte("<?xml version=\"1.0\"?><not-gzip/>"))
	assert.ErrorIs(t, err, gzip.ErrHeader)

	flipped := bytes.Clone(orig.data)
	flipped[len(flipped)-5] ^= 0xff // inside the CRC-32 of the trailer
	rc, err = decompressOriginal(flipped)
	require.NoError(t, err)
	_, err = io.ReadAll(rc)
	assert.ErrorIs(t, err, gzip.ErrChecksum)
	require.NoError(t, rc.Close())

	data := benchOriginal(500)
	good, err := compressOriginal(bytes.NewReader(data))
	require.NoError(t, err)
	rc, err = decompressOriginal(good.data)
	require.NoError(t, err)
	got, err := io.ReadAll(rc)
	require.NoError(t, err)
	assert.Equal(t, data, got)
	require.NoError(t, rc.Close())
}

// benchOriginal returns size bytes of XML-like text, the kind of original
// that ingest stores.
func benchOriginal(size int) []byte {
	b := make([]byte, 0, size+32)
	for i := 0; len(b) < size; i++ {
		b = fmt.Appendf(b, "<Ea E%d=\"%d,%03d\"/>\n", i%96+1, i%7, i%1000)
	}
	return b[:size]
}

// BenchmarkCompressOriginal reads the original from an io.SectionReader,
// as ingest does for a file spooled to disk. Unlike a bytes.Reader it has
// no WriteTo method, so the copy needs a buffer.
func BenchmarkCompressOriginal(b *testing.B) {
	for _, size := range []int{300, 64 << 10} {
		data := bytes.NewReader(benchOriginal(size))
		b.Run(fmt.Sprintf("bytes=%d", size), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(size))
			for b.Loop() {
				if _, err := compressOriginal(io.NewSectionReader(data, 0, int64(size))); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkDecompressOriginal(b *testing.B) {
	for _, size := range []int{300, 64 << 10} {
		orig, err := compressOriginal(bytes.NewReader(benchOriginal(size)))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("bytes=%d", size), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(size))
			for b.Loop() {
				rc, err := decompressOriginal(orig.data)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := io.Copy(io.Discard, rc); err != nil {
					b.Fatal(err)
				}
				if err := rc.Close(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
