package server

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/internal/testref"
	"github.com/bludispatcher/dispatcher/server/config"
	"github.com/bludispatcher/dispatcher/server/store"
	"github.com/bludispatcher/dispatcher/server/store/sqlite"
)

// Tokens of the two companies of the test configuration.
const (
	tokenAcme  = "acme-secret-token"
	tokenOther = "other-secret-token"
)

// testConfig returns a configuration of two companies, "acme" and
// "other", with their inboxes and archives under dir. Scans happen on
// demand only, and the official samples (from 2013 on) pass the month
// window of rule 14.
func testConfig(dir string) config.Config {
	cfg := config.Default()
	cfg.Listen = "127.0.0.1:0"
	cfg.Store = "sqlite:" + filepath.Join(dir, "dispatcher.db")
	cfg.PollInterval = config.Duration(time.Hour)
	cfg.Settle = config.Duration(50 * time.Millisecond)
	cfg.ClaimTTL = config.Duration(5 * time.Second)
	cfg.Flows.DisabledRules = []string{"R14"}
	cfg.Flows.AcceptPDO2GNotRegime = true
	cfg.Companies = []config.Company{
		{
			ID: "acme", Name: "Acme Energia",
			Inboxes: map[string][]string{config.KindFlows: {filepath.Join(dir, "acme", "inbox")}},
			Archive: filepath.Join(dir, "acme", "archive"),
			Tokens:  []string{tokenAcme},
		},
		{
			ID: "other", Name: "Other Luce",
			Inboxes: map[string][]string{config.KindFlows: {filepath.Join(dir, "other", "inbox")}},
			Archive: filepath.Join(dir, "other", "archive"),
			Tokens:  []string{tokenOther},
		},
	}
	return cfg
}

// testLogger writes the server log to the test log.
func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// running is a server started by startServer.
type running struct {
	srv   *Server
	store store.Store
	base  string
}

// openSQLite opens the SQLite store of cfg.
func openSQLite(t *testing.T, cfg config.Config) store.Store {
	t.Helper()
	_, path, err := config.ParseStore(cfg.Store)
	require.NoError(t, err)
	st, err := sqlite.Open(context.Background(), path)
	require.NoError(t, err)
	t.Cleanup(func() { st.Close() })
	return st
}

// startServer runs a server on st with cfg on a free loopback port until
// the test ends.
func startServer(t *testing.T, cfg config.Config, st store.Store, log *slog.Logger) *running {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	srv, err := New(ctx, cfg, st, log)
	require.NoError(t, err)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	done := make(chan error, 1)
	go func() { done <- srv.Run(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			require.NoError(t, err)
		case <-time.After(30 * time.Second):
			t.Error("server did not stop within 30s")
		}
	})
	return &running{srv: srv, store: st, base: "http://" + ln.Addr().String()}
}

// call sends a request and returns the status and body.
func (r *running) call(t *testing.T, method, path, token string) (int, []byte, http.Header) {
	t.Helper()
	req, err := http.NewRequest(method, r.base+path, nil)
	require.NoError(t, err)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, body, resp.Header
}

// getJSON sends a GET and decodes a 200 response into v.
func (r *running) getJSON(t *testing.T, path, token string, v any) {
	t.Helper()
	status, body, _ := r.call(t, http.MethodGet, path, token)
	require.Equal(t, http.StatusOK, status, "GET %s: %s", path, body)
	require.NoError(t, json.Unmarshal(body, v), "GET %s", path)
}

// scanReport mirrors ingest.ScanReport for decoding.
type scanReport struct {
	Found      int `json:"found"`
	Loaded     int `json:"loaded"`
	Rejected   int `json:"rejected"`
	Duplicates int `json:"duplicates"`
	Failed     int `json:"failed"`
	Files      []struct {
		Path    string       `json:"path"`
		Outcome string       `json:"outcome"`
		Reason  string       `json:"reason"`
		Loads   []store.Load `json:"loads"`
	} `json:"files"`
}

// scan triggers an on-demand scan and returns its report.
func (r *running) scan(t *testing.T, token string) scanReport {
	t.Helper()
	status, body, _ := r.call(t, http.MethodPost, "/api/v1/scan", token)
	require.Equal(t, http.StatusOK, status, "scan: %s", body)
	var rep scanReport
	require.NoError(t, json.Unmarshal(body, &rep))
	for _, f := range rep.Files {
		require.NotEqual(t, "failed", f.Outcome, "%s: %s", f.Path, f.Reason)
	}
	return rep
}

// samples returns the official sample flows by file name.
func samples(t *testing.T) map[string][]byte {
	t.Helper()
	root := testref.Flows(t, "sii-standard-tracciati-misure-v1.8", "esempi")
	out := map[string][]byte{}
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".xml") {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		_, dup := out[d.Name()]
		require.False(t, dup, "sample name %s repeats", d.Name())
		out[d.Name()] = data
		return nil
	})
	require.NoError(t, err)
	require.NotEmpty(t, out)
	return out
}

// zipOf returns a zip archive holding the given entries.
func zipOf(t *testing.T, entries map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range sortedNames(entries) {
		w, err := zw.Create(name)
		require.NoError(t, err)
		_, err = w.Write(entries[name])
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

func sortedNames(m map[string][]byte) []string {
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// put writes data at path, creating its folders.
func put(t *testing.T, path string, data []byte) {
	t.Helper()
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
	require.NoError(t, os.WriteFile(path, data, 0o644))
}

// sha256File returns the hex SHA-256 of the file at path.
func sha256File(path string) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:]), nil
}

// mustMonth parses an MM/yyyy month.
func mustMonth(t *testing.T, s string) civil.Month {
	t.Helper()
	m, err := civil.ParseMonthYear(s)
	require.NoError(t, err)
	return m
}
