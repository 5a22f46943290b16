// Package authlimit limits failed authentication attempts. It counts the
// failures of each client address, and optionally of each user name,
// within a sliding window. Once a key reaches its limit, every attempt of
// that key is rejected until the window has passed, before its
// credentials are checked. A success clears the user name's failures, but
// not the address's, so one valid account does not reset an address that
// guesses for others.
//
// The per-user limit is off by default. Only SOAP sends a user name, and
// no token is tied to it. So the limit does not stop a guesser, who
// changes the name or sends a Bearer token. But it lets anyone lock a
// billing system's name out with a few bad requests under that name.
//
// Each key costs a fixed amount of memory, whatever the limit, because it
// stores two failure counts: one for the current bucket and one for the
// bucket before it, each bucket one window long. The count within the
// window that ends now is estimated by weighting the previous bucket by
// the part of it still inside that window, as if its failures were spread
// evenly. The estimate lets a client that bunches its failures at a
// bucket's end fit up to about twice the limit into one window-long span,
// but never more than the limit per bucket.
//
// The table contains at most MaxKeys keys, so a flood of distinct keys costs
// bounded memory, and a full table still counts every key. Each Check and
// Fail first drops the oldest keys whose failures and lock-outs no longer
// count. A new key in a full table then evicts the key whose last failure
// is oldest, or, only when every key is locked out, the lock-out that ends
// first. A client that keeps failing keeps its key among the most recent,
// so a flood must bring failures under almost MaxKeys other keys between
// two of its failures to evict it. An IPv6 client counts by its /64, so a
// client that holds many /64 prefixes gets the limit in each of them.
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
	// DefaultMaxPerAddress is the number of failed attempts from one
	// client address within the window that locks the address out. It is higher than a
	// per-user limit would be because several operators may share one
	// address.
	DefaultMaxPerAddress = 20
	// DefaultMaxPerUser turns the per-user limit off, because no token is
	// tied to the user name, so the limit stops no guesser.
	DefaultMaxPerUser = -1
	// DefaultWindow is the window over which failures count, and how long
	// a lock-out lasts.
	DefaultWindow = 15 * time.Minute
)

// MaxKeys bounds the addresses and user names tracked at once. A new key
// beyond it evicts an old one, as the package documentation describes.
const MaxKeys = 100_000

// maxUserBytes bounds the stored form of a user name.
const maxUserBytes = 256

// Options configure a Limiter.
type Options struct {
	// MaxPerAddress is the number of failed attempts from one client
	// address within Window that locks it out. Zero means DefaultMaxPerAddress and a
	// negative value turns the address limit off.
	MaxPerAddress int
	// MaxPerUser is the number of failed attempts for one user name
	// within Window that locks it out. Zero means DefaultMaxPerUser, which is off, and a
	// negative value turns the user limit off.
	MaxPerUser int
	// Window is the time over which failures count, and how long a
	// lock-out lasts. Zero means DefaultWindow.
	Window time.Duration
	// Now returns the current time. If nil, time.Now is used.
	Now func() time.Time
	// Log receives one warning per lock-out. If nil, warnings are
	// discarded.
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

	mu    sync.Mutex
	table table
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

// New returns a Limiter with the limits of opts.
func New(opts Options) *Limiter {
	l := &Limiter{
		maxAddress: orDefault(opts.MaxPerAddress, DefaultMaxPerAddress),
		maxUser:    orDefault(opts.MaxPerUser, DefaultMaxPerUser),
		window:     opts.Window,
		now:        opts.Now,
		log:        opts.Log,
		table:      table{entries: map[key]*entry{}},
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
	// User is true when the user name is locked out and false when the
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
	l.table.dropExpired(now, l.window)
	var locked *LockedError
	var buf [2]key
	for _, k := range l.keys(a, buf[:0]) {
		e, ok := l.table.entries[k]
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
	l.table.dropExpired(now, l.window)
	var buf [2]key
	for _, k := range l.keys(a, buf[:0]) {
		limit := l.maxAddress
		if k.kind == kindUser {
			limit = l.maxUser
		}
		e := l.entry(k, now)
		if now.Before(e.lockedUntil) {
			continue
		}
		if l.table.fail(e, now, l.window) < float64(limit) {
			continue
		}
		l.table.lock(e, now.Add(l.window))
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
	l.table.delete(key{kind: kindUser, value: user})
}

// keys appends to out the keys an attempt counts against, so a caller can
// pass an array on its stack.
func (l *Limiter) keys(a Attempt, out []key) []key {
	if a.Address != "" && l.maxAddress >= 0 {
		out = append(out, key{kind: kindAddress, value: a.Address})
	}
	if user := normalizeUser(a.User); user != "" && l.maxUser >= 0 {
		out = append(out, key{kind: kindUser, value: user})
	}
	return out
}

// entry returns the entry of k, creating it and evicting another when the
// table is full. The first eviction in a window logs a warning. The
// caller holds l.mu.
func (l *Limiter) entry(k key, now time.Time) *entry {
	if e, ok := l.table.entries[k]; ok {
		return e
	}
	e, evicted := l.table.insert(k)
	if evicted && now.Sub(l.fullLogged) >= l.window {
		l.fullLogged = now
		l.log.Warn("authentication limiter full: evicting the least recently failed addresses and user names",
			"max_keys", MaxKeys, "window", l.window.String())
	}
	return e
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
