package archive

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestWalkFileNameAsOnDisk checks that the name of a file on disk keeps
// backslashes and "!", which are legal bytes of a Linux file name, while
// entries of a zip lose their folders.
func TestWalkFileNameAsOnDisk(t *testing.T) {
	dir := t.TempDir()
	xmlPath := filepath.Join(dir, `a!b\c.xml`)
	require.NoError(t, os.WriteFile(xmlPath, []byte("<a/>"), 0o644))

	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range []string{"dir/x.xml", `win\y.xml`} {
		w, err := zw.Create(name)
		require.NoError(t, err)
		_, err = w.Write([]byte("<a/>"))
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	zipPath := filepath.Join(dir, `z\z.zip`)
	require.NoError(t, os.WriteFile(zipPath, buf.Bytes(), 0o644))
	missing := filepath.Join(dir, `gone\x.xml`)

	tests := []struct {
		path  string
		names []string
	}{
		{xmlPath, []string{`a!b\c.xml`}},
		{zipPath, []string{"x.xml", "y.xml"}},
		{missing, []string{`gone\x.xml`}},
	}
	for _, tt := range tests {
		var names []string
		err := WalkFile(tt.path, Options{}, func(e Entry) error {
			names = append(names, e.Name)
			return nil
		})
		require.NoError(t, err)
		assert.Equal(t, tt.names, names, tt.path)
	}
}

// TestWalkEntryNameKeepsBang checks that a "!" inside a zip entry name
// stays part of the name, because only the walk can tell where an
// archive path ends and an entry name begins.
func TestWalkEntryNameKeepsBang(t *testing.T) {
	inner := buildZip(t, file{name: "c!d.xml", data: []byte(sampleXML)})
	data := buildZip(t,
		file{name: "dir/a!b.xml", data: []byte(sampleXML)},
		file{name: "x!y.zip", data: inner},
		file{name: "bad!name.zip", data: []byte("PK\x03\x04 not a zip")},
	)
	var names, paths []string
	err := Walk("outer.zip", bytes.NewReader(data), int64(len(data)), Options{}, func(e Entry) error {
		names = append(names, e.Name)
		paths = append(paths, e.Path)
		return nil
	})
	require.NoError(t, err)
	assert.Equal(t, []string{"a!b.xml", "c!d.xml", "bad!name.zip"}, names)
	assert.Equal(t, []string{"outer.zip!dir/a!b.xml", "outer.zip!x!y.zip!c!d.xml", "outer.zip!bad!name.zip"}, paths)
}
