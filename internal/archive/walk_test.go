package archive

import (
	"archive/zip"
	"bytes"
	"errors"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const sampleXML = `<?xml version="1.0" encoding="utf-8"?><FlussoMisure CodFlusso="PDO"></FlussoMisure>`

// file is one entry of a zip built by a test.
type file struct {
	name string
	data []byte
	// raw, when set, writes data as already compressed with this header.
	raw *zip.FileHeader
}

func buildZip(t testing.TB, files ...file) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		if f.raw != nil {
			w, err := zw.CreateRaw(f.raw)
			require.NoError(t, err)
			_, err = w.Write(f.data)
			require.NoError(t, err)
			continue
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f.name, Method: zip.Deflate})
		require.NoError(t, err)
		_, err = w.Write(f.data)
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

// seen is what a test callback records of one entry.
type seen struct {
	path  string
	depth int
	data  string
	err   error
}

func walkAll(t testing.TB, name string, data []byte, opts Options) []seen {
	t.Helper()
	var out []seen
	err := Walk(name, bytes.NewReader(data), int64(len(data)), opts, func(e Entry) error {
		s := seen{path: e.Path, depth: e.Depth, err: e.Err}
		if e.Err == nil {
			b, err := io.ReadAll(e.Reader)
			s.data, s.err = string(b), err
		}
		out = append(out, s)
		return nil
	})
	require.NoError(t, err)
	return out
}

func TestWalkPlainXML(t *testing.T) {
	got := walkAll(t, "dir/a.xml", []byte(sampleXML), Options{})
	require.Len(t, got, 1)
	assert.Equal(t, "dir/a.xml", got[0].path)
	assert.Equal(t, 0, got[0].depth)
	assert.Equal(t, sampleXML, got[0].data)
	assert.NoError(t, got[0].err)
}

func TestWalkPlainXMLWithBOM(t *testing.T) {
	got := walkAll(t, "upload.bin", []byte("\xef\xbb\xbf"+sampleXML), Options{})
	require.Len(t, got, 1)
	assert.NoError(t, got[0].err)
}

func TestWalkPlainNotXML(t *testing.T) {
	got := walkAll(t, "notes.txt", []byte("hello"), Options{})
	require.Len(t, got, 1)
	assert.ErrorIs(t, got[0].err, ErrNotXML)
}

func TestWalkZipSkipsNonXML(t *testing.T) {
	data := buildZip(t,
		file{name: "a.xml", data: []byte(sampleXML)},
		file{name: "docs/", data: nil},
		file{name: "ElencoFileGiornalieri.txt", data: []byte("a.xml\n")},
		file{name: "sub/b.XML", data: []byte(sampleXML)},
	)
	got := walkAll(t, "in.zip", data, Options{})
	require.Len(t, got, 3)
	assert.Equal(t, "in.zip!a.xml", got[0].path)
	assert.Equal(t, sampleXML, got[0].data)
	assert.Equal(t, 1, got[0].depth)
	assert.Equal(t, "in.zip!ElencoFileGiornalieri.txt", got[1].path)
	assert.ErrorIs(t, got[1].err, ErrNotXML)
	assert.Equal(t, "in.zip!sub/b.XML", got[2].path)
	assert.NoError(t, got[2].err)
}

func TestWalkNestedZips(t *testing.T) {
	inner := buildZip(t, file{name: "a.xml", data: []byte(sampleXML)})
	outer := buildZip(t,
		file{name: "inner.zip", data: inner},
		file{name: "b.xml", data: []byte(sampleXML)},
	)
	for _, opts := range []Options{{}, {MaxInMemory: 16, TempDir: t.TempDir()}} {
		got := walkAll(t, "outer.zip", outer, opts)
		require.Len(t, got, 2)
		assert.Equal(t, "outer.zip!inner.zip!a.xml", got[0].path)
		assert.Equal(t, 2, got[0].depth)
		assert.Equal(t, sampleXML, got[0].data)
		assert.Equal(t, "outer.zip!b.xml", got[1].path)
		assert.Equal(t, 1, got[1].depth)
	}
}

