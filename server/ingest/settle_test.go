package ingest

import (
	"archive/zip"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/server/store"
)

func TestSettlerNeedsQuietPeriod(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 10, 0, 0, 0, time.UTC)
	now := t0
	s := NewSettler()
	s.Quiet = 10 * time.Second
	s.Now = func() time.Time { return now }
	old := Candidate{Path: "old", Size: 10, ModTime: t0.Add(-time.Minute)}
	// A file server whose clock runs ahead stamps a file in the future.
	ahead := Candidate{Path: "ahead", Size: 10, ModTime: t0.Add(time.Minute)}

	assert.Empty(t, s.Observe([]Candidate{old, ahead}), "first look")
	now = t0.Add(5 * time.Second)
	assert.Empty(t, s.Observe([]Candidate{old, ahead}), "second look too soon after the first")
	now = t0.Add(10 * time.Second)
	assert.Equal(t, []string{"old"}, paths(s.Observe([]Candidate{old, ahead})),
		"a modification time younger than the quiet period waits")
	now = t0.Add(2 * time.Minute)
	assert.Equal(t, []string{"old", "ahead"}, paths(s.Observe([]Candidate{old, ahead})))
}

// TestScanLogsFutureModTimeOnce checks that a file stamped a year ahead,
// which waits in its inbox until then, is logged once with its path and
// time, and logged again when it changes to another future time.
func TestScanLogsFutureModTimeOnce(t *testing.T) {
	f := newFixture(t, "")
	ctx := context.Background()
	path := filepath.Join(f.inbox(), flowName)
	ahead := time.Now().AddDate(1, 0, 0).Truncate(time.Second)
	writeFile(t, path, flowPNO)
	require.NoError(t, os.Chtimes(path, ahead, ahead))
	const msg = "file modification time is in the future"

	for range 2 {
		rep, err := f.in.Scan(ctx, f.target, time.Millisecond)
		require.NoError(t, err)
		assert.Equal(t, 1, rep.Waiting)
		assert.Empty(t, rep.Files)
	}
	assert.Equal(t, 1, strings.Count(f.log.String(), msg), f.log.String())
	assert.Contains(t, f.log.String(), "modified="+ahead.UTC().Format(time.RFC3339))
	assert.Contains(t, f.log.String(), "path="+path)

	later := ahead.Add(time.Hour)
	require.NoError(t, os.Chtimes(path, later, later))
	_, err := f.in.Scan(ctx, f.target, time.Millisecond)
	require.NoError(t, err)
	assert.Equal(t, 2, strings.Count(f.log.String(), msg), "a new future time is logged again")
}

func TestSettlerHoldsUntilChange(t *testing.T) {
	s := NewSettler()
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	a := Candidate{Path: "a", Size: 10, ModTime: t0}
	s.Observe([]Candidate{a})
	require.Len(t, s.Observe([]Candidate{a}), 1)

	s.Hold(a)
	assert.Empty(t, s.Observe([]Candidate{a}))
	assert.Empty(t, s.Observe([]Candidate{a}), "held while unchanged")
	assert.Equal(t, 1, s.Held())

	a.Size = 20
	assert.Empty(t, s.Observe([]Candidate{a}), "a changed file needs two looks")
	assert.Equal(t, []string{"a"}, paths(s.Observe([]Candidate{a})))
	assert.Zero(t, s.Held())
}

