package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/server/store"
)

func claimReq(co store.CompanyID, path, sum, owner string, ttl time.Duration) store.ClaimRequest {
	return store.ClaimRequest{Company: co, Path: path, SHA256: sum, Owner: owner, TTL: ttl}
}

func testClaims(t *testing.T, f Factory) {
	s, _ := open(t, f)
	ctx := ctxT(t)
	co := company(t, s, "claims")
	data, sum := Original(70, 100)

	a, err := s.Claim(ctx, claimReq(co, "inbox/a.xml", sum, "host-a", time.Minute))
	require.NoError(t, err)
	assert.Equal(t, "host-a", a.Owner)
	_, err = s.Claim(ctx, claimReq(co, "inbox/a.xml", sum, "host-b", time.Minute))
	assert.ErrorIs(t, err, store.ErrClaimed)
	var held *store.ClaimedError
	require.ErrorAs(t, err, &held)
	assert.Equal(t, "host-a", held.Owner)
	assert.WithinDuration(t, a.ExpiresAt, held.ExpiresAt, time.Millisecond)
	_, err = s.Claim(ctx, claimReq(co, "inbox/a.xml", sum, "host-b", 0))
	assert.ErrorIs(t, err, store.ErrInvalid)

	a, err = s.RenewClaim(ctx, a, time.Minute)
	require.NoError(t, err)
	require.NoError(t, s.ReleaseClaim(ctx, a))
	b, err := s.Claim(ctx, claimReq(co, "inbox/a.xml", sum, "host-b", time.Minute))
	require.NoError(t, err)
	assert.NotEqual(t, a.Token, b.Token)
	_, err = s.RenewClaim(ctx, a, time.Minute)
	assert.ErrorIs(t, err, store.ErrClaimLost, "a released claim cannot be renewed")
	assert.ErrorIs(t, s.ReleaseClaim(ctx, a), store.ErrClaimLost)

	in := info(co, "a.xml", data)
	in.Claim = &b
	tx, err := s.BeginLoad(ctx, in)
	require.NoError(t, err)
	_, err = tx.Commit(ctx)
	require.NoError(t, err)
	_, err = s.Claim(ctx, claimReq(co, "inbox/a.xml", sum, "host-c", time.Minute))
	assert.ErrorIs(t, err, store.ErrClaimDone)
	_, err = s.RenewClaim(ctx, b, time.Minute)
	assert.ErrorIs(t, err, store.ErrClaimLost)

	// The same bytes under another path: the claim succeeds, the load is a
	// duplicate, and the duplicate ends the claim too.
	c, err := s.Claim(ctx, claimReq(co, "inbox/sub/a-copy.xml", sum, "host-c", time.Minute))
	require.NoError(t, err)
	in = info(co, "a-copy.xml", data)
	in.Claim = &c
	_, err = s.BeginLoad(ctx, in)
	require.True(t, isDuplicate(err), "got %v", err)
	_, err = s.Claim(ctx, claimReq(co, "inbox/sub/a-copy.xml", sum, "host-a", time.Minute))
	assert.ErrorIs(t, err, store.ErrClaimDone)

	// A rolled-back load leaves the claim open for a retry.
	data2, sum2 := Original(71, 100)
	d, err := s.Claim(ctx, claimReq(co, "inbox/b.xml", sum2, "host-a", time.Minute))
	require.NoError(t, err)
	in = info(co, "b.xml", data2)
	in.Claim = &d
	tx, err = s.BeginLoad(ctx, in)
	require.NoError(t, err)
	require.NoError(t, tx.Rollback(ctx))
	_, err = s.RenewClaim(ctx, d, time.Minute)
	require.NoError(t, err)
}

