package server

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	gowsdl "github.com/hooklift/gowsdl/soap"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/server/api"
	"github.com/bludispatcher/dispatcher/server/authlimit"
	"github.com/bludispatcher/dispatcher/server/soap/client"
	"github.com/bludispatcher/dispatcher/server/store"
	"github.com/bludispatcher/dispatcher/server/store/sqlite"
	"github.com/bludispatcher/dispatcher/server/web"
)

// authOutcome is the result of one authentication attempt on a front end.
type authOutcome struct {
	// ok reports an accepted attempt.
	ok bool
	// locked reports a rejection by the failed-authentication limit.
	locked     bool
	status     int
	retryAfter string
	message    string
}

// tryAuth makes one attempt with a user name and token on the front ends
// served at base. The JSON API and the web login take no user name.
type tryAuth func(t *testing.T, base, user, token string) authOutcome

// lockedMessage starts the message of every lock-out.
const lockedMessage = "too many failed authentication attempts"

func tryAPI(t *testing.T, base, _, token string) authOutcome {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, base+"/api/v1/loads", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	return httpOutcome(t, resp, http.StatusOK)
}

// httpOutcome reads and closes resp, whose status is okStatus when the
// attempt was accepted and 429 when it was locked out.
func httpOutcome(t *testing.T, resp *http.Response, okStatus int) authOutcome {
	t.Helper()
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return authOutcome{
		ok:         resp.StatusCode == okStatus,
		locked:     resp.StatusCode == http.StatusTooManyRequests,
		status:     resp.StatusCode,
		retryAfter: resp.Header.Get("Retry-After"),
		message:    string(body),
	}
}

// lastResponse is an http.RoundTripper that keeps the status and header
// of the last response, which the generated SOAP client does not return.
type lastResponse struct {
	status int
	header http.Header
}

func (l *lastResponse) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err == nil {
		l.status, l.header = resp.StatusCode, resp.Header
	}
	return resp, err
}

// trySOAP calls ListLoads with the generated client and a WS-Security
// UsernameToken.
func trySOAP(t *testing.T, base, user, token string) authOutcome {
	t.Helper()
	last := &lastResponse{}
	c := gowsdl.NewClient(base+SOAPPath, gowsdl.WithHTTPClient(&http.Client{Transport: last}))
	c.AddHeader(gowsdl.NewWSSSecurityHeader(user, token, "", ""))
	_, err := client.NewDispatcherPort(c).ListLoads(&client.ListLoadsRequest{})
	out := authOutcome{ok: err == nil, status: last.status, retryAfter: last.header.Get("Retry-After")}
	if err == nil {
		return out
	}
	// The client returns every fault, sent with HTTP 500, as an HTTPError.
	var httpErr *gowsdl.HTTPError
	require.True(t, errors.As(err, &httpErr), "want a fault, got %v", err)
	var env struct {
		Fault struct {
			String string `xml:"faultstring"`
		} `xml:"Body>Fault"`
	}
	require.NoError(t, xml.Unmarshal(httpErr.ResponseBody, &env), "%s", httpErr.ResponseBody)
	out.message = env.Fault.String
	out.locked = strings.HasPrefix(out.message, lockedMessage)
	return out
}

var loginCSRF = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// tryWeb posts the login form, in English, with a fresh browser.
func tryWeb(t *testing.T, base, _, token string) authOutcome {
	t.Helper()
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	browser := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := browser.Get(base + "/login?lang=en")
	require.NoError(t, err)
	page, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	m := loginCSRF.FindSubmatch(page)
	require.NotNil(t, m, "no csrf field in the login form")

	resp, err = browser.PostForm(base+"/login", url.Values{"token": {token}, "csrf": {string(m[1])}})
	require.NoError(t, err)
	return httpOutcome(t, resp, http.StatusSeeOther)
}

