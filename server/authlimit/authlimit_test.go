package authlimit_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/server/authlimit"
)

// clock is a settable time source.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func newLimiter(t *testing.T, opts authlimit.Options) (*authlimit.Limiter, *clock, *bytes.Buffer) {
	t.Helper()
	c := &clock{t: time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)}
	var logs bytes.Buffer
	opts.Now = c.now
	opts.Log = slog.New(slog.NewTextHandler(&logs, nil))
	return authlimit.New(opts), c, &logs
}

func TestLimiterLocksOut(t *testing.T) {
	tests := []struct {
		name string
		opts authlimit.Options
		// fail is the attempt that fails repeatedly, and other shares
		// nothing with it but the key under test.
		fail, other authlimit.Attempt
		wantUser    bool
		limit       int
	}{
		{
			name:  "address",
			opts:  authlimit.Options{MaxPerAddress: 3, MaxPerUser: 10, Window: time.Minute},
			fail:  authlimit.Attempt{Service: "api", Address: "192.0.2.1"},
			other: authlimit.Attempt{Service: "web", Address: "192.0.2.1", User: "someone"},
			limit: 3,
		},
		{
			name:     "user",
			opts:     authlimit.Options{MaxPerAddress: 10, MaxPerUser: 2, Window: time.Minute},
			fail:     authlimit.Attempt{Service: "soap", Address: "192.0.2.1", User: "billing"},
			other:    authlimit.Attempt{Service: "soap", Address: "198.51.100.7", User: " BILLING "},
			wantUser: true,
			limit:    2,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l, c, logs := newLimiter(t, tc.opts)
			for i := 1; i < tc.limit; i++ {
				l.Fail(tc.fail)
				require.NoError(t, l.Check(tc.fail), "after %d failures", i)
			}
			l.Fail(tc.fail)
			err := l.Check(tc.other)
			locked, ok := authlimit.IsLocked(err)
			require.True(t, ok, "want a lock-out, got %v", err)
			assert.Equal(t, tc.wantUser, locked.User)
			assert.Equal(t, time.Minute, locked.RetryAfter)
			assert.True(t, locked.Until.Equal(c.t.Add(time.Minute)))

			// Failures while locked out neither extend it nor log again.
			c.t = c.t.Add(30 * time.Second)
			l.Fail(tc.fail)
			locked, ok = authlimit.IsLocked(l.Check(tc.fail))
			require.True(t, ok)
			assert.Equal(t, 30*time.Second, locked.RetryAfter)
			assert.Equal(t, 1, strings.Count(logs.String(), "authentication locked out"), logs.String())
			assert.Contains(t, logs.String(), "service="+tc.fail.Service)

			c.t = c.t.Add(30 * time.Second)
			assert.NoError(t, l.Check(tc.fail), "the lock-out ends with the window")
			l.Fail(tc.fail)
			assert.NoError(t, l.Check(tc.fail), "the count starts again after a lock-out")
		})
	}
}

func TestLimiterRetryAfterLatestLockOut(t *testing.T) {
	l, c, _ := newLimiter(t, authlimit.Options{MaxPerAddress: 1, MaxPerUser: 1, Window: time.Minute})
	l.Fail(authlimit.Attempt{Address: "192.0.2.1"})
	c.t = c.t.Add(40 * time.Second)
	l.Fail(authlimit.Attempt{Address: "198.51.100.7", User: "billing"})

	// The address lock-out ends in 20 seconds and the user name's in 60:
	// a client that sends both must wait for the later one.
	both := authlimit.Attempt{Address: "192.0.2.1", User: "billing"}
	locked, ok := authlimit.IsLocked(l.Check(both))
	require.True(t, ok)
	assert.True(t, locked.User, "the user name's lock-out ends last")
	assert.Equal(t, time.Minute, locked.RetryAfter)

	c.t = c.t.Add(locked.RetryAfter)
	assert.NoError(t, l.Check(both), "no lock-out is left after RetryAfter")
}

func TestLimiterSlidingWindow(t *testing.T) {
	// Every case has a limit of 3 failures in a window of one minute, and
	// its first failure starts the first bucket.
	tests := []struct {
		name string
		// failures are the times of the failures, from the first one.
		failures []time.Duration
		// locked reports whether the last failure locks the key out. No
		// failure before it does.
		locked bool
	}{
		{name: "one bucket", failures: []time.Duration{0, 10 * time.Second, 20 * time.Second}, locked: true},
		{name: "previous bucket fades", failures: []time.Duration{0, 10 * time.Second, 90 * time.Second, 100 * time.Second}},
		{name: "previous bucket counts by share", failures: []time.Duration{0, time.Second, 61 * time.Second, 62 * time.Second}, locked: true},
		{name: "two idle buckets reset", failures: []time.Duration{0, time.Second, 121 * time.Second, 122 * time.Second}},
		{name: "bunched failures pass", failures: []time.Duration{0, 59 * time.Second, 90 * time.Second, 100 * time.Second}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l, c, _ := newLimiter(t, authlimit.Options{MaxPerAddress: 3, Window: time.Minute})
			a := authlimit.Attempt{Address: "192.0.2.9"}
			start := c.t
			for i, at := range tc.failures {
				c.t = start.Add(at)
				l.Fail(a)
				_, locked := authlimit.IsLocked(l.Check(a))
				if i < len(tc.failures)-1 {
					require.False(t, locked, "failure at %v", at)
				} else {
					assert.Equal(t, tc.locked, locked, "failure at %v", at)
				}
			}
		})
	}
}