func testClaimExpiry(t *testing.T, f Factory) {
	s, reopen := open(t, f)
	ctx := ctxT(t)
	co := company(t, s, "expiry")
	other := reopen(t)
	_, sum := Original(72, 100)
	const ttl = 300 * time.Millisecond
	a, err := s.Claim(ctx, claimReq(co, "inbox/x.xml", sum, "crashed", ttl))
	require.NoError(t, err)
	_, err = other.Claim(ctx, claimReq(co, "inbox/x.xml", sum, "survivor", time.Minute))
	assert.ErrorIs(t, err, store.ErrClaimed)

	time.Sleep(ttl + 200*time.Millisecond)
	b, err := other.Claim(ctx, claimReq(co, "inbox/x.xml", sum, "survivor", time.Minute))
	require.NoError(t, err, "an expired claim is taken over")
	assert.Equal(t, "survivor", b.Owner)
	_, err = s.RenewClaim(ctx, a, time.Minute)
	assert.ErrorIs(t, err, store.ErrClaimLost)
}

// testTwoInstancesRace runs two store instances, each with several
// workers, over the same files, as two servers sharing one inbox would.
// Every file must load exactly once.
func testTwoInstancesRace(t *testing.T, f Factory) {
	s1, reopen := open(t, f)
	s2 := reopen(t)
	ctx := ctxT(t)
	co := company(t, s1, "race")
	const files, workers = 16, 3
	type file struct {
		data []byte
		sum  string
	}
	var all []file
	for i := range files {
		data, sum := Original(100+i, 2000)
		all = append(all, file{data, sum})
	}

	var mu sync.Mutex
	loadsBy := map[string]int{}
	var unexpected []error
	worker := func(s store.Store, owner string, order int) {
		for k := range files {
			i := (k*order + order) % files
			fl := all[i]
			c, err := s.Claim(ctx, claimReq(co, fmt.Sprintf("inbox/%02d.xml", i), fl.sum, owner, time.Minute))
			if errors.Is(err, store.ErrClaimed) || errors.Is(err, store.ErrClaimDone) {
				continue
			}
			if err == nil {
				err = loadClaimed(ctx, s, co, &c, i, fl.data)
			}
			mu.Lock()
			if err != nil {
				unexpected = append(unexpected, err)
			} else {
				loadsBy[fl.sum]++
			}
			mu.Unlock()
		}
	}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(2)
		go func() { defer wg.Done(); worker(s1, fmt.Sprintf("one-%d", w), 2*w+1) }()
		go func() { defer wg.Done(); worker(s2, fmt.Sprintf("two-%d", w), 2*w+3) }()
	}
	wg.Wait()
	assert.Empty(t, unexpected)
	for _, fl := range all {
		assert.Equal(t, 1, loadsBy[fl.sum], "file %s loaded once", fl.sum[:8])
	}
	loads, n, err := s1.ListLoads(ctx, store.LoadFilter{Company: co})
	require.NoError(t, err)
	assert.Equal(t, files, n)
	for _, l := range loads {
		assert.Equal(t, store.StatusLoaded, l.Status)
	}
	_, n, err = s2.SearchRecords(ctx, store.RecordFilter{Company: co})
	require.NoError(t, err)
	assert.Equal(t, files, n)

	// Without claims, the same bytes under two paths at once: one load,
	// one duplicate.
	data, _ := Original(999, 3000)
	errs := make([]error, 2)
	for i, s := range []store.Store{s1, s2} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = loadClaimed(ctx, s, co, nil, 900+i, data)
		}()
	}
	wg.Wait()
	dups := 0
	for _, err := range errs {
		if isDuplicate(err) {
			dups++
		} else {
			assert.NoError(t, err)
		}
	}
	assert.Equal(t, 1, dups)
}

// loadClaimed loads one generated record from data under claim c.
func loadClaimed(ctx context.Context, s store.Store, co store.CompanyID, c *store.Claim, i int, data []byte) error {
	in := info(co, fmt.Sprintf("%02d.xml", i), data)
	in.Claim = c
	tx, err := s.BeginLoad(ctx, in)
	if err != nil {
		return err
	}
	if _, err := tx.AddRecord(ctx, Header("PDO"), HourlyRecord(POD(i), jan2026, i), nil); err != nil {
		return err
	}
	// Hold the transaction open a little so the instances overlap.
	time.Sleep(5 * time.Millisecond)
	_, err = tx.Commit(ctx)
	return err
}
