package flowgen

//go:generate go test -run TestExampleFiles -update

import (
	"archive/zip"
	"bytes"
	"flag"
	"io"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/flows"
	"github.com/bludispatcher/dispatcher/internal/civil"
)

var update = flag.Bool("update", false, "rewrite the generated flow files under testdata/flows and examples/flows at the repository root")

// exampleSeed is the seed of every committed example file.
const exampleSeed = 2025

// repoRoot is the repository root, two folders above this package.
const repoRoot = "../.."

var march2025 = civil.Month{Year: 2025, Month: time.March}

// exampleFile is one generated file to commit: its path under the
// repository root and its bytes.
type exampleFile struct {
	path string
	data []byte
}

// testdataFiles returns the whole catalog with 2 PODs (1 for the
// historical flows, which carry 12 months of curves per POD), plus the
// zipped forms under testdata/flows/zip.
func testdataFiles(t testing.TB) []exampleFile {
	var out []exampleFile
	var names []string
	byName := map[string][]byte{}
	for _, opts := range Catalog(exampleSeed, 2) {
		if info, _ := flows.LookupFlow(opts.FlowCode); info.Family == flows.SwitchingHistorical {
			opts.PODs = 1
		}
		name, data := generate(t, opts)
		out = append(out, exampleFile{filepath.Join("testdata", "flows", name), data})
		names = append(names, name)
		byName[name] = data
	}

	// A zip per flow (one XML per zip, as delivered) for two files, and a
	// batch zip that holds both zips, a loose XML and a non-XML file.
	pdo, pno := names[0], names[3]
	pdoZip := zipOf(t, zipEntry{pdo, byName[pdo]})
	pnoZip := zipOf(t, zipEntry{pno, byName[pno]})
	out = append(out,
		exampleFile{filepath.Join("testdata", "flows", "zip", zipName(pdo)), pdoZip},
		exampleFile{filepath.Join("testdata", "flows", "zip", "batch.zip"), zipOf(t,
			zipEntry{zipName(pdo), pdoZip},
			zipEntry{zipName(pno), pnoZip},
			zipEntry{names[1], byName[names[1]]},
			zipEntry{"ElencoFile.txt", []byte(pdo + "\n" + pno + "\n")},
		)},
	)
	return out
}

// examplesFiles returns the files under examples/flows: one of each main
// kind with 3 PODs, and a batch zip.
func examplesFiles(t testing.TB) []exampleFile {
	var out []exampleFile
	var zipped []zipEntry
	for _, opts := range []Options{
		{FlowCode: "PDO", Seed: exampleSeed, PODs: 3},
		{FlowCode: "PDO2G", Seed: exampleSeed, PODs: 3, Month: march2025},
		{FlowCode: "PNO", Seed: exampleSeed, PODs: 3},
		{FlowCode: "RNO2G", Seed: exampleSeed, PODs: 6},
		{FlowCode: "SNF", Seed: exampleSeed, PODs: 3},
	} {
		name, data := generate(t, opts)
		out = append(out, exampleFile{filepath.Join("examples", "flows", name), data})
		zipped = append(zipped, zipEntry{name, data})
	}
	out = append(out, exampleFile{filepath.Join("examples", "flows", "batch.zip"), zipOf(t, zipped...)})
	return out
}

type zipEntry struct {
	name string
	data []byte
}

func zipName(xmlName string) string { return xmlName[:len(xmlName)-len(".xml")] + ".zip" }

// zipOf builds a zip with a fixed modification time, so it depends only on
// its entries and the Go version's deflate.
func zipOf(t testing.TB, entries ...zipEntry) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: e.name, Method: zip.Deflate,
			Modified: time.Date(2025, 11, 5, 6, 5, 23, 0, time.UTC)})
		require.NoError(t, err)
		_, err = w.Write(e.data)
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

// TestExampleFiles checks that the committed example flows are what the
// generator makes today. Run "go generate ./flows/flowgen" (or this test
// with -update) to rewrite them after a change of the generator.
func TestExampleFiles(t *testing.T) {
	files := append(testdataFiles(t), examplesFiles(t)...)
	if *update {
		for _, dir := range []string{"testdata/flows", "examples/flows"} {
			removeGenerated(t, filepath.Join(repoRoot, dir))
		}
		for _, f := range files {
			path := filepath.Join(repoRoot, f.path)
			require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
			require.NoError(t, os.WriteFile(path, f.data, 0o644))
		}
	}
	for _, f := range files {
		got, err := os.ReadFile(filepath.Join(repoRoot, f.path))
		require.NoError(t, err, "run go generate ./flows/flowgen")
		if filepath.Ext(f.path) == ".zip" {
			assert.Equal(t, zipContents(t, f.data), zipContents(t, got), "%s is stale: run go generate ./flows/flowgen", f.path)
			continue
		}
		assert.True(t, bytes.Equal(f.data, got), "%s is stale: run go generate ./flows/flowgen", f.path)
	}
}

// removeGenerated deletes the .xml and .zip files under dir, so files the
// generator no longer makes do not linger.
func removeGenerated(t testing.TB, dir string) {
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if os.IsNotExist(err) {
			return filepath.SkipDir
		}
		if err != nil || d.IsDir() {
			return err
		}
		if ext := filepath.Ext(path); ext == ".xml" || ext == ".zip" {
			return os.Remove(path)
		}
		return nil
	})
	require.NoError(t, err)
}

// zipContents lists the entries of a zip as name and uncompressed bytes,
// recursing into nested zips.
func zipContents(t testing.TB, data []byte) []string {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	require.NoError(t, err)
	var out []string
	for _, f := range zr.File {
		rc, err := f.Open()
		require.NoError(t, err)
		b, err := io.ReadAll(rc)
		require.NoError(t, err)
		require.NoError(t, rc.Close())
		if filepath.Ext(f.Name) == ".zip" {
			for _, inner := range zipContents(t, b) {
				out = append(out, f.Name+"!"+inner)
			}
			continue
		}
		out = append(out, f.Name+"="+string(b))
	}
	sort.Strings(out)
	return out
}