func TestLimiterSuccessResetsUser(t *testing.T) {
	l, _, _ := newLimiter(t, authlimit.Options{MaxPerAddress: 3, MaxPerUser: 2, Window: time.Minute})
	a := authlimit.Attempt{Address: "192.0.2.1", User: "billing"}
	l.Fail(a)
	l.Succeed(a)
	l.Fail(a)
	require.NoError(t, l.Check(a), "the success cleared the user's first failure")
	l.Fail(authlimit.Attempt{Address: "192.0.2.1"})
	locked, ok := authlimit.IsLocked(l.Check(authlimit.Attempt{Address: "192.0.2.1"}))
	require.True(t, ok, "the success did not clear the address")
	assert.False(t, locked.User)
}

func TestLimiterDisabledAndNil(t *testing.T) {
	l, _, _ := newLimiter(t, authlimit.Options{MaxPerAddress: -1, MaxPerUser: -1})
	a := authlimit.Attempt{Address: "192.0.2.1", User: "billing"}
	for range 100 {
		l.Fail(a)
	}
	assert.NoError(t, l.Check(a))

	var none *authlimit.Limiter
	none.Fail(a)
	none.Succeed(a)
	assert.NoError(t, none.Check(a))
}

func TestLimiterDefaults(t *testing.T) {
	l, _, _ := newLimiter(t, authlimit.Options{})
	// The per-user limit is off by default: a user name is never locked
	// out, however often it fails.
	user := authlimit.Attempt{User: "billing"}
	for range 100 {
		l.Fail(user)
	}
	assert.NoError(t, l.Check(user))

	address := authlimit.Attempt{Address: "192.0.2.1"}
	for range authlimit.DefaultMaxPerAddress {
		require.NoError(t, l.Check(address))
		l.Fail(address)
	}
	locked, ok := authlimit.IsLocked(l.Check(address))
	require.True(t, ok)
	assert.Equal(t, authlimit.DefaultWindow, locked.RetryAfter)
}

// prefix64 returns the ClientAddress key of the i-th IPv6 /64.
func prefix64(i int) string {
	return fmt.Sprintf("2001:db8:%x:%x::/64", i>>16, i&0xffff)
}

// tableKeys returns the keys of the first MaxKeys IPv6 /64 prefixes.
func tableKeys() []string {
	keys := make([]string, authlimit.MaxKeys)
	for i := range keys {
		keys[i] = prefix64(i)
	}
	return keys
}

func TestLimiterFullTable(t *testing.T) {
	const window = time.Minute
	attacker := authlimit.Attempt{Address: "2001:db8:ffff:ffff::/64"}
	tests := []struct {
		name  string
		limit int
		// fill returns the failures of the i-th of MaxKeys keys that fill
		// the table before the attacker comes.
		fill func(i int) int
		// wait is the time between the filling and the attacker.
		wait time.Duration
		// fullLogs is how often the "limiter full" warning is logged.
		fullLogs int
		// evicted and kept are the fill keys whose failures are dropped
		// and kept once the attacker is locked out.
		evicted, kept []int
	}{
		{
			name:     "unlocked keys",
			limit:    authlimit.DefaultMaxPerAddress,
			fill:     func(int) int { return 1 },
			fullLogs: 1,
		},
		{
			name:     "locked keys",
			limit:    2,
			fill:     func(int) int { return 2 },
			fullLogs: 1,
			evicted:  []int{0},
			kept:     []int{1},
		},
		{
			name:  "unlocked keys before locked ones",
			limit: 2,
			fill: func(i int) int {
				if i == 0 {
					return 2
				}
				return 1
			},
			fullLogs: 1,
			evicted:  []int{1},
			kept:     []int{0, 2},
		},
		{
			name:  "expired keys first",
			limit: authlimit.DefaultMaxPerAddress,
			fill:  func(int) int { return 1 },
			wait:  2 * window,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l, c, logs := newLimiter(t, authlimit.Options{MaxPerAddress: tc.limit, Window: window})
			locked := map[int]bool{}
			for i := range authlimit.MaxKeys {
				a := authlimit.Attempt{Address: prefix64(i)}
				for range tc.fill(i) {
					l.Fail(a)
				}
				_, locked[i] = authlimit.IsLocked(l.Check(a))
			}
			c.t = c.t.Add(tc.wait)

			for i := 1; i < tc.limit; i++ {
				l.Fail(attacker)
				require.NoError(t, l.Check(attacker), "after %d failures", i)
			}
			l.Fail(attacker)
			_, ok := authlimit.IsLocked(l.Check(attacker))
			assert.True(t, ok, "a full table still locks the attacker out")
			assert.Equal(t, tc.fullLogs, strings.Count(logs.String(), "authentication limiter full"), logs.String())

			// A kept key is still locked out, or still has its failure, so
			// one more failure locks it out. An evicted key starts from zero.
			for _, i := range tc.kept {
				a := authlimit.Attempt{Address: prefix64(i)}
				if !locked[i] {
					l.Fail(a)
				}
				_, ok := authlimit.IsLocked(l.Check(a))
				assert.True(t, ok, "key %d is kept", i)
			}
			for _, i := range tc.evicted {
				a := authlimit.Attempt{Address: prefix64(i)}
				if !locked[i] {
					l.Fail(a)
				}
				assert.NoError(t, l.Check(a), "key %d is evicted", i)
			}
		})
	}
}

