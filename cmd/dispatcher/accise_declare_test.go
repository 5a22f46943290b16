package main

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAcciseDeclareDicFailureWritesNothing(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		wantErr string
	}{
		{"gas marker missing", []string{"-company", "TOE000123"}, "-gas-marker"},
		{"company too long for .dic", []string{"-company", "IT00TOE000123", "-gas-marker", "GASNAT"}, "longer than 9 characters"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := acciseLinesFile(t)
			dir := t.TempDir()
			args := append([]string{"accise", "declare", "-year", "2025", "-seat", "TO", "-out", dir, "-dic"}, tc.args...)
			code, out, errOut := acciseRun(append(args, in)...)
			assert.Equal(t, 1, code)
			assert.Contains(t, errOut, tc.wantErr)
			assert.Empty(t, out, "no file path printed")
			entries, err := os.ReadDir(dir)
			require.NoError(t, err)
			assert.Empty(t, entries, "no file left in the output folder")
		})
	}
}