// serveFrontEnds serves the JSON API, SOAP and the web pages on st, as
// New mounts them, with one shared limiter.
func serveFrontEnds(t *testing.T, st store.Store, limiter *authlimit.Limiter) string {
	t.Helper()
	authenticate := func(ctx context.Context, token string) (api.Principal, error) {
		id, err := st.Authenticate(ctx, token)
		if err != nil {
			return api.Principal{}, err
		}
		co, err := st.Company(ctx, id)
		return api.Principal{ID: co.ID, Code: co.Code}, err
	}
	log := slog.New(slog.DiscardHandler)
	pages, err := web.New(web.Options{Store: st, Authenticate: authenticate, Limiter: limiter, Log: log})
	require.NoError(t, err)
	mux := http.NewServeMux()
	mux.Handle("/api/", api.New(api.Options{Store: st, Authenticate: authenticate, Limiter: limiter, Log: log}))
	mux.Handle(SOAPPath, soapHandler(st, nil, authenticate, nil, limiter, log))
	mux.Handle("/", pages)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestAuthLimitFrontEnds(t *testing.T) {
	const window = 10 * time.Minute
	tests := []struct {
		name string
		try  tryAuth
		// failures is how many failed attempts lock the caller out: the
		// user name limit for SOAP, which sends a user name, and the
		// address limit for the others.
		failures int
		// key is the key the lock-out log names.
		key string
		// otherUserLocked reports whether another user name from the same
		// address is locked out too.
		otherUserLocked bool
	}{
		{name: "api", try: tryAPI, failures: 3, key: "address", otherUserLocked: true},
		{name: "soap", try: trySOAP, failures: 2, key: "user", otherUserLocked: false},
		{name: "web", try: tryWeb, failures: 3, key: "address", otherUserLocked: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "auth.db"))
			require.NoError(t, err)
			t.Cleanup(func() { st.Close() })
			co, err := st.CreateCompany(ctx, store.Company{Code: "acme", Name: "Acme Energia"})
			require.NoError(t, err)
			token, _, err := st.CreateToken(ctx, co.ID, "billing")
			require.NoError(t, err)

			now := time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC)
			var logs bytes.Buffer
			limiter := authlimit.New(authlimit.Options{MaxPerAddress: 3, MaxPerUser: 2, Window: window,
				Now: func() time.Time { return now }, Log: slog.New(slog.NewTextHandler(&logs, nil))})
			base := serveFrontEnds(t, st, limiter)

			require.True(t, tc.try(t, base, "billing", token).ok, "the right token before any failure")
			for i := range tc.failures {
				got := tc.try(t, base, "billing", "wrong-token")
				require.False(t, got.ok, "failure %d", i+1)
				require.False(t, got.locked, "failure %d is counted, not yet rejected: %s", i+1, got.message)
			}

			got := tc.try(t, base, "billing", token)
			assert.True(t, got.locked, "the right token is rejected during the lock-out: status %d, %s", got.status, got.message)
			assert.Equal(t, "600", got.retryAfter)
			if tc.name == "web" {
				assert.Contains(t, got.message, "Too many failed logins from this address. Try again in 10 min.")
			} else {
				assert.Contains(t, got.message, lockedMessage)
			}
			other := tc.try(t, base, "another-user", token)
			assert.Equal(t, tc.otherUserLocked, other.locked, "another user name: %s", other.message)

			assert.Equal(t, 1, strings.Count(logs.String(), "authentication locked out"), logs.String())
			assert.Contains(t, logs.String(), "service="+tc.name)
			assert.Contains(t, logs.String(), "key="+tc.key)
			assert.NotContains(t, logs.String(), token, "the log never shows a token")
			assert.NotContains(t, logs.String(), "wrong-token", "the log never shows a token")

			now = now.Add(window)
			assert.True(t, tc.try(t, base, "billing", token).ok, "the lock-out ends with the window")
		})
	}
}

func TestAuthLimitSharedAcrossFrontEnds(t *testing.T) {
	dir := t.TempDir()
	cfg := testConfig(dir)
	cfg.Auth.MaxFailuresPerAddress = 2
	st := openSQLite(t, cfg)
	r := startServer(t, cfg, st, testLogger(t))

	assert.False(t, tryAPI(t, r.base, "", "wrong-token").ok)
	assert.False(t, trySOAP(t, r.base, "billing", "wrong-token").ok)

	for name, try := range map[string]tryAuth{"api": tryAPI, "soap": trySOAP, "web": tryWeb} {
		got := try(t, r.base, "", tokenAcme)
		assert.True(t, got.locked, "%s: status %d, %s", name, got.status, got.message)
	}
}

func TestAuthLimitSOAPUserOffByDefault(t *testing.T) {
	dir := t.TempDir()
	cfg := testConfig(dir)
	st := openSQLite(t, cfg)
	r := startServer(t, cfg, st, testLogger(t))

	// Failures under one spelling of a user name do not lock out a valid
	// token sent under another, and the address limit is far off.
	for i := range 5 {
		got := trySOAP(t, r.base, "Billing", "wrong-token")
		require.False(t, got.ok, "failure %d", i+1)
		require.False(t, got.locked, "failure %d: %s", i+1, got.message)
	}
	got := trySOAP(t, r.base, "billing", tokenAcme)
	assert.True(t, got.ok, "status %d, %s", got.status, got.message)
}

func TestAuthLimitConfigDefaults(t *testing.T) {
	cfg := testConfig(t.TempDir())
	assert.Equal(t, authlimit.DefaultMaxPerAddress, cfg.Auth.MaxFailuresPerAddress)
	assert.Equal(t, authlimit.DefaultMaxPerUser, cfg.Auth.MaxFailuresPerUser)
	assert.Negative(t, cfg.Auth.MaxFailuresPerUser, "the per-user limit is off by default")
	assert.Equal(t, authlimit.DefaultWindow, time.Duration(cfg.Auth.FailureWindow))
}
