package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/server/config"
	"github.com/bludispatcher/dispatcher/server/ingest"
	"github.com/bludispatcher/dispatcher/server/store"
	"github.com/bludispatcher/dispatcher/server/store/postgres"
)

// postgresEnv overrides the connection string of the test PostgreSQL.
const postgresEnv = "DISPATCHER_TEST_POSTGRES"

// postgresSchema connects to the test PostgreSQL (127.0.0.1:5432, database
// test, user postgres or root, or postgresEnv), creates a schema dropped
// at the end of the test, and returns a connection string that selects
// it. It skips the test when no server is reachable, and fails it under
// CI=true.
func postgresSchema(t *testing.T) string {
	t.Helper()
	candidates := []string{
		"postgres://postgres@127.0.0.1:5432/test?sslmode=disable",
		"postgres://root@127.0.0.1:5432/test?sslmode=disable",
	}
	if env := os.Getenv(postgresEnv); env != "" {
		candidates = []string{env}
	}
	ctx := context.Background()
	var base string
	var lastErr error
	for _, dsn := range candidates {
		c, cancel := context.WithTimeout(ctx, 5*time.Second)
		conn, err := pgx.Connect(c, dsn)
		cancel()
		if err == nil {
			conn.Close(ctx)
			base = dsn
			break
		}
		lastErr = err
	}
	if base == "" {
		msg := fmt.Sprintf("no PostgreSQL at 127.0.0.1:5432 (database test; set %s to another URL): %v", postgresEnv, lastErr)
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}

	raw := make([]byte, 6)
	_, _ = rand.Read(raw)
	schema := "servertest_" + hex.EncodeToString(raw)
	conn, err := pgx.Connect(ctx, base)
	require.NoError(t, err)
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, "CREATE SCHEMA "+schema)
	require.NoError(t, err)
	t.Cleanup(func() {
		c, err := pgx.Connect(ctx, base)
		if err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
			return
		}
		defer c.Close(ctx)
		if _, err := c.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(base)
	require.NoError(t, err)
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// variant returns a sample with an XML comment after its declaration, so
// that each copy has its own bytes and SHA-256.
func variant(sample []byte, i int) []byte {
	text := string(sample)
	end := strings.Index(text, "?>") + 2
	return []byte(text[:end] + fmt.Sprintf("\n<!-- copy %d -->", i) + text[end:])
}

func TestTwoInstancesShareInboxOnPostgres(t *testing.T) {
	dsn := postgresSchema(t)
	dir := t.TempDir()
	base := testConfig(dir)
	base.Store = dsn
	base.Companies = base.Companies[:1]
	base.PollInterval = config.Duration(50 * time.Millisecond)
	inbox := base.Companies[0].Inboxes[config.KindFlows][0]

	var stores []store.Store
	for _, name := range []string{"instance-a", "instance-b"} {
		cfg := base
		cfg.Instance = name
		st, err := postgres.Open(context.Background(), dsn)
		require.NoError(t, err)
		t.Cleanup(func() { st.Close() })
		stores = append(stores, st)
		startServer(t, cfg, st, testLogger(t).With("instance", name))
	}

	all := samples(t)
	names := sortedNames(all)
	const files = 40
	for i := 0; i < files; i++ {
		name := names[i%len(names)]
		data := variant(all[name], i)
		sub := filepath.Join(inbox, fmt.Sprintf("d%d", i%4), fmt.Sprintf("e%d", i%3))
		if i%2 == 0 {
			put(t, filepath.Join(sub, fmt.Sprintf("%02d-%s", i, strings.TrimSuffix(name, ".xml")+".zip")), zipOf(t, map[string][]byte{name: data}))
		} else {
			put(t, filepath.Join(sub, fmt.Sprintf("%02d-%s", i, name)), data)
		}
	}

	ctx := context.Background()
	co, err := stores[0].CompanyByCode(ctx, "acme")
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		_, total, err := stores[0].ListLoads(ctx, store.LoadFilter{Company: co.ID})
		return err == nil && total >= files && inboxEmpty(inbox)
	}, 90*time.Second, 100*time.Millisecond, "both instances load the inbox")
	time.Sleep(500 * time.Millisecond) // let a late second load show up if there were one

	loads, total, err := stores[1].ListLoads(ctx, store.LoadFilter{Company: co.ID, Page: store.Page{Limit: 1000}})
	require.NoError(t, err)
	assert.Equal(t, files, total, "one load per file")
	seen := map[string]int{}
	for _, l := range loads {
		seen[l.SHA256]++
		assert.NotEqual(t, store.StatusDuplicate, l.Status, "%s loaded twice", l.Path)
	}
	for sum, n := range seen {
		assert.Equal(t, 1, n, "sha256 %s", sum)
	}
}