// TestScanKeepsTruncatedFileInInbox writes half a flow, as a writer that
// pauses mid-write leaves it, then the whole flow. The half is logged as
// rejected and stays in the inbox; the whole file then loads and only it
// goes to the archive.
func TestScanKeepsTruncatedFileInInbox(t *testing.T) {
	f := newFixture(t, "")
	ctx := context.Background()
	path := filepath.Join(f.inbox(), flowName)
	half := flowPNO[:len(flowPNO)/2]
	writeFile(t, path, half)
	past := time.Now().Add(-time.Minute)
	require.NoError(t, os.Chtimes(path, past, past))

	rep, err := f.in.Scan(ctx, f.target, time.Millisecond)
	require.NoError(t, err)
	require.Len(t, rep.Files, 1)
	assert.Equal(t, 1, rep.Rejected)
	assert.True(t, rep.Files[0].KeptInInbox)
	assert.Empty(t, rep.Files[0].ArchivedTo)
	assert.Contains(t, rep.Files[0].Reason, "kept in the inbox")
	assert.FileExists(t, path, "a truncated file stays in its inbox")
	assert.NoDirExists(t, f.target.Archive)
	rejected := rep.Files[0].Loads[0]
	anomalies, _, err := f.st.Anomalies(ctx, f.target.Company.ID, rejected.ID, store.Page{})
	require.NoError(t, err)
	var rules []string
	for _, a := range anomalies {
		rules = append(rules, a.Rule)
	}
	assert.Contains(t, rules, RuleTruncated)

	for i := 0; i < 2; i++ {
		rep, err = f.in.Scan(ctx, f.target, 0)
		require.NoError(t, err)
		assert.Empty(t, rep.Files, "an unchanged truncated file is not loaded again")
	}

	// After a restart the held state is gone: the earlier rejected load
	// is found again and the file still stays.
	restarted := New(f.st, f.in.loaders, f.in.log, Options{Owner: "test", ClaimTTL: 3 * time.Second})
	rep, err = restarted.Scan(ctx, f.target, time.Millisecond)
	require.NoError(t, err)
	require.Len(t, rep.Files, 1)
	assert.True(t, rep.Files[0].KeptInInbox)
	assert.Empty(t, rep.Files[0].Loads)
	assert.Len(t, rep.Files[0].Earlier, 1)
	assert.FileExists(t, path)

	writeFile(t, path, flowPNO)
	later := past.Add(30 * time.Second)
	require.NoError(t, os.Chtimes(path, later, later))
	rep, err = f.in.Scan(ctx, f.target, time.Millisecond)
	require.NoError(t, err)
	require.Len(t, rep.Files, 1)
	assert.Equal(t, 1, rep.Loaded)
	assert.Zero(t, rep.Duplicates, "the complete file has another hash")
	assert.NoFileExists(t, path)
	archived, err := os.ReadFile(rep.Files[0].ArchivedTo)
	require.NoError(t, err)
	assert.Equal(t, flowPNO, string(archived), "the archive holds the whole file")

	loads, n, err := f.st.ListLoads(ctx, store.LoadFilter{Company: f.target.Company.ID})
	require.NoError(t, err)
	require.Equal(t, 2, n)
	assert.Equal(t, store.StatusLoaded, loads[0].Status)
	assert.Equal(t, store.StatusRejected, loads[1].Status)
}

// TestScanKeepsCutShortZipInInbox writes the first half of a zip, as a
// copy in progress leaves it, then the whole zip.
func TestScanKeepsCutShortZipInInbox(t *testing.T) {
	f := newFixture(t, "")
	ctx := context.Background()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create(flowName)
	require.NoError(t, err)
	_, err = w.Write([]byte(strings.Repeat(" ", 4000) + flowPNO))
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	whole := buf.Bytes()
	path := filepath.Join(f.inbox(), "batch.zip")
	writeFile(t, path, string(whole[:len(whole)/2]))

	rep, err := f.in.Scan(ctx, f.target, time.Millisecond)
	require.NoError(t, err)
	require.Len(t, rep.Files, 1)
	assert.Zero(t, rep.Rejected, "a copy in progress gets no load entry")
	assert.Equal(t, 1, rep.Waiting)
	assert.True(t, rep.Files[0].KeptInInbox, rep.Files[0].Reason)
	assert.FileExists(t, path)

	writeFile(t, path, string(whole))
	earlier := time.Now().Add(-time.Minute)
	require.NoError(t, os.Chtimes(path, earlier, earlier))
	rep, err = f.in.Scan(ctx, f.target, time.Millisecond)
	require.NoError(t, err)
	require.Len(t, rep.Files, 1)
	assert.Equal(t, 1, rep.Loaded)
	assert.NoFileExists(t, path)
}
