package postgres_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/server/store"
	"github.com/bludispatcher/dispatcher/server/store/postgres"
	"github.com/bludispatcher/dispatcher/server/store/storetest"
)

// dsnEnv overrides the test server's connection string.
const dsnEnv = "DISPATCHER_TEST_POSTGRES"

// candidateDSNs are tried in order when dsnEnv is unset: the local test
// server with trust authentication, as user postgres or root.
var candidateDSNs = []string{
	"postgres://postgres@127.0.0.1:5432/test?sslmode=disable",
	"postgres://root@127.0.0.1:5432/test?sslmode=disable",
}

var (
	serverOnce sync.Once
	serverDSN  string
	serverErr  error
)

// baseDSN returns a connection string of a reachable test server, or skips
// the test (fails it when CI=true) when there is none.
func baseDSN(t testing.TB) string {
	t.Helper()
	serverOnce.Do(func() {
		candidates := candidateDSNs
		if env := os.Getenv(dsnEnv); env != "" {
			candidates = []string{env}
		}
		for _, dsn := range candidates {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			conn, err := pgx.Connect(ctx, dsn)
			cancel()
			if err == nil {
				conn.Close(context.Background())
				serverDSN, serverErr = dsn, nil
				return
			}
			serverErr = err
		}
	})
	if serverDSN == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("no PostgreSQL reachable at 127.0.0.1:5432 (database test, user postgres or root; set %s to override): %v", dsnEnv, serverErr)
		}
		t.Skipf("no PostgreSQL reachable at 127.0.0.1:5432 (database test; set %s to override): %v", dsnEnv, serverErr)
	}
	return serverDSN
}

// freshSchema creates an empty schema, dropped when the test ends, and
// returns a connection string whose search_path selects it.
func freshSchema(t testing.TB) string {
	t.Helper()
	base := baseDSN(t)
	raw := make([]byte, 6)
	_, _ = rand.Read(raw)
	schema := "storetest_" + hex.EncodeToString(raw)
	ctx := context.Background()
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

func factory(t *testing.T) (store.Store, func(t *testing.T) store.Store) {
	dsn := freshSchema(t)
	openDSN := func(t *testing.T) store.Store {
		s, err := postgres.Open(context.Background(), dsn)
		require.NoError(t, err)
		return s
	}
	return openDSN(t), openDSN
}

func TestConformance(t *testing.T) {
	baseDSN(t)
	storetest.Run(t, factory)
}

func TestOpenUnreachable(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err := postgres.Open(ctx, "postgres://nobody@127.0.0.1:1/none?sslmode=disable&connect_timeout=2")
	require.ErrorContains(t, err, "connect to 127.0.0.1:1")
}

func TestOpenInvalidDSN(t *testing.T) {
	_, err := postgres.Open(context.Background(), "postgres://a b@")
	require.ErrorContains(t, err, "invalid connection string")
}

// crashDSNEnv passes the connection string to the crash test's child.
const crashDSNEnv = "STORETEST_POSTGRES_DSN"

func TestKilledLoadLeavesNothing(t *testing.T) {
	if storetest.IsCrashChild() {
		storetest.CrashChild(t, func(t *testing.T) store.Store {
			s, err := postgres.Open(context.Background(), os.Getenv(crashDSNEnv))
			require.NoError(t, err)
			return s
		})
		return
	}
	dsn := freshSchema(t)
	storetest.Crash(t, storetest.CrashConfig{
		TestName: "TestKilledLoadLeavesNothing",
		Env:      []string{crashDSNEnv + "=" + dsn},
		Open: func(t *testing.T) store.Store {
			s, err := postgres.Open(context.Background(), dsn)
			require.NoError(t, err)
			return s
		},
	})
}
