package authlimit_test

import (
	"bytes"
	"log/slog"
	"net/http/httptest"
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
		// fail is the attempt that fails again and again; other is one
		// that shares nothing with it but the key under test.
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
	l, c, _ := newLimiter(t, authlimit.Options{MaxPerAddress: 3, Window: time.Minute})
	a := authlimit.Attempt{Address: "192.0.2.9"}
	l.Fail(a)
	c.t = c.t.Add(40 * time.Second)
	l.Fail(a)
	c.t = c.t.Add(20 * time.Second)
	// The first failure is now a full window old, so it no longer counts.
	l.Fail(a)
	assert.NoError(t, l.Check(a))
	c.t = c.t.Add(time.Second)
	l.Fail(a)
	_, ok := authlimit.IsLocked(l.Check(a))
	assert.True(t, ok, "three failures within the last minute")
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
	user := authlimit.Attempt{User: "billing"}
	for range authlimit.DefaultMaxPerUser {
		require.NoError(t, l.Check(user))
		l.Fail(user)
	}
	locked, ok := authlimit.IsLocked(l.Check(user))
	require.True(t, ok)
	assert.Equal(t, authlimit.DefaultWindow, locked.RetryAfter)

	address := authlimit.Attempt{Address: "192.0.2.1"}
	for range authlimit.DefaultMaxPerAddress {
		require.NoError(t, l.Check(address))
		l.Fail(address)
	}
	_, ok = authlimit.IsLocked(l.Check(address))
	assert.True(t, ok)
}

func TestLimiterFullStopsCounting(t *testing.T) {
	l, c, logs := newLimiter(t, authlimit.Options{MaxPerAddress: 1, Window: time.Minute})
	for i := range authlimit.MaxKeys {
		l.Fail(authlimit.Attempt{Address: "key-" + strconv.Itoa(i)})
	}
	extra := authlimit.Attempt{Address: "one-more"}
	l.Fail(extra)
	assert.NoError(t, l.Check(extra), "a new key is not counted while the table is full")
	assert.Equal(t, 1, strings.Count(logs.String(), "authentication limiter full"))

	// Once the lock-outs have ended, the next new key prunes them.
	c.t = c.t.Add(2 * time.Minute)
	l.Fail(extra)
	_, ok := authlimit.IsLocked(l.Check(extra))
	assert.True(t, ok)
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
