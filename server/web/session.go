package web

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/bludispatcher/dispatcher/server/api"
	"github.com/bludispatcher/dispatcher/server/store"
)

// Cookie names.
const (
	sessionCookie = "dispatcher_session"
	// loginCookie carries the random value that the login form repeats in
	// a hidden field (double-submit), so another site cannot post a login.
	loginCookie = "dispatcher_login"
)

// DefaultSessionTTL is how long a login lasts.
const DefaultSessionTTL = 8 * time.Hour

// maxSessions bounds the sessions kept in memory; past it, logging in
// drops the sessions closest to expiry.
const maxSessions = 10000

// session is one logged-in browser. The token is kept so that every
// request checks it again and a revoked token ends the session at once.
type session struct {
	token   string
	csrf    string
	expires time.Time
}

// sessions keeps the logged-in browsers in memory.
//
// NOTE: sessions live in the process, so a restart logs every browser out,
// and instances behind one address need sticky routing.
type sessions struct {
	mu  sync.Mutex
	m   map[string]*session
	ttl time.Duration
}

func newSessions(ttl time.Duration) *sessions {
	if ttl <= 0 {
		ttl = DefaultSessionTTL
	}
	return &sessions{m: map[string]*session{}, ttl: ttl}
}

// randomToken returns 32 random bytes, base64url-encoded.
func randomToken() string {
	b := make([]byte, 32)
	// crypto/rand.Read never returns an error since Go 1.24.
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// create stores a session for token and returns its id.
func (s *sessions) create(token string, now time.Time) (string, *session) {
	id := randomToken()
	sess := &session{token: token, csrf: randomToken(), expires: now.Add(s.ttl)}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.m) >= maxSessions {
		s.pruneLocked(now)
	}
	s.m[id] = sess
	return id, sess
}

// pruneLocked drops expired sessions and, when still full, the ones that
// expire first.
func (s *sessions) pruneLocked(now time.Time) {
	for id, sess := range s.m {
		if now.After(sess.expires) {
			delete(s.m, id)
		}
	}
	for len(s.m) >= maxSessions {
		var oldest string
		for id, sess := range s.m {
			if oldest == "" || sess.expires.Before(s.m[oldest].expires) {
				oldest = id
			}
		}
		delete(s.m, oldest)
	}
}

// get returns the unexpired session of id.
func (s *sessions) get(id string, now time.Time) (*session, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sess, ok := s.m[id]
	if !ok {
		return nil, false
	}
	if now.After(sess.expires) {
		delete(s.m, id)
		return nil, false
	}
	return sess, true
}

func (s *sessions) delete(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, id)
}

// viewer is who a page is rendered for.
type viewer struct {
	principal api.Principal
	// sessionID is empty for the anonymous viewer.
	sessionID string
	csrf      string
}

// viewerKey is the context key of the request's viewer.
type viewerKey struct{}

func viewerOf(ctx context.Context) viewer {
	v, _ := ctx.Value(viewerKey{}).(viewer)
	return v
}

// errNoSession means the request has no valid session.
var errNoSession = errors.New("web: no valid session")

// authenticate finds the request's session and checks its token again.
func (h *handler) authenticate(r *http.Request) (viewer, error) {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		if h.opts.Anonymous != nil {
			return viewer{principal: *h.opts.Anonymous}, nil
		}
		return viewer{}, errNoSession
	}
	sess, ok := h.sessions.get(c.Value, h.now())
	if !ok {
		if h.opts.Anonymous != nil {
			return viewer{principal: *h.opts.Anonymous}, nil
		}
		return viewer{}, errNoSession
	}
	p, err := h.opts.Authenticate(r.Context(), sess.token)
	if errors.Is(err, store.ErrUnauthorized) {
		h.sessions.delete(c.Value)
		return viewer{}, errNoSession
	}
	if err != nil {
		return viewer{}, err
	}
	return viewer{principal: p, sessionID: c.Value, csrf: sess.csrf}, nil
}

// requireLogin runs fn for a logged-in viewer and sends anyone else to the
// login form, which returns to the requested page afterwards.
func (h *handler) requireLogin(fn func(http.ResponseWriter, *http.Request, viewer)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v, err := h.authenticate(r)
		if errors.Is(err, errNoSession) {
			clearCookie(w, r, sessionCookie)
			http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		if err != nil {
			h.serverError(w, r, "authenticate", err)
			return
		}
		fn(w, r.WithContext(context.WithValue(r.Context(), viewerKey{}, v)), v)
	}
}

// setCookie sets an HttpOnly, SameSite=Strict cookie for the whole site,
// Secure when the browser reached the site over TLS. maxAge 0 makes a
// browser-session cookie.
func setCookie(w http.ResponseWriter, r *http.Request, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{
		Name:     name,
		Value:    value,
		Path:     "/",
		MaxAge:   maxAge,
		HttpOnly: true,
		Secure:   overTLS(r),
		SameSite: http.SameSiteStrictMode,
	})
}

// overTLS reports whether the browser used HTTPS: the request came over
// TLS, or through a proxy that terminated TLS and set X-Forwarded-Proto to
// https. A forged header only makes the cookie stricter.
func overTLS(r *http.Request) bool {
	return r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}

func clearCookie(w http.ResponseWriter, r *http.Request, name string) {
	if _, err := r.Cookie(name); err == nil {
		setCookie(w, r, name, "", -1)
	}
}

// sameValue compares two secrets in constant time; empty never matches.
func sameValue(a, b string) bool {
	return a != "" && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// sameOrigin rejects a POST whose Origin header names another site.
// Browsers send Origin on every POST; a request without it (a command-line
// client) relies on the form token alone.
func sameOrigin(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	return err == nil && u.Host == r.Host
}

// safeNext returns next when it is a path on this site, else "/loads".
// A backslash anywhere in the path is rejected, because http.Redirect
// cleans dot segments (/a/../\x becomes /\x) and browsers read a leading
// /\ as //, the start of another host.
func safeNext(next string) string {
	u, err := url.Parse(next)
	if next == "" || err != nil || u.IsAbs() || u.Host != "" || len(next) < 1 || next[0] != '/' ||
		(len(next) > 1 && next[1] == '/') || strings.Contains(u.Path, "\\") {
		return "/loads"
	}
	return next
}
