package ingest

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMovePart(t *testing.T) {
	digest := func(b []byte) string {
		s := sha256.Sum256(b)
		return hex.EncodeToString(s[:])
	}
	part := []byte("part bytes")
	tests := []struct {
		name     string
		existing []byte // bytes already at the target, nil for none
		wantTo   string // path relative to the inbox, "" when nothing moves
	}{
		{"free target", nil, "a.xml"},
		{"same bytes there", part, ""},
		{"other bytes there", []byte("older file"), "g-" + digest(part)[:12] + "/a.xml"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			src := filepath.Join(dir, "stage", "a.xml")
			inbox := filepath.Join(dir, "inbox")
			require.NoError(t, os.MkdirAll(filepath.Dir(src), 0o755))
			require.NoError(t, os.WriteFile(src, part, 0o644))
			if tc.existing != nil {
				require.NoError(t, os.MkdirAll(inbox, 0o755))
				require.NoError(t, os.WriteFile(filepath.Join(inbox, "a.xml"), tc.existing, 0o644))
			}
			to, err := movePart(src, inbox, "g", manifestPart{Company: "c", Name: "a.xml", SHA256: digest(part)})
			require.NoError(t, err)
			assert.NoFileExists(t, src, "the staged part is gone")
			if tc.wantTo == "" {
				assert.Empty(t, to)
				return
			}
			assert.Equal(t, filepath.Join(inbox, filepath.FromSlash(tc.wantTo)), to)
			got, err := os.ReadFile(to)
			require.NoError(t, err)
			assert.Equal(t, part, got)
		})
	}
}

func TestMovePartAlreadyMoved(t *testing.T) {
	to, err := movePart(filepath.Join(t.TempDir(), "missing.xml"), t.TempDir(), "g", manifestPart{Name: "missing.xml", SHA256: "00"})
	require.NoError(t, err)
	assert.Empty(t, to)
}

func TestMovePartDotName(t *testing.T) {
	// A zip entry such as .a.xml gives a part of that name, and the inbox
	// scan skips names that start with a dot, so the part would never load.
	dir := t.TempDir()
	src := filepath.Join(dir, "stage", ".a.xml")
	inbox := filepath.Join(dir, "inbox")
	require.NoError(t, os.MkdirAll(filepath.Dir(src), 0o755))
	require.NoError(t, os.WriteFile(src, []byte("part"), 0o644))
	sum := sha256.Sum256([]byte("part"))

	to, err := movePart(src, inbox, "g", manifestPart{Company: "c", Name: ".a.xml", SHA256: hex.EncodeToString(sum[:])})
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(inbox, "a.xml"), to)
	assert.FileExists(t, filepath.Join(inbox, "a.xml"))
	assert.NoFileExists(t, filepath.Join(inbox, ".a.xml"))
}
