package ingest

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/internal/anomaly"
	"github.com/bludispatcher/dispatcher/server/store"
)

// cutShortFixture is a fixture whose Ingester reads the time from now and
// uses wait as its CutShortWait.
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
// inbox while it grows and until CutShortWait after its last change, with
// no entry in the load log and one info line per change. It is then
// rejected as corrupt, as the only entry of the load log, and archived
// byte for byte.
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
	assert.Equal(t, OutcomeSkipped, rep.Files[0].Outcome)
	assert.WithinDuration(t, t0.Add(9*time.Minute), rep.Files[0].KeptUntil, 0)
	assert.Empty(t, rep.Files[0].Loads, "a copy in progress gets no load entry")
	assert.Empty(t, rep.Files[0].SHA256, "a copy in progress is not read")
	assert.Equal(t, 1, rep.Waiting)
	assert.Zero(t, rep.Rejected)
	assert.Empty(t, allLoads(t, f))

	now = t0.Add(6 * time.Minute)
	threeQuarters := whole[:len(whole)*3/4]
	writeAt(t, path, threeQuarters, t0.Add(5*time.Minute))
	rep, err = f.in.Scan(ctx, f.target, time.Millisecond)
	require.NoError(t, err)
	require.Len(t, rep.Files, 1)
	assert.True(t, rep.Files[0].KeptInInbox, "grown: still a copy in progress")
	assert.WithinDuration(t, t0.Add(15*time.Minute), rep.Files[0].KeptUntil, 0)
	assert.Empty(t, rep.Files[0].Loads)
	assert.Empty(t, allLoads(t, f))

	now = t0.Add(14 * time.Minute)
	rep, err = f.in.Scan(ctx, f.target, time.Millisecond)
	require.NoError(t, err)
	assert.Empty(t, rep.Files, "held until the wait after its last change ends")
	assert.Equal(t, 1, rep.Waiting)
	assert.FileExists(t, path)
	assert.Equal(t, 2, strings.Count(f.log.String(), `msg="zip copy in progress"`), "one info line per change")

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
	assert.Len(t, allLoads(t, f), 1, "the rejected zip is the only entry of the load log")
}

// allLoads returns every entry of the fixture company's load log.
func allLoads(t *testing.T, f *fixture) []store.Load {
	t.Helper()
	loads, _, err := f.st.ListLoads(context.Background(), store.LoadFilter{Company: f.target.Company.ID})
	require.NoError(t, err)
	return loads
}

// TestCutShortZipByAge loads a zip with no end record on a fresh Ingester,
// as after a restart. It runs after no earlier look, after a scan that
// kept the zip in its inbox, and after a rejected load with rule
// truncated, which versions before the copy-in-progress check wrote.
func TestCutShortZipByAge(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name       string
		age        time.Duration // of the file when the fresh Ingester looks
		keptBefore bool          // an earlier scan kept the file as a copy in progress
		olderLoad  bool          // an older version logged the file as truncated
		wantKept   bool
	}{
		{"young", time.Minute, false, false, true},
		{"young after a kept scan", time.Minute, true, false, true},
		{"young after an older load", time.Minute, false, true, true},
		{"stale", time.Hour, false, false, false},
		{"stale after a kept scan", time.Hour, true, false, false},
		{"stale after an older load", time.Hour, false, true, false},
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
			if tc.olderLoad {
				c := Candidate{Company: "acme", Kind: KindFlows, Path: path, Rel: "batch.zip",
					Size: int64(len(half)), ModTime: t0.Add(-time.Second)}
				loader, ok := f.in.loaders.Loader(KindFlows)
				require.True(t, ok)
				kept := entryAnomaly(path, errors.New("zip: not a valid zip file"))
				kept.Rule = RuleTruncated
				_, _, err := f.in.loadWithAnomalies(ctx, f.target.Company, loader, c, anomaly.List{kept})
				require.NoError(t, err)
			}
			before := len(allLoads(t, f))

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
				assert.Empty(t, got.Loads)
				assert.Len(t, allLoads(t, f), before, "no new load entry")
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

// TestCutShortZipManyPauses is the regression test for a copy of a zip
// with a stored entry that pauses several times. Each pause used to log
// two rejected loads, the partial entry and the zip, each with its partial
// original. Now the pauses log nothing, and the copy that stops for good
// becomes one rejected load of the zip.
func TestCutShortZipManyPauses(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	now := t0
	f := cutShortFixture(t, &now, 10*time.Minute)
	ctx := context.Background()
	body := []byte(flowPNO)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: flowName, Method: zip.Store, CRC32: crc32.ChecksumIEEE(body),
		CompressedSize64: uint64(len(body)), UncompressedSize64: uint64(len(body))})
	require.NoError(t, err)
	_, err = w.Write(body)
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	whole := buf.Bytes()
	path := filepath.Join(f.inbox(), "batch.zip")

	var last []byte
	for i := 1; i <= 4; i++ {
		last = whole[:len(whole)*i/5]
		modified := now.Add(-time.Second)
		writeAt(t, path, last, modified)
		rep, err := f.in.Scan(ctx, f.target, time.Millisecond)
		require.NoError(t, err)
		require.Len(t, rep.Files, 1, "pause %d", i)
		assert.True(t, rep.Files[0].KeptInInbox, "pause %d", i)
		assert.Empty(t, allLoads(t, f), "pause %d", i)
		now = now.Add(5 * time.Minute)
	}

	now = now.Add(10 * time.Minute)
	rep, err := f.in.Scan(ctx, f.target, time.Millisecond)
	require.NoError(t, err)
	require.Len(t, rep.Files, 1)
	got := rep.Files[0]
	require.Len(t, got.Loads, 1, "one rejected load, no load of the partial entry")
	assert.Equal(t, store.StatusRejected, got.Loads[0].Status)
	assert.Equal(t, "batch.zip", got.Loads[0].Name)
	assert.Len(t, allLoads(t, f), 1)
	assert.Equal(t, 1, rep.Rejected)
	archived, err := os.ReadFile(got.ArchivedTo)
	require.NoError(t, err)
	assert.Equal(t, last, archived)
}

func TestZipBeingCopiedByLoader(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	now := t0
	f := cutShortFixture(t, &now, 10*time.Minute)
	whole := flowZip(t)
	dir := t.TempDir()
	tests := []struct {
		name   string
		loader Loader
		file   string
		data   []byte
		age    time.Duration
		want   bool
	}{
		{"walked zip cut short", &FlowsLoader{}, "a.zip", whole[:len(whole)/2], time.Minute, true},
		{"walked zip past the wait", &FlowsLoader{}, "a.zip", whole[:len(whole)/2], time.Hour, false},
		{"walked zip complete", &FlowsLoader{}, "a.zip", whole, time.Minute, false},
		{"zip read whole, cut short", &RCULoader{}, "a.zip", whole[:len(whole)/2], time.Minute, true},
		{"spreadsheet read whole", &InvoiceLoader{}, "a.xlsx", whole[:len(whole)/2], time.Minute, false},
		{"xml file", &FlowsLoader{}, "a.xml", []byte(flowPNO), time.Minute, false},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, strconv.Itoa(i)+"-"+tc.file)
			writeAt(t, path, tc.data, t0.Add(-tc.age))
			c := Candidate{Path: path, Size: int64(len(tc.data)), ModTime: t0.Add(-tc.age)}
			assert.Equal(t, tc.want, f.in.zipBeingCopied(tc.loader, c))
		})
	}
}
