// Package authlimit limits failed authentication attempts. It counts the
// failures of each client address and of each user name within a sliding
// window. Once a key reaches its limit, every attempt of that key is
// rejected until the window has passed, before its credentials are
// checked. A success clears the user name's failures, but not the
// address's, so one valid account does not reset an address that guesses
// for others.
//
// The server shares one Limiter between the web login, the JSON API and
// SOAP, so a client cannot multiply its guesses by switching front end.
package authlimit

import (
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"time"
)

// Defaults used when Options leaves a limit at zero.
const (
	// DefaultMaxPerAddress is the failed attempts from one client address
	// within the window that lock the address out. It is higher than the
	// per-user limit because several operators may share one address.
	DefaultMaxPerAddress = 20
	// DefaultMaxPerUser is the failed attempts for one user name within the
	// window that lock the user name out.
	DefaultMaxPerUser = 5
	// DefaultWindow is the window over which failures count, and how long
	// a lock-out lasts.
	DefaultWindow = 15 * time.Minute
)

// MaxKeys bounds the addresses and user names tracked at once. Past it, a
// new key's failures are not counted until expired entries can be pruned,
// so a flood of distinct keys costs bounded memory.
const MaxKeys = 100_000

// maxUserBytes bounds the stored form of a user name.
const maxUserBytes = 256

// pruneInterval is the least time between two scans for expired entries
// once MaxKeys is reached, so a flood of new keys does not make every
// failure scan the whole table.
const pruneInterval = time.Minute

// Options configure a Limiter.
type Options struct {
	// MaxPerAddress is the failed attempts from one client address within
	// Window that lock it out. Zero means DefaultMaxPerAddress and a
	// negative value turns the address limit off.
	MaxPerAddress int
	// MaxPerUser is the failed attempts for one user name within Window
	// that lock it out. Zero means DefaultMaxPerUser and a negative value
	// turns the user limit off.
	MaxPerUser int
	// Window is the time over which failures count, and how long a
	// lock-out lasts. Zero means DefaultWindow.
	Window time.Duration
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
	// Log receives one warning per lock-out; nil discards it.
	Log *slog.Logger
}

// Attempt is one authentication attempt.
type Attempt struct {
	// Service names the front end in the log, such as "web", "api" or
	// "soap".
	Service string
	// Address is the client address, as ClientAddress returns it.
	Address string
	// User is the user name sent with the credentials. It is empty where
	// the front end takes a token alone, and then only the address limit
	// applies.
	User string
}

// Limiter counts failed attempts. A nil *Limiter limits nothing. It is
// safe for concurrent use.
type Limiter struct {
	maxAddress, maxUser int
	window              time.Duration
	now                 func() time.Time
	log                 *slog.Logger

	mu        sync.Mutex
	entries   map[key]*entry
	lastPrune time.Time
	// fullLogged is when the last "limiter full" warning was logged.
	fullLogged time.Time
}

// keyKind is the kind of a key: a client address or a user name.
type keyKind uint8

const (
	kindAddress keyKind = iota + 1
	kindUser
)

func (k keyKind) String() string {
	if k == kindUser {
		return "user"
	}
	return "address"
}

type key struct {
	kind  keyKind
	value string
}

// entry is the state of one key: the times of its failures within the
// window, oldest first, or the end of its lock-out.
type entry struct {
	failures    []time.Time
	lockedUntil time.Time
}

// New returns a Limiter with the limits of opts.
func New(opts Options) *Limiter {
	l := &Limiter{
		maxAddress: orDefault(opts.MaxPerAddress, DefaultMaxPerAddress),
		maxUser:    orDefault(opts.MaxPerUser, DefaultMaxPerUser),
		window:     opts.Window,
		now:        opts.Now,
		log:        opts.Log,
		entries:    map[key]*entry{},
	}
	if l.window <= 0 {
		l.window = DefaultWindow
	}
	if l.now == nil {
		l.now = time.Now
	}
	if l.log == nil {
		l.log = slog.New(slog.DiscardHandler)
	}
	return l
}

func orDefault(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}

// LockedError is the error of Check for a locked-out address or user name.
type LockedError struct {
	// User reports whether the user name is locked out; otherwise the
	// address is.
	User bool
	// Until is when the lock-out ends.
	Until time.Time
	// RetryAfter is the time left until then.
	RetryAfter time.Duration
}

func (e *LockedError) Error() string {
	source := "this client address"
	if e.User {
		source = "this user name"
	}
	return fmt.Sprintf("too many failed authentication attempts from %s: retry after %d seconds",
		source, RetrySeconds(e.RetryAfter))
}

// RetrySeconds returns d in whole seconds, rounded up, at least 1: the
// value of a Retry-After header.
func RetrySeconds(d time.Duration) int {
	s := int(math.Ceil(d.Seconds()))
	return max(s, 1)
}

// IsLocked reports whether err is a *LockedError and returns it.
func IsLocked(err error) (*LockedError, bool) {
	var locked *LockedError
	ok := errors.As(err, &locked)
	return locked, ok
}

