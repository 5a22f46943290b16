package web

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"strings"
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

// touchInterval is the least time between two writes of a session's
// last-seen time, so that browsing a page does not write to the store on
// every request.
const touchInterval = time.Minute

// randomToken returns 32 random bytes, base64url-encoded.
func randomToken() string {
	b := make([]byte, 32)
	// crypto/rand.Read never returns an error since Go 1.24.
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// sessionHash returns the stored form of a session cookie value.
func sessionHash(id string) [sha256.Size]byte {
	return sha256.Sum256([]byte(id))
}

// formToken returns the form token of a session. It is a hash of the
// cookie value under its own label, so it differs from the stored hash and
// a page does not reveal the cookie.
func formToken(id string) string {
	sum := sha256.Sum256([]byte("dispatcher web form token\x00" + id))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// startSession stores a new session for the company of p, logged in with
// token, and returns its cookie value.
func (h *handler) startSession(ctx context.Context, p api.Principal, token string) (string, error) {
	id := randomToken()
	now := h.now()
	err := h.opts.Store.CreateSession(ctx, store.Session{
		IDHash:     sessionHash(id),
		Company:    p.ID,
		TokenHash:  sha256.Sum256([]byte(token)),
		CreatedAt:  now,
		LastSeenAt: now,
		ExpiresAt:  now.Add(h.ttl),
	})
	return id, err
}

// endSession deletes the session of a cookie value.
func (h *handler) endSession(ctx context.Context, id string) error {
	return h.opts.Store.DeleteSession(ctx, sessionHash(id))
}

// authenticateHash returns the company of a token by its SHA-256 through
// the store, for handlers built without Options.AuthenticateHash.
func (h *handler) authenticateHash(ctx context.Context, sum [sha256.Size]byte) (api.Principal, error) {
	id, err := h.opts.Store.AuthenticateHash(ctx, sum)
	if err != nil {
		return api.Principal{}, err
	}
	co, err := h.opts.Store.Company(ctx, id)
	if err != nil {
		return api.Principal{}, err
	}
	return api.Principal{ID: co.ID, Code: co.Code}, nil
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

// authenticate finds the request's session in the store and checks the
// session's API token again, so that a revoked token ends the session.
func (h *handler) authenticate(r *http.Request) (viewer, error) {
	ctx := r.Context()
	anonymous := func() (viewer, error) {
		if h.opts.Anonymous != nil {
			return viewer{principal: *h.opts.Anonymous}, nil
		}
		return viewer{}, errNoSession
	}
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return anonymous()
	}
	now := h.now()
	sess, err := h.opts.Store.Session(ctx, sessionHash(c.Value), now)
	if errors.Is(err, store.ErrNotFound) {
		return anonymous()
	}
	if err != nil {
		return viewer{}, err
	}
	p, err := h.opts.AuthenticateHash(ctx, sess.TokenHash)
	if errors.Is(err, store.ErrUnauthorized) || (err == nil && p.ID != sess.Company) {
		if err := h.endSession(ctx, c.Value); err != nil {
			h.opts.Log.Warn("web session delete failed", "company", sess.Company, "error", err)
		}
		return viewer{}, errNoSession
	}
	if err != nil {
		return viewer{}, err
	}
	if now.Sub(sess.LastSeenAt) >= touchInterval {
		// A failed write only leaves the last-seen time older, so the
		// page is served anyway.
		if err := h.opts.Store.TouchSession(ctx, sess.IDHash, now); err != nil {
			h.opts.Log.Warn("web session last-seen update failed", "company", p.Code, "error", err)
		}
	}
	return viewer{principal: p, sessionID: c.Value, csrf: formToken(c.Value)}, nil
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
