package ingest

import (
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/server/store"
)

// TestScanLoadsNonUTF8FileName loads a file whose name is Latin-1, not
// UTF-8, and checks that a later scan finds the load already committed.
func TestScanLoadsNonUTF8FileName(t *testing.T) {
	f := newFixture(t, "")
	ctx := context.Background()
	path := filepath.Join(f.inbox(), "caff\xe8.xml")
	writeFile(t, path, flowPNO)
	target := f.target
	target.Archive = ""

	rep, err := f.in.Scan(ctx, target, time.Millisecond)
	require.NoError(t, err)
	require.Len(t, rep.Files, 1)
	require.Equal(t, OutcomeDone, rep.Files[0].Outcome, rep.Files[0].Reason)
	require.Len(t, rep.Files[0].Loads, 1)
	l := rep.Files[0].Loads[0]
	assert.Equal(t, "caff\uFFFD.xml", l.Name)
	assert.Equal(t, store.EscapePath(path), l.Path)

	rep, err = f.in.Scan(ctx, target, time.Millisecond)
	require.NoError(t, err)
	require.Len(t, rep.Files, 1)
	assert.Empty(t, rep.Files[0].Loads, "the unchanged file is not loaded again")
	require.Len(t, rep.Files[0].Earlier, 1)
	assert.Equal(t, l.ID, rep.Files[0].Earlier[0].ID)
}

// TestRepeatedFailureLoggedOnce scans an inbox whose kind has no loader,
// so the same file fails at every scan.
func TestRepeatedFailureLoggedOnce(t *testing.T) {
	f := newFixture(t, "")
	target := f.target
	target.Inboxes = []Inbox{{Kind: "unknown", Dir: f.inbox()}}
	writeFile(t, filepath.Join(f.inbox(), flowName), flowPNO)
	for i := 0; i < 3; i++ {
		rep, err := f.in.Scan(context.Background(), target, time.Millisecond)
		require.NoError(t, err)
		assert.Equal(t, 1, rep.Failed)
	}
	assert.Equal(t, 1, strings.Count(f.log.String(), `level=ERROR msg="file load failed"`))
	assert.Equal(t, 2, strings.Count(f.log.String(), `level=DEBUG msg="file load failed"`))
}

func TestScanLogsCreatedInboxAndDuration(t *testing.T) {
	f := newFixture(t, "")
	var logged strings.Builder
	f.in.log = slog.New(slog.NewJSONHandler(&logged, nil))
	_, err := f.in.Scan(context.Background(), f.target, 0)
	require.NoError(t, err)
	assert.Contains(t, logged.String(), `"msg":"inbox folder created"`)
	assert.DirExists(t, f.inbox())

	logged.Reset()
	writeFile(t, filepath.Join(f.inbox(), "notes.txt"), "x")
	_, err = f.in.Scan(context.Background(), f.target, 0)
	require.NoError(t, err)
	assert.NotContains(t, logged.String(), "inbox folder created", "logged only when created")
	assert.Regexp(t, `"duration":"[0-9.]+[mµn]?s"`, logged.String(), "JSON logs carry the duration as text")
}
