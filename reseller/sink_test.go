package reseller

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDirSinkCommit(t *testing.T) {
	root := t.TempDir()
	inbox := filepath.Join(t.TempDir(), "inbox")
	sink := DirSink{Root: root, Dirs: map[string]string{"beta": inbox}}

	p, err := sink.Create("alfa", "a.xml")
	require.NoError(t, err)
	_, err = p.Write([]byte("<x/>"))
	require.NoError(t, err)
	entries, err := os.ReadDir(filepath.Join(root, "alfa"))
	require.NoError(t, err)
	require.Len(t, entries, 1)
	assert.NotEqual(t, "a.xml", entries[0].Name(), "the part is hidden until committed")
	require.NoError(t, p.Commit())
	data, err := os.ReadFile(filepath.Join(root, "alfa", "a.xml"))
	require.NoError(t, err)
	assert.Equal(t, "<x/>", string(data))

	q, err := sink.Create("beta", "a.xml")
	require.NoError(t, err)
	require.NoError(t, q.Commit())
	assert.FileExists(t, filepath.Join(inbox, "a.xml"))
}

func TestDirSinkAbort(t *testing.T) {
	root := t.TempDir()
	p, err := DirSink{Root: root}.Create("alfa", "a.xml")
	require.NoError(t, err)
	require.NoError(t, p.Abort())
	entries, err := os.ReadDir(filepath.Join(root, "alfa"))
	require.NoError(t, err)
	assert.Empty(t, entries)
}

func TestDirSinkNoOverwrite(t *testing.T) {
	root := t.TempDir()
	sink := DirSink{Root: root}
	for i, want := range []bool{true, false} {
		p, err := sink.Create("alfa", "a.xml")
		require.NoError(t, err)
		err = p.Commit()
		assert.Equal(t, want, err == nil, "commit %d: %v", i, err)
	}
	entries, err := os.ReadDir(filepath.Join(root, "alfa"))
	require.NoError(t, err)
	assert.Len(t, entries, 1, "the failed commit leaves no temporary file")
}

func TestDirSinkRejectsPaths(t *testing.T) {
	for _, name := range []string{"", "..", "../a.xml", "x/a.xml"} {
		_, err := DirSink{Root: t.TempDir()}.Create("alfa", name)
		assert.Error(t, err, name)
	}
}
