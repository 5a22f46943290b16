package ingest

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/internal/anomaly"
	"github.com/bludispatcher/dispatcher/server/store"
)

// cutShortFixture is a fixture whose Ingester reads the time from now and
// waits wait for a zip cut short.
func cutShortFixture(t *testing.T, now *time.Time, wait time.Duration) *fixture {
	t.Helper()
	f := newFixture(t, "")
	f.in = New(f.st, f.in.loaders, f.in.log, Options{
		Owner: "test", ClaimTTL: 3 * time.Second, CutShortWait: wait,
		Now: func() time.Time { return *now },
	})
	return f
}

// flowZip returns a zip of one flow, padded so that half of it ends inside
// the entry's data.
func flowZip(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create(flowName)
	require.NoError(t, err)
	_, err = w.Write([]byte(strings.Repeat(" ", 4000) + flowPNO))
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

// writeAt writes data to path with the modification time mod.
func writeAt(t *testing.T, path string, data []byte, mod time.Time) {
	t.Helper()
	writeFile(t, path, string(data))
	require.NoError(t, os.Chtimes(path, mod, mod))
}

func rulesOf(t *testing.T, f *fixture, l store.Load) []string {
	t.Helper()
	list, _, err := f.st.Anomalies(context.Background(), f.target.Company.ID, l.ID, store.Page{})
	require.NoError(t, err)
	var rules []string
	for _, a := range list {
		rules = append(rules, a.Rule)
	}
	return rules
}

// zipAnomalyOf returns the anomaly of load l about the zip at path itself,
// apart from those about its entries.
func zipAnomalyOf(t *testing.T, f *fixture, l store.Load, path string) anomaly.Anomaly {
	t.Helper()
	list, _, err := f.st.Anomalies(context.Background(), f.target.Company.ID, l.ID, store.Page{})
	require.NoError(t, err)
	for _, a := range list {
		if a.Field == path {
			return a
		}
	}
	require.Failf(t, "no anomaly about the zip", "anomalies: %v", list)
	return anomaly.Anomaly{}
}

// TestCutShortZipGrowingThenStale follows a zip copy that writes half the
// file, then three quarters, then stops for good. The file stays in its
// inbox while it grows and until CutShortWait after its last change. It
// is then rejected as corrupt and archived byte for byte.
func TestCutShortZipGrowingThenStale(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	now := t0
	f := cutShortFixture(t, &now, 10*time.Minute)
	ctx := context.Background()
	whole := flowZip(t)
	path := filepath.Join(f.inbox(), "batch.zip")

	writeAt(t, path, whole[:len(whole)/2], t0.Add(-time.Minute))
	rep, err := f.in.Scan(ctx, f.target, time.Millisecond)
	require.NoError(t, err)
	require.Len(t, rep.Files, 1)
	assert.True(t, rep.Files[0].KeptInInbox, "young: a copy in progress")
	assert.WithinDuration(t, t0.Add(9*time.Minute), rep.Files[0].KeptUntil, 0)
	require.Len(t, rep.Files[0].Loads, 1)
	assert.Contains(t, rulesOf(t, f, rep.Files[0].Loads[0]), RuleTruncated)

	now = t0.Add(6 * time.Minute)
	threeQuarters := whole[:len(whole)*3/4]
	writeAt(t, path, threeQuarters, t0.Add(5*time.Minute))
	rep, err = f.in.Scan(ctx, f.target, time.Millisecond)
	require.NoError(t, err)
	require.Len(t, rep.Files, 1)
	assert.True(t, rep.Files[0].KeptInInbox, "grown: still a copy in progress")
	assert.WithinDuration(t, t0.Add(15*time.Minute), rep.Files[0].KeptUntil, 0)

	now = t0.Add(14 * time.Minute)
	rep, err = f.in.Scan(ctx, f.target, time.Millisecond)
	require.NoError(t, err)
	assert.Empty(t, rep.Files, "held until the wait after its last change ends")
	assert.FileExists(t, path)

	now = t0.Add(16 * time.Minute)
	rep, err = f.in.Scan(ctx, f.target, time.Millisecond)
	require.NoError(t, err)
	require.Len(t, rep.Files, 1)
	got := rep.Files[0]
	assert.False(t, got.KeptInInbox, got.Reason)
	assert.Equal(t, 1, rep.Rejected)
	assert.NoFileExists(t, path)
	archived, err := os.ReadFile(got.ArchivedTo)
	require.NoError(t, err)
	assert.Equal(t, threeQuarters, archived)

	require.Len(t, got.Loads, 1)
	rejected := got.Loads[0]
	assert.Equal(t, store.StatusRejected, rejected.Status)
	zipAnomaly := zipAnomalyOf(t, f, rejected, path)
	assert.Equal(t, RuleUnreadable, zipAnomaly.Rule)
	assert.Equal(t, anomaly.Blocking, zipAnomaly.Severity)
	assert.Contains(t, zipAnomaly.Message, "no end of central directory record")
	assert.Contains(t, zipAnomaly.Message, "rejected as corrupt")
	assert.NotContains(t, rulesOf(t, f, rejected), RuleTruncated)
	_, rc, err := f.st.OpenOriginal(ctx, f.target.Company.ID, rejected.ID)
	require.NoError(t, err)
	original, err := io.ReadAll(rc)
	rc.Close()
	require.NoError(t, err)
	assert.Equal(t, threeQuarters, original, "the original is kept byte for byte")
}

// TestCutShortZipByAge loads a zip with no end record on a fresh Ingester,
// as after a restart, once with an earlier load that kept it in its inbox
// and once without.
func TestCutShortZipByAge(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name       string
		age        time.Duration // of the file when the fresh Ingester looks
		keptBefore bool          // an earlier load kept the file as a copy in progress
		wantKept   bool
	}{
		{"young", time.Minute, false, true},
		{"young after a kept load", time.Minute, true, true},
		{"stale", time.Hour, false, false},
		{"stale after a kept load", time.Hour, true, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			now := t0
			f := cutShortFixture(t, &now, 10*time.Minute)
			ctx := context.Background()
			whole := flowZip(t)
			half := whole[:len(whole)/2]
			path := filepath.Join(f.inbox(), "batch.zip")
			writeAt(t, path, half, t0.Add(-time.Second))
			if tc.keptBefore {
				rep, err := f.in.Scan(ctx, f.target, time.Millisecond)
				require.NoError(t, err)
				require.Len(t, rep.Files, 1)
				require.True(t, rep.Files[0].KeptInInbox)
			}

			now = t0.Add(tc.age)
			restarted := New(f.st, f.in.loaders, f.in.log, Options{
				Owner: "test", ClaimTTL: 3 * time.Second, CutShortWait: 10 * time.Minute,
				Now: func() time.Time { return now },
			})
			rep, err := restarted.Scan(ctx, f.target, time.Millisecond)
			require.NoError(t, err)
			require.Len(t, rep.Files, 1)
			got := rep.Files[0]
			assert.Equal(t, tc.wantKept, got.KeptInInbox, got.Reason)
			if tc.wantKept {
				assert.FileExists(t, path)
				return
			}
			assert.NoFileExists(t, path)
			require.Len(t, got.Loads, 1, "a new rejected load, not the earlier one")
			assert.Empty(t, got.Earlier)
			assert.Equal(t, RuleUnreadable, zipAnomalyOf(t, f, got.Loads[0], path).Rule)
			assert.NotContains(t, rulesOf(t, f, got.Loads[0]), RuleTruncated)
			archived, err := os.ReadFile(got.ArchivedTo)
			require.NoError(t, err)
			assert.Equal(t, half, archived)
		})
	}
}

func TestSettlerHoldUntil(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	now := t0
	s := NewSettler()
	s.Now = func() time.Time { return now }
	a := Candidate{Path: "a", Size: 10, ModTime: t0}
	s.HoldUntil(a, t0.Add(time.Minute))

	assert.Empty(t, s.Observe([]Candidate{a}), "held")
	now = t0.Add(time.Minute)
	assert.Empty(t, s.Observe([]Candidate{a}), "first look after the hold")
	assert.Equal(t, []string{"a"}, paths(s.Observe([]Candidate{a})), "stable at the second look")
}
