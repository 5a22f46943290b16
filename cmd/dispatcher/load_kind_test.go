package main

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A folder given to load is searched for the file types of -kind, not
// only for .xml and .zip. The files need not be valid, because the test
// checks only which ones the command finds and hands to the loader.
func TestLoadFolderTakesKindExtensions(t *testing.T) {
	tests := []struct {
		name  string
		flags []string
		files []string
		found []string
		want  string
	}{
		{"rcu csv and txt", []string{"-kind", "rcu"}, []string{"extract.csv", "extract.TXT", "notes.xml"},
			[]string{"extract.csv", "extract.TXT"}, "2 files: "},
		{"pra xlsx", []string{"-kind", "pra"}, []string{"withdrawal.xlsx", "notes.pdf"},
			[]string{"withdrawal.xlsx"}, "1 file: "},
		{"invoices p7m", []string{"-kind", "invoices"}, []string{"invoice.xml.p7m", "notes.csv"},
			[]string{"invoice.xml.p7m"}, "1 file: "},
		{"flows default", nil, []string{"extract.csv"}, nil, "0 files: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "files")
			require.NoError(t, os.MkdirAll(filepath.Join(dir, "sub"), 0o755))
			for _, name := range tt.files {
				require.NoError(t, os.WriteFile(filepath.Join(dir, "sub", name), []byte("x;y\n"), 0o644))
			}
			cfg := loadConfig(t, t.TempDir())

			var stdout, stderr bytes.Buffer
			args := append(append([]string{"load", "-config", cfg}, tt.flags...), dir)
			run(args, &stdout, &stderr)
			out := stdout.String()
			assert.Contains(t, out, tt.want, "stderr: %s", stderr.String())
			for _, name := range tt.files {
				listed := bytes.Contains(stdout.Bytes(), []byte(filepath.Join(dir, "sub", name)+": "))
				assert.Equal(t, slices.Contains(tt.found, name), listed, "%s in the output:\n%s", name, out)
			}
		})
	}
}
