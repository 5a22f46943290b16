package main

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
)

// An invalid -kind is a usage error: load exits 2 naming the valid kinds,
// before it opens the store, which would create the database file.
func TestLoadInvalidKindExitsTwo(t *testing.T) {
	tests := []struct {
		name      string
		kind      string
		code      int
		message   string
		createsDB bool
	}{
		{"unknown kind", "foo", 2, `invalid -kind "foo": want one of flows, gme, group, invoices, outcomes, pra, rcu, sii`, false},
		{"empty kind", "", 2, `invalid -kind "": want one of `, false},
		{"upper case", "FLOWS", 2, `invalid -kind "FLOWS"`, false},
		{"trailing space", "rcu ", 2, `invalid -kind "rcu "`, false},
		{"valid kind", "rcu", 0, "0 files: 0 loaded", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			cfg := loadConfig(t, dir)
			files := t.TempDir()

			var stdout, stderr bytes.Buffer
			code := run([]string{"load", "-config", cfg, "-kind", tt.kind, files}, &stdout, &stderr)
			assert.Equal(t, tt.code, code, "stderr: %s", stderr.String())
			assert.Contains(t, stdout.String()+stderr.String(), tt.message)
			if tt.createsDB {
				assert.FileExists(t, filepath.Join(dir, "data", "dispatcher.db"))
			} else {
				assert.NoFileExists(t, filepath.Join(dir, "data", "dispatcher.db"))
			}
		})
	}
}
