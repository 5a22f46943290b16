package gme

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/internal/archive"
)

// buildZip returns an archive holding the named testdata files, plus a
// folder entry and a text file.
func buildZip(t *testing.T, files ...string) *zip.Reader {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	_, err := zw.Create("MGP_Prezzi/")
	require.NoError(t, err)
	for _, name := range files {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		require.NoError(t, err)
		w, err := zw.Create("MGP_Prezzi/" + name)
		require.NoError(t, err)
		_, err = w.Write(data)
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	require.NoError(t, err)
	return zr
}

func TestWalkZipBothKinds(t *testing.T) {
	zr := buildZip(t, "20251001MGPPrezzi.xml", "20251001MGPPrezzi15.xml")
	counts := map[Kind]int{}
	var entries []string
	err := WalkZip(zr, 0, func(entry string, r *Reader) error {
		entries = append(entries, entry)
		recs, rowErrs := readAll(t, r)
		require.Empty(t, rowErrs)
		for _, rec := range recs {
			counts[rec.Kind]++
		}
		return nil
	})
	require.NoError(t, err)
	assert.Equal(t, []string{"MGP_Prezzi/20251001MGPPrezzi.xml", "MGP_Prezzi/20251001MGPPrezzi15.xml"}, entries)
	assert.Equal(t, 24, counts[KindPrices])
	assert.Equal(t, 96, counts[KindPrices15])
}

func TestWalkZipEntryTooLarge(t *testing.T) {
	zr := buildZip(t, "20251001MGPPrezzi15.xml")
	err := WalkZip(zr, 1000, func(entry string, r *Reader) error {
		for {
			_, err := r.Next()
			if err != nil {
				return err
			}
		}
	})
	assert.ErrorIs(t, err, ErrEntryTooLarge)
}

func TestWalkZipStopsOnCallbackError(t *testing.T) {
	zr := buildZip(t, "20251001MGPPrezzi.xml", "20251001MGPPrezzi15.xml")
	stop := errors.New("stop")
	calls := 0
	err := WalkZip(zr, 0, func(string, *Reader) error {
		calls++
		return stop
	})
	assert.ErrorIs(t, err, stop)
	assert.Equal(t, 1, calls)
}

func TestLimitReaderExactSize(t *testing.T) {
	data := []byte("0123456789")
	l := &limitReader{r: bytes.NewReader(data), n: int64(len(data)), entry: "x"}
	got, err := io.ReadAll(l)
	require.NoError(t, err, "a file of exactly the limit is accepted")
	assert.Equal(t, data, got)
}

// The server walks inbox files with internal/archive, which also opens
// nested zips; each XML entry it yields is read with NewReader.
func TestArchiveWalkFeedsReader(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range []string{"20251001MGPPrezzi.xml", "20251001MGPPrezzi15.xml"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		require.NoError(t, err)
		w, err := zw.Create(name)
		require.NoError(t, err)
		_, err = w.Write(data)
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())

	counts := map[Kind]int{}
	err := archive.Walk("20251001MGPPrezzi.zip", bytes.NewReader(buf.Bytes()), int64(buf.Len()), archive.Options{}, func(e archive.Entry) error {
		require.NoError(t, e.Err)
		recs, rowErrs := readAll(t, NewReader(e.Reader))
		require.Empty(t, rowErrs)
		for _, rec := range recs {
			counts[rec.Kind]++
		}
		return nil
	})
	require.NoError(t, err)
	assert.Equal(t, map[Kind]int{KindPrices: 24, KindPrices15: 96}, counts)
}
