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

func TestEndRecordMissing(t *testing.T) {
	whole := buildZip(t, file{name: "a.xml", data: []byte(sampleXML)}, file{name: "b.xml", data: []byte(sampleXML)})
	directory := bytes.Index(whole, []byte("PK\x01\x02"))
	require.Greater(t, directory, 0)
	inner := buildZip(t, file{name: "a.xml", data: []byte(sampleXML)})
	batch := buildZip(t,
		file{raw: &zip.FileHeader{Name: "inner.zip", Method: zip.Store, CRC32: crc32.ChecksumIEEE(inner),
			CompressedSize64: uint64(len(inner)), UncompressedSize64: uint64(len(inner))}, data: inner},
		file{name: "b.xml", data: []byte(sampleXML)},
	)
	var empty bytes.Buffer
	require.NoError(t, zip.NewWriter(&empty).Close())

	tests := []struct {
		name string
		data []byte
		want bool
	}{
		{"complete zip", whole, false},
		{"cut inside the first entry", whole[:len(whole)/4], true},
		{"cut before the central directory", whole[:directory], true},
		{"cut inside the end record", whole[:len(whole)-5], true},
		{"cut after a stored inner zip", batch[:bytes.Index(batch, inner)+len(inner)], true},
		{"local header only", []byte("PK\x03\x04"), true},
		{"empty zip", empty.Bytes(), false},
		{"xml file", []byte(sampleXML), false},
		{"empty file", nil, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, EndRecordMissing(bytes.NewReader(tc.data), int64(len(tc.data))))
		})
	}
}

// TestWalkStoredEntryCutShort checks that a stored entry whose local header
// gives its size, cut short by the end of the file, fails on read instead
// of yielding its first bytes as a whole entry.
func TestWalkStoredEntryCutShort(t *testing.T) {
	text := []byte(strings.Repeat(sampleXML, 20))
	data := buildZip(t,
		file{name: "a.xml", data: []byte(sampleXML)},
		file{raw: &zip.FileHeader{Name: "b.xml", Method: zip.Store, CRC32: crc32.ChecksumIEEE(text),
			CompressedSize64: uint64(len(text)), UncompressedSize64: uint64(len(text))}, data: text},
	)
	start := bytes.Index(data, text)
	require.Greater(t, start, 0)
	cut := data[:start+len(text)/2]

	got := walkAll(t, "cut.zip", cut, Options{})
	require.Len(t, got, 3)
	assert.ErrorIs(t, got[0].err, ErrCorrupt, "the zip itself")
	assert.Equal(t, "cut.zip!a.xml", got[1].path)
	assert.NoError(t, got[1].err)
	assert.Equal(t, sampleXML, got[1].data)
	assert.Equal(t, "cut.zip!b.xml", got[2].path)
	assert.ErrorIs(t, got[2].err, ErrCorrupt, "reading the cut entry fails")
	assert.Equal(t, string(text[:len(text)/2]), got[2].data, "the bytes before the cut")
}

// FuzzEndRecordMissing checks that no input makes EndRecordMissing panic,
// and that a zip archive/zip opens with no error has its end record unless
// that record is a stored inner zip's.
func FuzzEndRecordMissing(f *testing.F) {
	whole := buildZip(f, file{name: "a.xml", data: []byte(sampleXML)})
	f.Add(whole)
	f.Add(whole[:len(whole)/2])
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte(sampleXML))
	f.Fuzz(func(t *testing.T, data []byte) {
		r := bytes.NewReader(data)
		missing := EndRecordMissing(r, int64(len(data)))
		if _, err := zip.NewReader(r, int64(len(data))); err == nil && missing {
			assert.Error(t, foreignEndRecord(r, int64(len(data))), "a readable zip reported without end record")
		}
	})
}
