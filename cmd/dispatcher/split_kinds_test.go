package main

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/reseller"
)

// zipEntry is one file of a zip written by zipBytes.
type zipEntry struct {
	name string
	data []byte
}

// zipBytes returns a zip of the entries, in order.
func zipBytes(t *testing.T, entries ...zipEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		w, err := zw.Create(e.name)
		require.NoError(t, err)
		_, err = w.Write(e.data)
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

// splitSources returns the flow of the zip that splitFixture writes, with
// its entry name, and the bytes of its RCU extract and GME file.
func splitSources(t *testing.T, zipped, rcu, prices string) (flowName string, flow, rcuData, gme []byte) {
	t.Helper()
	zr, err := zip.OpenReader(zipped)
	require.NoError(t, err)
	defer zr.Close()
	f, err := zr.File[0].Open()
	require.NoError(t, err)
	defer f.Close()
	flow, err = io.ReadAll(f)
	require.NoError(t, err)
	rcuData, err = os.ReadFile(rcu)
	require.NoError(t, err)
	gme, err = os.ReadFile(prices)
	require.NoError(t, err)
	return zr.File[0].Name, flow, rcuData, gme
}

// Split takes RCU extracts as .txt files and inside zips, also zips that
// mix them with flows and GME files, and sorts each entry by content the
// way a group inbox does.
func TestSplitCommandInputKinds(t *testing.T) {
	routes, zipped, rcu, prices := splitFixture(t)
	flowName, flow, rcuData, gme := splitSources(t, zipped, rcu, prices)
	noVAT := []byte("COD_POD;COD_FISCALE\nIT001E00000001;X\n")
	fileList := []byte("a.xml\nb.xml\n")

	tests := []struct {
		name   string
		files  map[string][]byte // input files, written in a new folder
		code   int
		report []string // lines expected in the standard output
		stderr string   // text expected in the standard error, if any
		parts  []string // files expected below -out
		absent []string // files expected not to be below -out
	}{
		{
			name:   "plain txt extract",
			files:  map[string][]byte{"rcu_202510.txt": rcuData},
			report: []string{"rcu_202510.txt (rcu): 3 records, 3 PODs", "balance: parts add up to the input"},
			parts:  []string{"beta/rcu_202510.txt", "unassigned/rcu_202510.txt"},
		},
		{
			name:   "zip of a csv extract",
			files:  map[string][]byte{"rcu.zip": zipBytes(t, zipEntry{"2025/rcu_202510.csv", rcuData})},
			report: []string{"rcu.zip!2025/rcu_202510.csv (rcu): 3 records, 3 PODs"},
			parts:  []string{"beta/rcu_202510.csv", "unassigned/rcu_202510.csv"},
		},
		{
			name: "mixed zip with nested zip",
			files: map[string][]byte{"mixed.zip": zipBytes(t,
				zipEntry{flowName, flow},
				zipEntry{"rcu_202510.TXT", rcuData},
				zipEntry{"20251001MGPPrezzi.xml", gme},
				zipEntry{"ElencoFile.txt", fileList},
				zipEntry{"__MACOSX/._rcu_202510.TXT", []byte("apple")},
				zipEntry{"inner.zip", zipBytes(t, zipEntry{"rcu_202511.csv", rcuData})},
			)},
			report: []string{
				"mixed.zip!" + flowName + " (flow PDO): 3 records, 3 PODs",
				"mixed.zip!rcu_202510.TXT (rcu): 3 records, 3 PODs",
				"mixed.zip!20251001MGPPrezzi.xml (gme): 24 records, 0 PODs",
				"mixed.zip!ElencoFile.txt: skipped, 12 bytes: not a metering flow, an RCU extract (.csv or .txt with a COD_POD column) or a GME file; it stays in the zip",
				"mixed.zip!__MACOSX/._rcu_202510.TXT: skipped, a hidden file (its name starts with a dot)",
				"mixed.zip!inner.zip!rcu_202511.csv (rcu): 3 records, 3 PODs",
			},
			parts: []string{
				"alfa/" + flowName, "beta/" + flowName, "unassigned/" + flowName,
				"beta/rcu_202510.TXT", "unassigned/rcu_202510.TXT",
				"alfa/20251001MGPPrezzi.xml", "beta/20251001MGPPrezzi.xml",
				"beta/rcu_202511.csv", "unassigned/rcu_202511.csv",
			},
			absent: []string{"unassigned/ElencoFile.txt", "unassigned/._rcu_202510.TXT"},
		},
		{
			name:   "plain file of another kind",
			files:  map[string][]byte{"ElencoFile.txt": fileList},
			report: []string{"ElencoFile.txt (other): not a metering flow, an RCU extract (.csv or .txt with a COD_POD column) or a GME file, so it is copied whole to unassigned/ElencoFile.txt"},
			parts:  []string{"unassigned/ElencoFile.txt"},
		},
		{
			name:   "plain csv without COD_POD",
			files:  map[string][]byte{"withdrawal.csv": []byte("POD;PIVA_CC\nIT001E00000001;1\n")},
			report: []string{"withdrawal.csv (other): not a metering flow"},
			parts:  []string{"unassigned/withdrawal.csv"},
		},
		{
			name: "extract without PIVA_CC in a zip",
			files: map[string][]byte{"bad.zip": zipBytes(t,
				zipEntry{"rcu_novat.csv", noVAT},
				zipEntry{"rcu_202510.csv", rcuData},
			)},
			code:   1,
			report: []string{"bad.zip!rcu_202510.csv (rcu): 3 records, 3 PODs"},
			stderr: "rcu_novat.csv: RCU extract has no PIVA_CC column",
			parts:  []string{"beta/rcu_202510.csv"},
			absent: []string{"unassigned/rcu_novat.csv"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := t.TempDir()
			out := t.TempDir()
			args := []string{"split", "-routes", routes, "-out", out}
			for name, data := range tt.files {
				path := filepath.Join(in, name)
				require.NoError(t, os.WriteFile(path, data, 0o600))
				args = append(args, path)
			}

			var stdout, stderr bytes.Buffer
			code := run(args, &stdout, &stderr)
			assert.Equal(t, tt.code, code, "stderr: %s", stderr.String())
			for _, line := range tt.report {
				assert.Contains(t, stdout.String(), line)
			}
			if tt.stderr != "" {
				assert.Contains(t, stderr.String(), tt.stderr)
			} else {
				assert.Empty(t, stderr.String())
			}
			for _, p := range tt.parts {
				assert.FileExists(t, filepath.Join(out, filepath.FromSlash(p)))
			}
			for _, p := range tt.absent {
				assert.NoFileExists(t, filepath.Join(out, filepath.FromSlash(p)))
			}
		})
	}
}

// A copied file keeps its bytes, so an operator can read it in the
// unassigned folder.
func TestSplitCommandCopiesOtherFile(t *testing.T) {
	routes, _, _, _ := splitFixture(t)
	in := filepath.Join(t.TempDir(), "notes.txt")
	data := []byte("not an extract\r\nsecond line\n")
	require.NoError(t, os.WriteFile(in, data, 0o600))
	out := t.TempDir()

	var stdout, stderr bytes.Buffer
	require.Equal(t, 0, run([]string{"split", "-routes", routes, "-out", out, in}, &stdout, &stderr), stderr.String())
	got, err := os.ReadFile(filepath.Join(out, reseller.Unassigned, "notes.txt"))
	require.NoError(t, err)
	assert.Equal(t, data, got)
}