func TestWalkDepthLimit(t *testing.T) {
	inner := buildZip(t, file{name: "a.xml", data: []byte(sampleXML)})
	outer := buildZip(t, file{name: "inner.zip", data: inner}, file{name: "b.xml", data: []byte(sampleXML)})
	got := walkAll(t, "outer.zip", outer, Options{MaxDepth: 1})
	require.Len(t, got, 2)
	assert.Equal(t, "outer.zip!inner.zip", got[0].path)
	assert.ErrorIs(t, got[0].err, ErrTooDeep)
	assert.NoError(t, got[1].err)
}

func TestWalkCorruptCentralDirectory(t *testing.T) {
	data := buildZip(t, file{name: "a.xml", data: []byte(sampleXML)})
	end := bytes.LastIndex(data, []byte("PK\x05\x06"))
	require.GreaterOrEqual(t, end, 0)
	data[end+2] = 'X'
	got := walkAll(t, "bad.zip", data, Options{})
	require.Len(t, got, 2)
	assert.Equal(t, "bad.zip", got[0].path)
	assert.ErrorIs(t, got[0].err, ErrCorrupt)
	var ee *EntryError
	require.ErrorAs(t, got[0].err, &ee)
	assert.Equal(t, "bad.zip", ee.Path)

	// The entry itself is intact and is recovered from its local header.
	assert.Equal(t, "bad.zip!a.xml", got[1].path)
	assert.NoError(t, got[1].err)
	assert.Equal(t, sampleXML, got[1].data)
}

// TestWalkTruncatedZip cuts a zip inside its third entry: the archive is
// reported corrupt, the first two entries are recovered from their local
// headers, and reading the third fails.
func TestWalkTruncatedZip(t *testing.T) {
	big := []byte(strings.Repeat(sampleXML, 200))
	data := buildZip(t,
		file{name: "a.xml", data: []byte(sampleXML)},
		file{name: "b.xml", data: []byte(sampleXML)},
		file{name: "c.xml", data: big},
	)
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	require.NoError(t, err)
	off, err := zr.File[2].DataOffset()
	require.NoError(t, err)

	got := walkAll(t, "cut.zip", data[:off+int64(zr.File[2].CompressedSize64)/2], Options{})
	require.Len(t, got, 4)
	assert.Equal(t, "cut.zip", got[0].path)
	assert.ErrorIs(t, got[0].err, ErrCorrupt)
	assert.Equal(t, "cut.zip!a.xml", got[1].path)
	assert.NoError(t, got[1].err)
	assert.Equal(t, sampleXML, got[1].data)
	assert.Equal(t, "cut.zip!b.xml", got[2].path)
	assert.NoError(t, got[2].err)
	assert.Equal(t, "cut.zip!c.xml", got[3].path)
	assert.ErrorIs(t, got[3].err, ErrCorrupt, "reading the cut entry fails")
	assert.Less(t, len(got[3].data), len(big))
}

// TestWalkTruncatedStoredZip recovers stored entries, whose local headers
// carry their sizes, from a zip without central directory.
func TestWalkTruncatedStoredZip(t *testing.T) {
	stored := func(name, text string) file {
		x := []byte(text)
		return file{raw: &zip.FileHeader{Name: name, Method: zip.Store, CRC32: crc32.ChecksumIEEE(x),
			CompressedSize64: uint64(len(x)), UncompressedSize64: uint64(len(x))}, data: x}
	}
	data := buildZip(t, stored("a.xml", sampleXML), stored("b.txt", "list of files"), stored("c.xml", sampleXML))
	end := bytes.Index(data, []byte("PK\x01\x02"))
	require.Greater(t, end, 0)
	got := walkAll(t, "cut.zip", data[:end], Options{})
	require.Len(t, got, 4)
	assert.ErrorIs(t, got[0].err, ErrCorrupt)
	assert.Equal(t, sampleXML, got[1].data)
	assert.ErrorIs(t, got[2].err, ErrNotXML)
	assert.Equal(t, "cut.zip!c.xml", got[3].path)
	assert.Equal(t, sampleXML, got[3].data)
}

// TestWalkTruncatedNestedZip recovers a zip cut inside another zip.
func TestWalkTruncatedNestedZip(t *testing.T) {
	inner := buildZip(t, file{name: "a.xml", data: []byte(sampleXML)}, file{name: "b.xml", data: []byte(sampleXML)})
	end := bytes.Index(inner, []byte("PK\x01\x02"))
	outer := buildZip(t, file{name: "inner.zip", data: inner[:end]})
	got := walkAll(t, "outer.zip", outer, Options{})
	require.Len(t, got, 3)
	assert.Equal(t, "outer.zip!inner.zip", got[0].path)
	assert.ErrorIs(t, got[0].err, ErrCorrupt)
	assert.Equal(t, "outer.zip!inner.zip!a.xml", got[1].path)
	assert.Equal(t, sampleXML, got[1].data)
	assert.Equal(t, "outer.zip!inner.zip!b.xml", got[2].path)
	assert.Equal(t, sampleXML, got[2].data)
}