// inboxEmpty reports whether no file is left below dir.
func inboxEmpty(dir string) bool {
	empty := true
	filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			empty = false
		}
		return nil
	})
	return empty
}

// slowLoader loads metering flows after a pause, to hold a claim longer
// than its time to live.
type slowLoader struct {
	ingest.FlowsLoader
	pause   time.Duration
	started chan struct{}
}

func (l *slowLoader) Load(ctx context.Context, company ingest.Company, doc ingest.Document, tx store.LoadTx) error {
	close(l.started)
	select {
	case <-time.After(l.pause):
	case <-ctx.Done():
		return ctx.Err()
	}
	return l.FlowsLoader.Load(ctx, company, doc, tx)
}

func TestClaimRenewedDuringLongLoad(t *testing.T) {
	dsn := postgresSchema(t)
	ctx := context.Background()
	open := func() store.Store {
		st, err := postgres.Open(ctx, dsn)
		require.NoError(t, err)
		t.Cleanup(func() { st.Close() })
		return st
	}
	stA, stB := open(), open()
	co, err := stA.CreateCompany(ctx, store.Company{Code: "acme", Name: "Acme"})
	require.NoError(t, err)

	dir := t.TempDir()
	target := ingest.Target{
		Company: ingest.Company{ID: co.ID, Code: "acme"},
		Inboxes: []ingest.Inbox{{Kind: ingest.KindFlows, Dir: filepath.Join(dir, "inbox")}},
		Archive: filepath.Join(dir, "archive"),
	}
	put(t, filepath.Join(dir, "inbox", pnoSample), samples(t)[pnoSample])

	const ttl = 300 * time.Millisecond
	slow := &slowLoader{pause: 5 * ttl, started: make(chan struct{})}
	slowRegistry, err := ingest.NewRegistry(slow)
	require.NoError(t, err)
	plainRegistry, err := ingest.NewRegistry(&ingest.FlowsLoader{})
	require.NoError(t, err)
	a := ingest.New(stA, slowRegistry, testLogger(t).With("instance", "a"), ingest.Options{Owner: "a", ClaimTTL: ttl})
	b := ingest.New(stB, plainRegistry, testLogger(t).With("instance", "b"), ingest.Options{Owner: "b", ClaimTTL: ttl})

	// b looks once now, so its scan below finds the file settled.
	_, err = b.Scan(ctx, target, 0)
	require.NoError(t, err)

	doneA := make(chan ingest.ScanReport, 1)
	go func() {
		rep, err := a.Scan(ctx, target, 10*time.Millisecond)
		assert.NoError(t, err)
		doneA <- rep
	}()
	<-slow.started
	time.Sleep(3 * ttl) // past the first expiry, which the renewals push back

	repB, err := b.Scan(ctx, target, 0)
	require.NoError(t, err)
	require.Len(t, repB.Files, 1)
	assert.Equal(t, ingest.OutcomeSkipped, repB.Files[0].Outcome, "b must not take over a renewed claim: %s", repB.Files[0].Reason)

	repA := <-doneA
	require.Len(t, repA.Files, 1)
	assert.Equal(t, ingest.OutcomeDone, repA.Files[0].Outcome, repA.Files[0].Reason)
	assert.Equal(t, 1, repA.Loaded+repA.Rejected)
	_, total, err := stA.ListLoads(ctx, store.LoadFilter{Company: co.ID})
	require.NoError(t, err)
	assert.Equal(t, 1, total)
}
