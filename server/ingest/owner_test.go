package ingest

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/server/store"
)

// TestSameInstanceNameClaimsApart runs two ingesters configured with the
// same instance name on one store. While the first still holds the claim
// of a file it loaded, the second must find the file claimed and leave it.
func TestSameInstanceNameClaimsApart(t *testing.T) {
	f := newFixture(t, "")
	ctx := context.Background()
	writeFile(t, filepath.Join(f.inbox(), flowName), flowPNO)

	started, release := make(chan struct{}), make(chan struct{})
	opts := Options{Owner: "same", ClaimTTL: time.Minute}
	second := New(f.st, f.in.loaders, f.in.log, opts)
	opts.AfterCommit = func(context.Context, Company, store.Load) {
		close(started)
		<-release
	}
	first := New(f.st, f.in.loaders, f.in.log, opts)
	assert.NotEqual(t, first.opts.Owner, second.opts.Owner)
	assert.True(t, strings.HasPrefix(first.opts.Owner, "same/"), first.opts.Owner)

	done := make(chan ScanReport, 1)
	go func() {
		rep, err := first.Scan(ctx, f.target, time.Millisecond)
		assert.NoError(t, err)
		done <- rep
	}()
	<-started
	rep, err := second.Scan(ctx, f.target, time.Millisecond)
	close(release)
	require.NoError(t, err)
	require.Len(t, rep.Files, 1)
	assert.Equal(t, OutcomeSkipped, rep.Files[0].Outcome, rep.Files[0].Reason)
	assert.Zero(t, rep.Loaded)

	firstRep := <-done
	assert.Equal(t, 1, firstRep.Loaded)
	_, n, err := f.st.ListLoads(ctx, store.LoadFilter{Company: f.target.Company.ID})
	require.NoError(t, err)
	assert.Equal(t, 1, n, "one load, no duplicate")
}

// TestScanReportsClaimHolder leaves a live claim of another instance on a
// file, as an instance that crashed mid-load does. The scan must count
// the file and log who holds it until when, once per scan.
func TestScanReportsClaimHolder(t *testing.T) {
	f := newFixture(t, "")
	ctx := context.Background()
	path := filepath.Join(f.inbox(), flowName)
	writeFile(t, path, flowPNO)
	cands, _, err := List(f.inbox(), 2)
	require.NoError(t, err)
	require.Len(t, cands, 1)
	cands[0].Kind = KindFlows
	sum, err := hashFile(path)
	require.NoError(t, err)
	claim, err := f.st.Claim(ctx, store.ClaimRequest{
		Company: f.target.Company.ID, Path: claimKey(cands[0]), SHA256: sum,
		Owner: "crashed-host:42", TTL: time.Hour,
	})
	require.NoError(t, err)

	rep, err := f.in.Scan(ctx, f.target, time.Millisecond)
	require.NoError(t, err)
	assert.Equal(t, 1, rep.Claimed)
	require.Len(t, rep.Files, 1)
	assert.Equal(t, "crashed-host:42", rep.Files[0].ClaimedBy)
	assert.WithinDuration(t, claim.ExpiresAt, rep.Files[0].ClaimExpiresAt, time.Second)
	logged := f.log.String()
	assert.Equal(t, 1, strings.Count(logged, `level=INFO msg="file claimed by another instance"`))
	assert.Contains(t, logged, "owner=crashed-host:42")
	assert.Contains(t, logged, "expires="+claim.ExpiresAt.Format(time.RFC3339))
	assert.Contains(t, logged, "claimed=1")
}
