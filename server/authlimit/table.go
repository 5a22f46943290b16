package authlimit

import "time"

// table is the state of the tracked keys. Each entry is in one of two
// lists, oldest first. The active list contains the keys with failures
// counted, in the order of their last failure. The locked list contains
// the keys locked out, in the order their lock-outs began, which is also
// the order they end because every lock-out lasts one window. The order
// relies on a clock that never goes back, which time.Now's monotonic
// reading guarantees. With an injected clock that goes back, expired entries may
// stay longer and a full table may evict a key that is not the oldest.
type table struct {
	entries map[key]*entry
	active  list
	locked  list
}

// entry is the state of one key.
type entry struct {
	key key
	// start is when the current bucket began. A bucket is one window long.
	start time.Time
	// current and previous are the failures counted in the current bucket
	// and in the bucket before it.
	current, previous int
	// lockedUntil is when the key's last lock-out ends, or the zero time.
	lockedUntil time.Time

	// in is the list that contains the entry, and prev and next are its
	// neighbors there.
	in         *list
	prev, next *entry
}

// fail counts a failure of e at now, makes e the most recently failed
// active entry and returns the estimated failures within the window that
// ends at now. The caller checks that e is not locked out.
func (t *table) fail(e *entry, now time.Time, window time.Duration) float64 {
	if e.current == 0 && e.previous == 0 {
		e.start = now
	}
	// After two windows both buckets have expired. After one, the current
	// bucket becomes the previous one. The subtraction avoids overflowing
	// 2*window.
	elapsed := now.Sub(e.start)
	switch {
	case elapsed-window >= window:
		e.start, e.current, e.previous = now, 0, 0
	case elapsed >= window:
		e.start, e.current, e.previous = e.start.Add(window), 0, e.current
	}
	e.current++
	t.move(e, &t.active)

	// The previous bucket's failures count by the share of that bucket
	// that is still inside the window ending at now.
	elapsed = min(max(now.Sub(e.start), 0), window)
	share := float64(window-elapsed) / float64(window)
	return float64(e.current) + float64(e.previous)*share
}

// lock locks e out until the given time and clears its count, so the count
// starts again when the lock-out ends.
func (t *table) lock(e *entry, until time.Time) {
	e.current, e.previous = 0, 0
	e.lockedUntil = until
	t.move(e, &t.locked)
}

// insert adds an entry for k, which must not be in the table yet. When the
// table contains MaxKeys entries, insert first evicts the active entry whose
// last failure is oldest or, when no entry is active, the lock-out that
// ends first, and reports the eviction.
func (t *table) insert(k key) (e *entry, evicted bool) {
	if len(t.entries) >= MaxKeys {
		victim := t.active.head
		if victim == nil {
			victim = t.locked.head
		}
		t.remove(victim)
		evicted = true
	}
	e = &entry{key: k}
	t.entries[k] = e
	return e, evicted
}

// delete removes the entry of k, if any.
func (t *table) delete(k key) {
	if e, ok := t.entries[k]; ok {
		t.remove(e)
	}
}

// dropExpired removes ended lock-outs and active entries whose buckets
// both lie before the window that ends at now. It scans each list from
// the front and stops at the first entry that still counts, so it costs
// O(1) per removed entry.
func (t *table) dropExpired(now time.Time, window time.Duration) {
	for e := t.locked.head; e != nil && !now.Before(e.lockedUntil); e = t.locked.head {
		t.remove(e)
	}
	for e := t.active.head; e != nil && now.Sub(e.start)-window >= window; e = t.active.head {
		t.remove(e)
	}
}

func (t *table) remove(e *entry) {
	if e.in != nil {
		e.in.unlink(e)
	}
	delete(t.entries, e.key)
}

// move puts e at the back of to, taking it out of its current list.
func (t *table) move(e *entry, to *list) {
	if e.in != nil {
		e.in.unlink(e)
	}
	to.pushBack(e)
}

// list is a doubly linked list of entries. The links live in the entries,
// so moving an entry allocates nothing.
type list struct {
	head, tail *entry
}

func (l *list) pushBack(e *entry) {
	e.in, e.prev, e.next = l, l.tail, nil
	if l.tail != nil {
		l.tail.next = e
	} else {
		l.head = e
	}
	l.tail = e
}

func (l *list) unlink(e *entry) {
	if e.prev != nil {
		e.prev.next = e.next
	} else {
		l.head = e.next
	}
	if e.next != nil {
		e.next.prev = e.prev
	} else {
		l.tail = e.prev
	}
	e.in, e.prev, e.next = nil, nil, nil
}
