package web_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/server/authlimit"
	"github.com/bludispatcher/dispatcher/server/store"
	"github.com/bludispatcher/dispatcher/server/store/sqlite"
	"github.com/bludispatcher/dispatcher/server/web"
)

// sessionCookie returns the value of the session cookie that the client
// stores for base.
func (c *client) sessionCookie(base string) string {
	c.t.Helper()
	u, err := url.Parse(base)
	require.NoError(c.t, err)
	for _, ck := range c.http.Jar.Cookies(u) {
		if ck.Name == "dispatcher_session" {
			return ck.Value
		}
	}
	c.t.Fatal("no session cookie")
	return ""
}

// withCookie returns a client for base that sends the session cookie
// value and nothing else.
func withCookie(t *testing.T, base, value string) *client {
	t.Helper()
	c := newClient(t, base)
	u, err := url.Parse(base)
	require.NoError(t, err)
	c.http.Jar.SetCookies(u, []*http.Cookie{{Name: "dispatcher_session", Value: value, Path: "/"}})
	return c
}

// startWeb opens the SQLite store at path and serves the web pages on it
// until stop is called.
func startWeb(t *testing.T, path string) (srv *httptest.Server, stop func()) {
	t.Helper()
	st, err := sqlite.Open(context.Background(), path)
	require.NoError(t, err)
	h, err := web.New(web.Options{Store: st, Authenticate: authenticator(st), Log: slog.New(slog.DiscardHandler)})
	require.NoError(t, err)
	srv = httptest.NewServer(h)
	return srv, func() {
		srv.Close()
		require.NoError(t, st.Close())
	}
}

// serveOptions serves the web pages with opts, authenticating against
// opts.Store, until the test ends.
func serveOptions(t *testing.T, opts web.Options) *httptest.Server {
	t.Helper()
	opts.Authenticate = authenticator(opts.Store.(store.Store))
	h, err := web.New(opts)
	require.NoError(t, err)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

func TestSessionSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "web.db")
	ctx := context.Background()
	st, err := sqlite.Open(ctx, path)
	require.NoError(t, err)
	acme, err := st.CreateCompany(ctx, store.Company{Code: "acme", Name: "Acme Energia"})
	require.NoError(t, err)
	_, err = st.PutToken(ctx, acme.ID, "web", tokenAcme)
	require.NoError(t, err)
	require.NoError(t, st.Close())

	first, stop := startWeb(t, path)
	c := loggedIn(t, first.URL, tokenAcme)
	page := c.get("/loads")
	require.Equal(t, http.StatusOK, page.status)
	cookie := c.sessionCookie(first.URL)
	stop()

	for name, data := range readFiles(t, dir) {
		assert.False(t, bytes.Contains(data, []byte(cookie)), "%s contains the session cookie", name)
		assert.False(t, bytes.Contains(data, []byte(tokenAcme)), "%s contains the API token", name)
	}

	second, stop := startWeb(t, path)
	defer stop()
	again := withCookie(t, second.URL, cookie)
	resp := again.get("/loads")
	require.Equal(t, http.StatusOK, resp.status, "the session outlives the restart")
	assert.Contains(t, resp.body, "Acme Energia")

	// The form token is derived from the session, so a page of the first
	// process still logs out on the second.
	out := again.post("/logout", url.Values{"csrf": {formToken(t, page.body)}})
	assert.Equal(t, http.StatusSeeOther, out.status)
	replay := withCookie(t, second.URL, cookie)
	assert.Equal(t, http.StatusSeeOther, replay.get("/loads").status, "logout deleted the session")
}

func TestSessionUnknownCookie(t *testing.T) {
	f := newFixture(t)
	c := withCookie(t, f.srv.URL, "forged-session-id")
	resp := c.get("/loads")
	assert.Equal(t, http.StatusSeeOther, resp.status)
	assert.Equal(t, "/login?next=%2Floads", resp.header.Get("Location"))
}

func TestSessionExpiredIsDeleted(t *testing.T) {
	st, _, _ := newStore(t)
	now := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	srv := serveOptions(t, web.Options{Store: st, SessionTTL: time.Hour, Now: func() time.Time { return now }})
	cookie := loggedIn(t, srv.URL, tokenAcme).sessionCookie(srv.URL)

	now = now.Add(time.Hour)
	assert.Equal(t, http.StatusSeeOther, withCookie(t, srv.URL, cookie).get("/loads").status)
	n, err := st.DeleteExpiredSessions(context.Background(), now)
	require.NoError(t, err)
	assert.Zero(t, n, "the lookup already deleted the expired session")
}

func TestSessionLastSeen(t *testing.T) {
	st, _, _ := newStore(t)
	start := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	now := start
	srv := serveOptions(t, web.Options{Store: st, Now: func() time.Time { return now }})
	c := loggedIn(t, srv.URL, tokenAcme)
	id := sha256.Sum256([]byte(c.sessionCookie(srv.URL)))

	now = start.Add(30 * time.Second)
	require.Equal(t, http.StatusOK, c.get("/loads").status)
	sess, err := st.Session(context.Background(), id, now)
	require.NoError(t, err)
	assert.True(t, sess.LastSeenAt.Equal(start), "not written again within a minute, got %s", sess.LastSeenAt)

	now = start.Add(5 * time.Minute)
	require.Equal(t, http.StatusOK, c.get("/loads").status)
	sess, err = st.Session(context.Background(), id, now)
	require.NoError(t, err)
	assert.True(t, sess.LastSeenAt.Equal(now), "last seen %s", sess.LastSeenAt)
	assert.True(t, sess.ExpiresAt.Equal(start.Add(web.DefaultSessionTTL)), "a request does not extend the session")
}

func TestLoginLockedOut(t *testing.T) {
	st, _, _ := newStore(t)
	now := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	limiter := authlimit.New(authlimit.Options{MaxPerAddress: 2, Window: 10 * time.Minute,
		Now: func() time.Time { return now }})
	srv := serveOptions(t, web.Options{Store: st, Limiter: limiter})

	c := newClient(t, srv.URL)
	attempt := func(token string) response {
		page := c.get("/login?lang=en")
		return c.post("/login", url.Values{"token": {token}, "csrf": {formToken(t, page.body)}})
	}
	assert.Equal(t, http.StatusUnauthorized, attempt("wrong-1").status)
	assert.Equal(t, http.StatusUnauthorized, attempt("wrong-2").status)
	locked := attempt(tokenAcme)
	assert.Equal(t, http.StatusTooManyRequests, locked.status, "even the right token waits for the window")
	assert.Equal(t, "600", locked.header.Get("Retry-After"))
	assert.Contains(t, locked.body, "Too many failed logins from this address. Try again in 10 min.")

	now = now.Add(10 * time.Minute)
	assert.Equal(t, http.StatusSeeOther, attempt(tokenAcme).status)
}

// readFiles returns the contents of every file in dir.
func readFiles(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	out := map[string][]byte{}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		require.NoError(t, err)
		out[e.Name()] = data
	}
	return out
}
