package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/flows"
	"github.com/bludispatcher/dispatcher/flows/flowgen"
	"github.com/bludispatcher/dispatcher/internal/anomaly"
	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/server/api"
	"github.com/bludispatcher/dispatcher/server/ingest"
	"github.com/bludispatcher/dispatcher/server/store"
	"github.com/bludispatcher/dispatcher/server/store/sqlite"
	"github.com/bludispatcher/dispatcher/server/store/storetest"
	"github.com/bludispatcher/dispatcher/server/web"
)

// Tokens of the two test companies.
const (
	tokenAcme  = "acme-web-token"
	tokenOther = "other-web-token"
)

// hostileName is a file name and field value that must never reach a page
// unescaped.
const hostileName = "<script>alert(1)</script>.xml"

// hostilePOD is a POD code with markup, stored as read.
const hostilePOD = `"><SVG ONLOAD=ALERT(5)>`

// Generated data of the fixture: the first POD of every flowgen file.
const (
	genPOD     = "IT210E10000000"
	otherPOD   = "IT001E00000099"
	springDay  = "2025-03-30"
	autumnDay  = "2025-10-26"
	normalDay  = "2025-10-15"
	genMonthOc = "2025-10"
)

// fixture is a store with two companies and a web handler on it.
type fixture struct {
	st           store.Store
	acme, other  store.Company
	srv          *httptest.Server
	hostileLoad  store.LoadID
	otherLoad    store.LoadID
	generatedDir string
}

// newStore opens a SQLite store in a temp folder with the companies "acme"
// and "other" and their tokens.
func newStore(t testing.TB) (store.Store, store.Company, store.Company) {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "web.db"))
	require.NoError(t, err)
	t.Cleanup(func() { st.Close() })
	acme, err := st.CreateCompany(ctx, store.Company{Code: "acme", Name: "Acme Energia"})
	require.NoError(t, err)
	other, err := st.CreateCompany(ctx, store.Company{Code: "other", Name: "Other Luce"})
	require.NoError(t, err)
	_, err = st.PutToken(ctx, acme.ID, "web", tokenAcme)
	require.NoError(t, err)
	_, err = st.PutToken(ctx, other.ID, "web", tokenOther)
	require.NoError(t, err)
	return st, acme, other
}

// testLogger writes the server log to the test log.
func testLogger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// authenticator checks tokens against the store, as the server does for
// tokens kept there.
func authenticator(st store.Store) api.Authenticator {
	return func(ctx context.Context, token string) (api.Principal, error) {
		id, err := st.Authenticate(ctx, token)
		if err != nil {
			return api.Principal{}, err
		}
		co, err := st.Company(ctx, id)
		if err != nil {
			return api.Principal{}, err
		}
		return api.Principal{ID: co.ID, Code: co.Code}, nil
	}
}

