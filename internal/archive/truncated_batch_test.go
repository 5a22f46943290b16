package archive

import (
	"archive/zip"
	"bytes"
	"hash/crc32"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestWalkTruncatedBatchOfStoredZips cuts a batch zip after a stored inner
// zip. The cut archive then ends with the inner zip's end record, and
// archive/zip reads the inner zip as if it were the whole archive: the cut
// must still be reported, and the inner zip's entries keep their full path.
func TestWalkTruncatedBatchOfStoredZips(t *testing.T) {
	inner := buildZip(t, file{name: "a.xml", data: []byte(sampleXML)})
	big := []byte(strings.Repeat(sampleXML, 200))
	data := buildZip(t,
		file{raw: &zip.FileHeader{Name: "inner.zip", Method: zip.Store, CRC32: crc32.ChecksumIEEE(inner),
			CompressedSize64: uint64(len(inner)), UncompressedSize64: uint64(len(inner))}, data: inner},
		file{name: "b.xml", data: big},
	)
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	require.NoError(t, err)
	off, err := zr.File[1].DataOffset()
	require.NoError(t, err)
	cut := data[:off+int64(zr.File[1].CompressedSize64)/2]

	got := walkAll(t, "batch.zip", cut, Options{})
	require.Len(t, got, 3)
	assert.Equal(t, "batch.zip", got[0].path)
	assert.ErrorIs(t, got[0].err, ErrCorrupt)
	assert.Equal(t, "batch.zip!inner.zip!a.xml", got[1].path)
	assert.NoError(t, got[1].err)
	assert.Equal(t, sampleXML, got[1].data)
	assert.Equal(t, "batch.zip!b.xml", got[2].path)
	assert.ErrorIs(t, got[2].err, ErrCorrupt, "reading the cut entry fails")
}

// TestWalkStoredZipInsideCompleteBatch checks that a complete batch whose
// first entry is a stored zip is read normally.
func TestWalkStoredZipInsideCompleteBatch(t *testing.T) {
	inner := buildZip(t, file{name: "a.xml", data: []byte(sampleXML)})
	data := buildZip(t,
		file{raw: &zip.FileHeader{Name: "inner.zip", Method: zip.Store, CRC32: crc32.ChecksumIEEE(inner),
			CompressedSize64: uint64(len(inner)), UncompressedSize64: uint64(len(inner))}, data: inner},
		file{name: "b.xml", data: []byte(sampleXML)},
	)
	got := walkAll(t, "batch.zip", data, Options{})
	require.Len(t, got, 2)
	assert.Equal(t, "batch.zip!inner.zip!a.xml", got[0].path)
	assert.NoError(t, got[0].err)
	assert.Equal(t, "batch.zip!b.xml", got[1].path)
	assert.NoError(t, got[1].err)
}
