package soap_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	gowsdl "github.com/hooklift/gowsdl/soap"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/flows"
	"github.com/bludispatcher/dispatcher/server/soap"
	"github.com/bludispatcher/dispatcher/server/soap/client"
	"github.com/bludispatcher/dispatcher/server/store"
	"github.com/bludispatcher/dispatcher/server/store/sqlite"
	"github.com/bludispatcher/dispatcher/server/store/storetest"
)

// env is a running SOAP server over a fresh SQLite store with two
// companies, a and b, each with an API token. Each option, when given,
// changes the handler's Options before the server starts.
type env struct {
	store          store.Store
	srv            *httptest.Server
	url            string
	a, b           store.CompanyID
	tokenA, tokenB string
	messages       *recorder
}

func newEnv(t *testing.T, options ...func(*soap.Options)) *env {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "soap.db"))
	require.NoError(t, err)
	t.Cleanup(func() { st.Close() })
	e := &env{store: st, messages: &recorder{}}
	e.a, e.tokenA = company(t, st, "acme")
	e.b, e.tokenB = company(t, st, "beta")

	opts := soap.Options{Store: st, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Authenticate: func(ctx context.Context, token string) (soap.Principal, error) {
			id, err := st.Authenticate(ctx, token)
			if err != nil {
				return soap.Principal{}, err
			}
			co, err := st.Company(ctx, id)
			return soap.Principal{ID: co.ID, Code: co.Code}, err
		}}
	for _, option := range options {
		option(&opts)
	}
	h := soap.New(opts)
	mux := http.NewServeMux()
	mux.Handle("/soap/v1", h)
	e.srv = httptest.NewServer(mux)
	t.Cleanup(e.srv.Close)
	e.url = e.srv.URL + "/soap/v1"
	return e
}

func company(t *testing.T, st store.Store, code string) (store.CompanyID, string) {
	t.Helper()
	ctx := context.Background()
	co, err := st.CreateCompany(ctx, store.Company{Code: code, Name: "Company " + code})
	require.NoError(t, err)
	token, _, err := st.CreateToken(ctx, co.ID, "billing")
	require.NoError(t, err)
	return co.ID, token
}

// portA returns a generated client for company a with a WS-Security
// UsernameToken; portB one for company b with HTTP Basic.
func (e *env) portA() client.DispatcherPort {
	c := gowsdl.NewClient(e.url, gowsdl.WithHTTPClient(&http.Client{Transport: e.messages}))
	c.AddHeader(gowsdl.NewWSSSecurityHeader("billing-a", e.tokenA, "", ""))
	return client.NewDispatcherPort(c)
}

func (e *env) portB() client.DispatcherPort {
	c := gowsdl.NewClient(e.url, gowsdl.WithHTTPClient(&http.Client{Transport: e.messages}),
		gowsdl.WithBasicAuth("billing-b", e.tokenB))
	return client.NewDispatcherPort(c)
}

// load stores records as one file of company co and returns the load.
func (e *env) load(t *testing.T, co store.CompanyID, name, flow string, seed int, recs ...*flows.Record) store.Load {
	t.Helper()
	ctx := context.Background()
	data, _ := storetest.Original(seed, 200)
	tx, err := e.store.BeginLoad(ctx, store.LoadInfo{Company: co, Name: name, Path: "inbox/" + name,
		Size: int64(len(data)), SHA256: storetest.SHA256(data), FlowCode: flow, Original: bytes.NewReader(data)})
	require.NoError(t, err)
	for _, r := range recs {
		_, err := tx.AddRecord(ctx, storetest.Header(flow), r, nil)
		require.NoError(t, err)
	}
	l, err := tx.Commit(ctx)
	require.NoError(t, err)
	return l
}

// recorder is an http.RoundTripper that keeps every request and response
// body it carries, for schema validation.
type recorder struct {
	mu     sync.Mutex
	bodies [][]byte
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		if err != nil {
			return nil, err
		}
		r.keep(b)
		req.Body = io.NopCloser(bytes.NewReader(b))
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	r.keep(b)
	resp.Body = io.NopCloser(bytes.NewReader(b))
	return resp, nil
}

func (r *recorder) keep(b []byte) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.bodies = append(r.bodies, b)
}

// validate checks every recorded message against the envelope schema and
// the service schema taken from the WSDL, with xmllint. Without xmllint
// it skips, and fails when CI=true.
func (r *recorder) validate(t *testing.T) {
	t.Helper()
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("xmllint is required to validate SOAP messages (Debian package libxml2-utils): %v", err)
		}
		t.Skipf("xmllint not installed (Debian package libxml2-utils); messages not validated")
	}
	dir := t.TempDir()
	envelope, err := os.ReadFile(filepath.Join("testdata", "soap-envelope-1.1.xsd"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "soap-envelope-1.1.xsd"), envelope, 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "dispatcher-v1.xsd"), soap.Schema(), 0o644))

	r.mu.Lock()
	bodies := r.bodies
	r.mu.Unlock()
	require.NotEmpty(t, bodies)
	for i, b := range bodies {
		path := filepath.Join(dir, "message.xml")
		require.NoError(t, os.WriteFile(path, b, 0o644))
		out, err := exec.Command(xmllint, "--noout", "--nonet", "--schema",
			filepath.Join(dir, "soap-envelope-1.1.xsd"), path).CombinedOutput()
		if err != nil {
			t.Errorf("message %d is not valid against the WSDL schema: %v\n%s\n%s", i, err, out, truncate(b))
		}
	}
}

func truncate(b []byte) []byte {
	if len(b) > 4000 {
		return append(b[:4000:4000], "…"...)
	}
	return b
}