func TestWalkZipMagicButGarbage(t *testing.T) {
	got := walkAll(t, "fake.zip", []byte("PK\x03\x04not a zip at all"), Options{})
	require.Len(t, got, 1)
	assert.ErrorIs(t, got[0].err, ErrCorrupt)
}

// TestWalkCorruptEntryData damages the compressed bytes of the first entry
// while the central directory stays intact: the first entry fails on read,
// the second is still delivered.
func TestWalkCorruptEntryData(t *testing.T) {
	payload := []byte(strings.Repeat(sampleXML, 50))
	data := buildZip(t, file{name: "a.xml", data: payload}, file{name: "b.xml", data: []byte(sampleXML)})
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	require.NoError(t, err)
	off, err := zr.File[0].DataOffset()
	require.NoError(t, err)
	for i := off + 10; i < off+30; i++ {
		data[i] ^= 0xff
	}
	got := walkAll(t, "in.zip", data, Options{})
	require.Len(t, got, 2)
	assert.ErrorIs(t, got[0].err, ErrCorrupt)
	assert.NoError(t, got[1].err)
	assert.Equal(t, sampleXML, got[1].data)
}

func TestWalkEncryptedEntry(t *testing.T) {
	data := []byte(sampleXML)
	fh := &zip.FileHeader{Name: "secret.xml", Method: zip.Store, Flags: 0x1,
		CRC32: crc32.ChecksumIEEE(data), CompressedSize64: uint64(len(data)), UncompressedSize64: uint64(len(data))}
	zipped := buildZip(t, file{raw: fh, data: data}, file{name: "b.xml", data: data})
	got := walkAll(t, "in.zip", zipped, Options{})
	require.Len(t, got, 2)
	assert.ErrorIs(t, got[0].err, ErrEncrypted)
	assert.NoError(t, got[1].err)
}

func TestWalkUnsupportedMethod(t *testing.T) {
	data := []byte(sampleXML)
	fh := &zip.FileHeader{Name: "bzip.xml", Method: 12,
		CRC32: crc32.ChecksumIEEE(data), CompressedSize64: uint64(len(data)), UncompressedSize64: uint64(len(data))}
	got := walkAll(t, "in.zip", buildZip(t, file{raw: fh, data: data}), Options{})
	require.Len(t, got, 1)
	assert.ErrorIs(t, got[0].err, ErrUnsupported)
}

func TestWalkUnsafeNames(t *testing.T) {
	names := []string{"../evil.xml", "/etc/evil.xml", `C:\evil.xml`, "a/../../evil.xml", "nul\x00.xml"}
	var files []file
	for _, n := range names {
		files = append(files, file{name: n, data: []byte(sampleXML)})
	}
	got := walkAll(t, "in.zip", buildZip(t, files...), Options{})
	require.Len(t, got, len(names))
	for i, s := range got {
		assert.ErrorIs(t, s.err, ErrUnsafeName, names[i])
	}
}

func TestWalkZipBombDeclaredSize(t *testing.T) {
	bomb := bytes.Repeat([]byte{'<'}, 4<<20)
	data := buildZip(t, file{name: "bomb.xml", data: bomb}, file{name: "b.xml", data: []byte(sampleXML)})
	assert.Less(t, len(data), 64<<10, "the bomb compresses well")
	got := walkAll(t, "in.zip", data, Options{MaxEntrySize: 1 << 20})
	require.Len(t, got, 2)
	assert.ErrorIs(t, got[0].err, ErrTooLarge)
	assert.NoError(t, got[1].err)
}