func TestLimiterFailAllocatesNothing(t *testing.T) {
	// Failures of a tracked key cost no memory, whatever the limit.
	l, _, _ := newLimiter(t, authlimit.Options{MaxPerAddress: 1 << 30, MaxPerUser: 1 << 30, Window: time.Hour})
	a := authlimit.Attempt{Service: "soap", Address: "192.0.2.1", User: "billing"}
	l.Fail(a)
	allocs := testing.AllocsPerRun(1000, func() {
		l.Fail(a)
		_ = l.Check(a)
	})
	assert.Zero(t, allocs)
}

// BenchmarkLimiterNewKey measures a new key that fails one time fewer than
// the limit, so B/op is the memory of one tracked key. It stays the same
// for every limit.
func BenchmarkLimiterNewKey(b *testing.B) {
	keys := tableKeys()
	for _, limit := range []int{20, 200} {
		b.Run("limit="+strconv.Itoa(limit), func(b *testing.B) {
			c := &clock{t: time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)}
			l := authlimit.New(authlimit.Options{MaxPerAddress: limit, Window: time.Minute, Now: c.now})
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if i == len(keys) {
					// Expire the keys of the last round, so each one is new.
					i = 0
					c.t = c.t.Add(2 * time.Minute)
				}
				a := authlimit.Attempt{Address: keys[i]}
				for range limit - 1 {
					l.Fail(a)
				}
				i++
			}
		})
	}
}

// BenchmarkLimiterFullTable fills the table with MaxKeys keys that each
// fail one time fewer than the limit, and reports the heap that the
// filled Limiter keeps, in MiB, as heap-MiB.
func BenchmarkLimiterFullTable(b *testing.B) {
	keys := tableKeys()
	for _, limit := range []int{20, 200} {
		b.Run("limit="+strconv.Itoa(limit), func(b *testing.B) {
			var heapBytes uint64
			for b.Loop() {
				var before, after runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&before)
				l := authlimit.New(authlimit.Options{MaxPerAddress: limit, Window: time.Minute})
				for _, address := range keys {
					a := authlimit.Attempt{Address: address}
					for range limit - 1 {
						l.Fail(a)
					}
				}
				runtime.GC()
				runtime.ReadMemStats(&after)
				heapBytes = after.HeapAlloc - before.HeapAlloc
				runtime.KeepAlive(l)
			}
			b.ReportMetric(float64(heapBytes)/(1<<20), "heap-MiB")
		})
	}
}

func TestLockedErrorMessage(t *testing.T) {
	err := &authlimit.LockedError{User: true, RetryAfter: 1500 * time.Millisecond}
	assert.Equal(t, "too many failed authentication attempts from this user name: retry after 2 seconds", err.Error())
	assert.Equal(t, 1, authlimit.RetrySeconds(0))
}

func TestClientAddress(t *testing.T) {
	tests := []struct {
		remote, want string
	}{
		{"192.0.2.1:5555", "192.0.2.1"},
		{"[::ffff:192.0.2.1]:5555", "192.0.2.1"},
		{"[2001:db8:1:2:3:4:5:6]:443", "2001:db8:1:2::/64"},
		{"[2001:db8:1:2::9]:443", "2001:db8:1:2::/64"},
		{"[fe80::1%eth0]:443", "fe80::/64"},
		{"not-an-address", "not-an-address"},
	}
	for _, tc := range tests {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = tc.remote
		assert.Equal(t, tc.want, authlimit.ClientAddress(r), tc.remote)
	}
}
