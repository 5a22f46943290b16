package main

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/internal/testref"
	"github.com/bludispatcher/dispatcher/server/ingest"
)

const loadSample = "01234567890_12345678901_201302_PNO2G_20130304101533_1DP0001_R.xml"

// loadFixture puts one official sample as XML and another zipped into a
// new folder and returns the folder.
func loadFixture(t *testing.T) string {
	t.Helper()
	src := testref.Flows(t, "sii-standard-tracciati-misure-v1.8", "esempi")
	dir := filepath.Join(t.TempDir(), "files")
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "sub"), 0o755))
	data, err := os.ReadFile(filepath.Join(src, loadSample))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, loadSample), data, 0o644))

	other := "01234567890_12345678901_201301_PNO_20130218060523_1DP0001_R.xml"
	data, err = os.ReadFile(filepath.Join(src, other))
	require.NoError(t, err)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create(other)
	require.NoError(t, err)
	_, err = w.Write(data)
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	require.NoError(t, os.WriteFile(filepath.Join(dir, "sub", "batch.zip"), buf.Bytes(), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("x"), 0o644))
	return dir
}

// loadConfig writes a configuration that accepts the 2013 samples.
func loadConfig(t *testing.T, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "config.json")
	require.NoError(t, os.WriteFile(path, []byte(`{
		"store": "sqlite:data/dispatcher.db",
		"flows": {"disabled_rules": ["R14"]},
		"companies": [{"id": "acme", "inboxes": {"flows": ["inbox"]}, "archive": "archive"}]
	}`), 0o644))
	return path
}

func TestLoadCommandLoadsFolder(t *testing.T) {
	files := loadFixture(t)
	cfg := loadConfig(t, t.TempDir())

	var stdout, stderr bytes.Buffer
	code := run([]string{"load", "-config", cfg, files}, &stdout, &stderr)
	require.Equal(t, 0, code, "stdout: %s\nstderr: %s", stdout.String(), stderr.String())
	out := stdout.String()
	assert.Contains(t, out, loadSample+": load 1 loaded, 1 records loaded")
	assert.Contains(t, out, "batch.zip!01234567890_12345678901_201301_PNO_20130218060523_1DP0001_R.xml: load 2 loaded")
	assert.Contains(t, out, "2 files: 2 loaded, 0 rejected, 0 duplicates in ")
	assert.NotContains(t, out, "\r", "no progress bar when the output is not a terminal")
	assert.FileExists(t, filepath.Join(files, loadSample), "files stay without -move")

	stdout.Reset()
	code = run([]string{"load", "-config", cfg, "-move", filepath.Join(files, loadSample)}, &stdout, &stderr)
	require.Equal(t, 0, code, stderr.String())
	assert.Contains(t, stdout.String(), "already loaded unchanged as load 1 loaded")
	assert.NoFileExists(t, filepath.Join(files, loadSample), "-move archives the file")

	copyPath := filepath.Join(t.TempDir(), "copy.xml")
	archivedFiles, err := filepath.Glob(filepath.Join(filepath.Dir(cfg), "archive", "*", loadSample))
	require.NoError(t, err)
	require.Len(t, archivedFiles, 1)
	sample, err := os.ReadFile(archivedFiles[0])
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(copyPath, sample, 0o644))
	stdout.Reset()
	code = run([]string{"load", "-config", cfg, copyPath}, &stdout, &stderr)
	require.Equal(t, 0, code, stderr.String())
	assert.Contains(t, stdout.String(), "load 3 duplicate", "a new copy of the same bytes")
}

func TestLoadCommandErrors(t *testing.T) {
	var stderr bytes.Buffer
	assert.Equal(t, 2, run([]string{"load"}, io.Discard, &stderr))
	assert.Contains(t, stderr.String(), "no PATH")

	stderr.Reset()
	cfg := loadConfig(t, t.TempDir())
	assert.Equal(t, 2, run([]string{"load", "-config", cfg, filepath.Join(t.TempDir(), "none.xml")}, io.Discard, &stderr))
	assert.Contains(t, stderr.String(), "none.xml")

	stderr.Reset()
	assert.Equal(t, 1, run([]string{"load", "-config", cfg, "-company", "nobody", loadFixture(t)}, io.Discard, &stderr))
	assert.Contains(t, stderr.String(), `company "nobody"`)
}

func TestProgressBarDraws(t *testing.T) {
	var out bytes.Buffer
	p := &progress{w: &out, enabled: true, files: 2, totalBytes: 200}
	p.update(ingest.FileReport{Size: 100})
	p.update(ingest.FileReport{Size: 100})
	p.finish()
	lines := strings.Split(out.String(), "\r")
	require.Len(t, lines, 3)
	assert.Contains(t, lines[1], "[===============               ]  50% 1/2 files")
	assert.Contains(t, lines[2], "100% 2/2 files 0.0 MB/0.0 MB\n")
}

func TestLoadCommandRejectedExitsOne(t *testing.T) {
	files := loadFixture(t)
	bad := filepath.Join(files, "01234567890_12345678901_201301_PNO_20130218060524_1DP0001_R.xml")
	require.NoError(t, os.WriteFile(bad, []byte("<FlussoMisure"), 0o644))
	cfg := loadConfig(t, t.TempDir())

	var stdout, stderr bytes.Buffer
	code := run([]string{"load", "-config", cfg, files}, &stdout, &stderr)
	assert.Equal(t, 1, code, "a rejected load exits 1: %s", stderr.String())
	assert.Contains(t, stdout.String(), "3 files: 2 loaded, 1 rejected, 0 duplicates in ")

	stdout.Reset()
	code = run([]string{"load", "-config", cfg, filepath.Join(files, loadSample)}, &stdout, &stderr)
	assert.Equal(t, 0, code, "an earlier load of the same file is not a failure")
	assert.Contains(t, stdout.String(), "1 file: 0 loaded, 0 rejected, 0 duplicates in ")
}