// TestWalkZipBombLyingSize declares a small size for a large stored entry:
// the read stops at the limit with ErrTooLarge or fails as corrupt, and
// never returns more than the limit.
func TestWalkZipBombLyingSize(t *testing.T) {
	data := bytes.Repeat([]byte{'<'}, 10_000)
	fh := &zip.FileHeader{Name: "liar.xml", Method: zip.Store,
		CRC32: crc32.ChecksumIEEE(data), CompressedSize64: uint64(len(data)), UncompressedSize64: 100}
	zipped := buildZip(t, file{raw: fh, data: data})
	got := walkAll(t, "in.zip", zipped, Options{MaxEntrySize: 1000})
	require.Len(t, got, 1)
	require.Error(t, got[0].err)
	assert.True(t, errors.Is(got[0].err, ErrTooLarge) || errors.Is(got[0].err, ErrCorrupt), got[0].err)
	assert.LessOrEqual(t, len(got[0].data), 1000)
}

func TestWalkTotalSizeLimit(t *testing.T) {
	part := []byte(strings.Repeat("<a/>", 150))
	data := buildZip(t, file{name: "a.xml", data: part}, file{name: "b.xml", data: part})
	got := walkAll(t, "in.zip", data, Options{MaxTotalSize: 1000})
	require.Len(t, got, 2)
	assert.NoError(t, got[0].err)
	assert.ErrorIs(t, got[1].err, ErrTooLarge)
}

func TestWalkMaxEntries(t *testing.T) {
	x := []byte(sampleXML)
	data := buildZip(t, file{name: "a.xml", data: x}, file{name: "b.xml", data: x}, file{name: "c.xml", data: x})
	got := walkAll(t, "in.zip", data, Options{MaxEntries: 2})
	require.Len(t, got, 3)
	assert.NoError(t, got[0].err)
	assert.NoError(t, got[1].err)
	assert.ErrorIs(t, got[2].err, ErrTooManyEntries)
	assert.Equal(t, "in.zip", got[2].path)
}

func TestWalkCallbackErrorStops(t *testing.T) {
	x := []byte(sampleXML)
	data := buildZip(t, file{name: "a.xml", data: x}, file{name: "b.xml", data: x})
	stop := errors.New("stop")
	calls := 0
	err := Walk("in.zip", bytes.NewReader(data), int64(len(data)), Options{}, func(Entry) error {
		calls++
		return stop
	})
	assert.ErrorIs(t, err, stop)
	assert.Equal(t, 1, calls)
}

func TestWalkFile(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "x.zip")
	require.NoError(t, os.WriteFile(name, buildZip(t, file{name: "a.xml", data: []byte(sampleXML)}), 0o600))
	var paths []string
	err := WalkFile(name, Options{}, func(e Entry) error {
		require.NoError(t, e.Err)
		paths = append(paths, e.Path)
		assert.Equal(t, "a.xml", e.Name)
		return nil
	})
	require.NoError(t, err)
	assert.Equal(t, []string{name + "!a.xml"}, paths)
}

func TestWalkFileMissing(t *testing.T) {
	var got []Entry
	err := WalkFile(filepath.Join(t.TempDir(), "missing.zip"), Options{}, func(e Entry) error {
		got = append(got, e)
		return nil
	})
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.ErrorIs(t, got[0].Err, ErrOpen)
	assert.Equal(t, "missing.zip", got[0].Name)
}

func FuzzWalk(f *testing.F) {
	inner := buildZip(f, file{name: "a.xml", data: []byte(sampleXML)})
	f.Add(inner)
	f.Add(buildZip(f, file{name: "inner.zip", data: inner}, file{name: "b.txt", data: []byte("x")}))
	f.Add([]byte(sampleXML))
	f.Add([]byte("PK\x03\x04"))
	two := buildZip(f, file{name: "a.xml", data: []byte(sampleXML)}, file{name: "b.zip", data: inner})
	f.Add(two[:bytes.Index(two, []byte("PK\x01\x02"))])
	tempDir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<16 {
			return
		}
		opts := Options{MaxEntrySize: 1 << 20, MaxTotalSize: 4 << 20, MaxEntries: 64, MaxInMemory: 1 << 10, TempDir: tempDir}
		err := Walk("f.zip", bytes.NewReader(data), int64(len(data)), opts, func(e Entry) error {
			if (e.Reader == nil) == (e.Err == nil) {
				t.Fatalf("entry %q: want exactly one of Reader and Err", e.Path)
			}
			if e.Reader != nil {
				n, _ := io.Copy(io.Discard, e.Reader)
				if n > opts.MaxEntrySize {
					t.Fatalf("entry %q: read %d bytes, over the limit", e.Path, n)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatalf("Walk returned %v although the callback never fails", err)
		}
	})
}