// Check returns a *LockedError when the address or the user name of a is
// locked out, and nil when the attempt may check its credentials. When
// both are locked out, the error is the lock-out that ends last, so a
// client that waits RetryAfter is not turned away by the other one.
func (l *Limiter) Check(a Attempt) error {
	if l == nil {
		return nil
	}
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	var locked *LockedError
	for _, k := range l.keys(a) {
		e, ok := l.entries[k]
		if !ok || !now.Before(e.lockedUntil) {
			continue
		}
		if locked == nil || e.lockedUntil.After(locked.Until) {
			locked = &LockedError{User: k.kind == kindUser, Until: e.lockedUntil, RetryAfter: e.lockedUntil.Sub(now)}
		}
	}
	if locked == nil {
		return nil
	}
	return locked
}

// Fail records a failed attempt against its address and its user name,
// and locks out each key that reaches its limit. The first failure that
// locks a key out logs one warning. Failures of a key already locked out
// are not counted, so they neither extend the lock-out nor log again.
func (l *Limiter) Fail(a Attempt) {
	if l == nil {
		return
	}
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, k := range l.keys(a) {
		limit := l.maxAddress
		if k.kind == kindUser {
			limit = l.maxUser
		}
		if limit < 0 {
			continue
		}
		e := l.entry(k, now)
		if e == nil || now.Before(e.lockedUntil) {
			continue
		}
		e.failures = append(dropBefore(e.failures, now.Add(-l.window)), now)
		if len(e.failures) < limit {
			continue
		}
		e.failures = nil
		e.lockedUntil = now.Add(l.window)
		l.log.Warn("authentication locked out", "service", a.Service, "key", k.kind.String(), k.kind.String(), k.value,
			"failures", limit, "window", l.window.String(), "until", e.lockedUntil.UTC().Format(time.RFC3339))
	}
}

// Succeed clears the failures of the attempt's user name. The address
// keeps its count.
func (l *Limiter) Succeed(a Attempt) {
	if l == nil {
		return
	}
	user := normalizeUser(a.User)
	if user == "" {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.entries, key{kind: kindUser, value: user})
}

// keys returns the keys an attempt counts against.
func (l *Limiter) keys(a Attempt) []key {
	out := make([]key, 0, 2)
	if a.Address != "" && l.maxAddress >= 0 {
		out = append(out, key{kind: kindAddress, value: a.Address})
	}
	if user := normalizeUser(a.User); user != "" && l.maxUser >= 0 {
		out = append(out, key{kind: kindUser, value: user})
	}
	return out
}

// entry returns the entry of k, creating it when there is room, or nil
// when MaxKeys entries are live. The caller holds l.mu.
func (l *Limiter) entry(k key, now time.Time) *entry {
	if e, ok := l.entries[k]; ok {
		return e
	}
	if len(l.entries) >= MaxKeys && now.Sub(l.lastPrune) >= pruneInterval {
		l.prune(now)
	}
	if len(l.entries) >= MaxKeys {
		if now.Sub(l.fullLogged) >= l.window {
			l.fullLogged = now
			l.log.Warn("authentication limiter full: failures of new addresses and user names are not counted",
				"max_keys", MaxKeys, "window", l.window.String())
		}
		return nil
	}
	e := &entry{}
	l.entries[k] = e
	return e
}

// prune drops the entries with no lock-out and no failure within the
// window. The caller holds l.mu.
func (l *Limiter) prune(now time.Time) {
	l.lastPrune = now
	since := now.Add(-l.window)
	for k, e := range l.entries {
		if now.Before(e.lockedUntil) {
			continue
		}
		e.failures = dropBefore(e.failures, since)
		if len(e.failures) == 0 {
			delete(l.entries, k)
		}
	}
}

// dropBefore removes the times not after since from the front of times,
// which is sorted.
func dropBefore(times []time.Time, since time.Time) []time.Time {
	i := 0
	for i < len(times) && !times[i].After(since) {
		i++
	}
	return times[i:]
}

// normalizeUser returns the key form of a user name: trimmed, lower case
// and at most maxUserBytes long, so that "Admin" and "admin " share a
// counter.
func normalizeUser(user string) string {
	user = strings.ToLower(strings.TrimSpace(user))
	if len(user) > maxUserBytes {
		user = user[:maxUserBytes]
	}
	return user
}

// ClientAddress returns the key of the request's client address: the IP
// of RemoteAddr, with an IPv6 address cut to its /64 prefix, because one
// client usually holds a whole /64.
//
// NOTE: X-Forwarded-For is ignored because a client can forge it, so
// behind a reverse proxy every client shares the proxy's address and
// limit.
func ClientAddress(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return host
	}
	ip = ip.Unmap().WithZone("")
	if ip.Is4() {
		return ip.String()
	}
	prefix, err := ip.Prefix(64)
	if err != nil {
		return ip.String()
	}
	return prefix.String()
}
