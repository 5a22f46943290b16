package authlimit

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// listKeys returns the key values of l, front to back, and checks its
// back links.
func listKeys(t *testing.T, l *list) []string {
	t.Helper()
	var out []string
	var prev *entry
	for e := l.head; e != nil; e = e.next {
		require.Same(t, l, e.in, "entry %s", e.key.value)
		require.Equal(t, prev, e.prev, "entry %s", e.key.value)
		out = append(out, e.key.value)
		prev = e
	}
	require.Equal(t, prev, l.tail)
	return out
}

func TestTableDropsExpired(t *testing.T) {
	const window = time.Minute
	start := time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)
	now := start
	l := New(Options{MaxPerAddress: 3, Window: window, Now: func() time.Time { return now }})
	fail := func(address string) { l.Fail(Attempt{Address: address}) }

	fail("192.0.2.1")
	for range 3 {
		fail("192.0.2.2") // locked out until start + 1m
	}
	now = start.Add(30 * time.Second)
	fail("192.0.2.3")
	fail("192.0.2.1")
	assert.Equal(t, []string{"192.0.2.3", "192.0.2.1"}, listKeys(t, &l.table.active), "active, by last failure")
	assert.Equal(t, []string{"192.0.2.2"}, listKeys(t, &l.table.locked))

	tests := []struct {
		at             time.Duration
		active, locked []string
	}{
		{at: 59 * time.Second, active: []string{"192.0.2.3", "192.0.2.1"}, locked: []string{"192.0.2.2"}},
		{at: time.Minute, active: []string{"192.0.2.3", "192.0.2.1"}},
		// 192.0.2.1 no longer counts from 2m, but it stays behind
		// 192.0.2.3, which began its bucket at 30s and counts until 2m30s.
		{at: 2*time.Minute + 29*time.Second, active: []string{"192.0.2.3", "192.0.2.1"}},
		{at: 2*time.Minute + 30*time.Second},
	}
	for _, tc := range tests {
		now = start.Add(tc.at)
		require.NoError(t, l.Check(Attempt{Address: "198.51.100.1"}))
		assert.Equal(t, tc.active, listKeys(t, &l.table.active), "active at %v", tc.at)
		assert.Equal(t, tc.locked, listKeys(t, &l.table.locked), "locked at %v", tc.at)
		assert.Len(t, l.table.entries, len(tc.active)+len(tc.locked), "entries at %v", tc.at)
	}
}

func TestTableSucceedUnlinks(t *testing.T) {
	l := New(Options{MaxPerUser: 5})
	for _, user := range []string{"a", "b", "c"} {
		l.Fail(Attempt{User: user})
	}
	l.Succeed(Attempt{User: "B"})
	assert.Equal(t, []string{"a", "c"}, listKeys(t, &l.table.active))
	assert.Len(t, l.table.entries, 2)
}

func TestTableConcurrentFailures(t *testing.T) {
	l := New(Options{MaxPerAddress: 1 << 30, Window: time.Hour})
	addresses := []string{"192.0.2.1", "192.0.2.2", "192.0.2.3"}
	const perGoroutine = 500
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for i := range perGoroutine {
				a := Attempt{Address: addresses[i%len(addresses)]}
				l.Fail(a)
				assert.NoError(t, l.Check(a))
			}
		})
	}
	wg.Wait()

	total := 0
	for _, address := range addresses {
		e := l.table.entries[key{kind: kindAddress, value: address}]
		require.NotNil(t, e, address)
		total += e.current + e.previous
	}
	assert.Equal(t, 8*perGoroutine, total, "every failure is counted once")
	assert.Len(t, listKeys(t, &l.table.active), len(addresses))
}