// serve starts the web handler on st on a loopback port.
func serve(t testing.TB, st store.Store) *httptest.Server {
	t.Helper()
	h, err := web.New(web.Options{Store: st, Authenticate: authenticator(st), Log: slog.New(slog.DiscardHandler)})
	require.NoError(t, err)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// generate writes flowgen files into dir and returns their paths.
func generate(t testing.TB, dir string, opts ...flowgen.Options) []string {
	t.Helper()
	var paths []string
	for _, o := range opts {
		g, err := flowgen.New(o)
		require.NoError(t, err)
		path := filepath.Join(dir, g.FileName().String())
		f, err := os.Create(path)
		require.NoError(t, err)
		require.NoError(t, g.Write(f))
		require.NoError(t, f.Close())
		paths = append(paths, path)
	}
	return paths
}

// loadFiles loads files for a company through the ingest path the server
// uses.
func loadFiles(t testing.TB, st store.Store, co store.Company, paths []string) {
	t.Helper()
	loaders, err := ingest.NewRegistry(&ingest.FlowsLoader{Options: flows.ValidateOptions{Disabled: []string{"R14"}}})
	require.NoError(t, err)
	in := ingest.New(st, loaders, slog.New(slog.DiscardHandler), ingest.Options{})
	rep, err := in.LoadFiles(context.Background(), ingest.Target{Company: ingest.Company{ID: co.ID, Code: co.Code}}, "flows", paths, nil)
	require.NoError(t, err)
	require.Zero(t, rep.Failed, "%+v", rep.Files)
}

// loadHostile stores a file with a hostile name, a record whose POD-less
// fields carry markup, and anomalies with markup in every text field.
func loadHostile(t testing.TB, st store.Store, co store.Company, pod string) store.LoadID {
	t.Helper()
	ctx := context.Background()
	data, sum := storetest.Original(7, 512)
	tx, err := st.BeginLoad(ctx, store.LoadInfo{
		Company: co.ID, Name: hostileName, Path: "/in/" + hostileName, Size: int64(len(data)),
		SHA256: sum, FlowCode: "PNO", Original: strings.NewReader(string(data)),
	})
	require.NoError(t, err)
	rec := storetest.HourlyRecord(pod, civil.Month{Year: 2025, Month: 1}, 3)
	rec.Pdp.DispatchPoint = flows.V(`"><img src=x onerror=alert(2)>`)
	_, err = tx.AddRecord(ctx, storetest.Header("PDO"), rec, nil)
	require.NoError(t, err)
	_, err = tx.AddRecord(ctx, storetest.Header("PDO"), storetest.HourlyRecord(hostilePOD, civil.Month{Year: 2025, Month: 2}, 4), nil)
	require.NoError(t, err)
	require.NoError(t, tx.AddAnomalies(ctx, anomaly.List{{
		Code: "<b>904</b>", Rule: "R1", Severity: anomaly.Warning, Level: anomaly.FileLevel,
		File: hostileName, Key: "<i>key</i>", Field: "<u>field</u>", Value: "<script>alert(3)</script>",
		Message: "bad <script>alert(4)</script> value",
	}}))
	l, err := tx.Commit(ctx)
	require.NoError(t, err)
	return l.ID
}

// newFixture loads generated flows and a hostile file for acme and one
// file for other, and serves the web pages.
func newFixture(t testing.TB) *fixture {
	t.Helper()
	st, acme, other := newStore(t)
	dir := t.TempDir()
	paths := generate(t, dir,
		flowgen.Options{FlowCode: "PDO", Seed: 1, PODs: 2},
		flowgen.Options{FlowCode: "PDO", Seed: 1, PODs: 2, Month: civil.Month{Year: 2025, Month: 3}},
		flowgen.Options{FlowCode: "RFO", Seed: 1, PODs: 2},
		flowgen.Options{FlowCode: "SOS", Seed: 1, PODs: 1},
		flowgen.Options{FlowCode: "SOF", Seed: 1, PODs: 1},
		flowgen.Options{FlowCode: "PNO", Seed: 1, PODs: 2},
	)
	loadFiles(t, st, acme, paths)
	f := &fixture{st: st, acme: acme, other: other, generatedDir: dir}
	f.hostileLoad = loadHostile(t, st, acme, "IT001E00000042")
	f.otherLoad = loadHostile(t, st, other, otherPOD)
	f.srv = serve(t, st)
	return f
}

// client is a browser-like client with a cookie jar that does not follow
// redirects, so tests see them.
type client struct {
	t    testing.TB
	base string
	http *http.Client
}

func newClient(t testing.TB, base string) *client {
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	return &client{t: t, base: base, http: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// response is a received response with its body read.
type response struct {
	status int
	header http.Header
	body   string
}

func (c *client) do(req *http.Request) response {
	c.t.Helper()
	resp, err := c.http.Do(req)
	require.NoError(c.t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(c.t, err)
	return response{status: resp.StatusCode, header: resp.Header, body: string(b)}
}

func (c *client) get(path string) response {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodGet, c.base+path, nil)
	require.NoError(c.t, err)
	return c.do(req)
}

func (c *client) post(path string, form url.Values) response {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodPost, c.base+path, strings.NewReader(form.Encode()))
	require.NoError(c.t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// formToken returns the csrf field of a page.
func formToken(t testing.TB, body string) string {
	t.Helper()
	m := csrfField.FindStringSubmatch(body)
	require.NotNil(t, m, "no csrf field in the page")
	return m[1]
}

// login logs the client in with token and checks the redirect.
func (c *client) login(token string) {
	c.t.Helper()
	page := c.get("/login")
	require.Equal(c.t, http.StatusOK, page.status)
	resp := c.post("/login", url.Values{"token": {token}, "csrf": {formToken(c.t, page.body)}, "next": {"/loads"}})
	require.Equal(c.t, http.StatusSeeOther, resp.status, resp.body)
}

// loggedIn returns a client logged in with token.
func loggedIn(t testing.TB, base, token string) *client {
	c := newClient(t, base)
	c.login(token)
	return c
}
