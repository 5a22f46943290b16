package postgres

import (
	"context"
	"database/sql"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPoolConfigMaxConns(t *testing.T) {
	tests := []struct {
		name string
		dsn  string
		want int32
	}{
		{"url default", "postgres://u@127.0.0.1:5432/test", defaultMaxConns},
		{"url explicit", "postgres://u@127.0.0.1:5432/test?pool_max_conns=3", 3},
		{"keyword default", "host=127.0.0.1 port=5432 user=u dbname=test", defaultMaxConns},
		{"keyword explicit", "host=127.0.0.1 user=u pool_max_conns=25", 25},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := poolConfig(tt.dsn)
			require.NoError(t, err)
			assert.Equal(t, tt.want, cfg.MaxConns)
			assert.NotContains(t, cfg.ConnConfig.RuntimeParams, "pool_max_conns")
		})
	}
}

func TestPoolConfigInvalid(t *testing.T) {
	for _, dsn := range []string{
		"postgres://u@127.0.0.1/test?pool_max_conns=0",
		"postgres://u@127.0.0.1/test?pool_max_conns=many",
		"postgres://u@127.0.0.1/test?pool_health_check_period=often",
	} {
		_, err := Open(context.Background(), dsn)
		assert.ErrorContains(t, err, "invalid connection string", dsn)
	}
}

// testDSN returns the connection string of the test server, or skips the
// test (fails it when CI=true) when none is reachable.
func testDSN(t *testing.T) string {
	t.Helper()
	candidates := []string{
		"postgres://postgres@127.0.0.1:5432/test?sslmode=disable",
		"postgres://root@127.0.0.1:5432/test?sslmode=disable",
	}
	if env := os.Getenv("DISPATCHER_TEST_POSTGRES"); env != "" {
		candidates = []string{env}
	}
	var lastErr error
	for _, dsn := range candidates {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		c, err := pgx.Connect(ctx, dsn)
		cancel()
		if err == nil {
			_ = c.Close(context.Background())
			return dsn
		}
		lastErr = err
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("no PostgreSQL reachable at 127.0.0.1:5432: %v", lastErr)
	}
	t.Skipf("no PostgreSQL reachable at 127.0.0.1:5432 (database test): %v", lastErr)
	return ""
}

// openPool returns a pool of at most maxConns connections to the test
// server, closed when the test ends.
func openPool(t *testing.T, maxConns int) *db {
	t.Helper()
	cfg, err := poolConfig(testDSN(t))
	require.NoError(t, err)
	cfg.MaxConns = int32(maxConns)
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	require.NoError(t, err)
	d := &db{pool: pool}
	t.Cleanup(func() { _ = d.Close() })
	return d
}

// testLockKey is a session advisory lock key used only by these tests.
const testLockKey = 0x706f6f6c_74657374 // "pooltest"

func TestReleaseBadEndsSession(t *testing.T) {
	ctx := context.Background()
	d := openPool(t, 2)
	c, err := d.Acquire(ctx)
	require.NoError(t, err)
	_, err = c.Exec(ctx, "SELECT pg_advisory_lock($1)", int64(testLockKey))
	require.NoError(t, err)

	c.Release(true)
	assert.Zero(t, d.pool.Stat().TotalConns(), "a bad connection leaves the pool")
	require.Eventually(t, func() bool {
		var got bool
		err := d.QueryRow(ctx, "SELECT pg_try_advisory_lock($1)", int64(testLockKey)).Scan(&got)
		if err != nil || !got {
			return false
		}
		_, err = d.Exec(ctx, "SELECT pg_advisory_unlock_all()")
		return err == nil
	}, 5*time.Second, 50*time.Millisecond, "the closed session releases its advisory lock")
}

func TestReleaseInTransactionDestroys(t *testing.T) {
	ctx := context.Background()
	d := openPool(t, 2)
	c, err := d.Acquire(ctx)
	require.NoError(t, err)
	var first int32
	require.NoError(t, c.QueryRow(ctx, "SELECT pg_backend_pid()").Scan(&first))
	_, err = c.Exec(ctx, "BEGIN")
	require.NoError(t, err)

	// pgxpool destroys the connection in the background.
	c.Release(false)
	require.Eventually(t, func() bool { return d.pool.Stat().TotalConns() == 0 },
		5*time.Second, 10*time.Millisecond, "a connection inside a transaction is not pooled")

	c, err = d.Acquire(ctx)
	require.NoError(t, err)
	defer c.Release(false)
	var second int32
	require.NoError(t, c.QueryRow(ctx, "SELECT pg_backend_pid()").Scan(&second))
	assert.NotEqual(t, first, second, "a new session")
	assert.Equal(t, byte('I'), c.(*conn).c.Conn().PgConn().TxStatus())
}

func TestReleaseIdleReuses(t *testing.T) {
	ctx := context.Background()
	d := openPool(t, 2)
	c, err := d.Acquire(ctx)
	require.NoError(t, err)
	var first, second int32
	require.NoError(t, c.QueryRow(ctx, "SELECT pg_backend_pid()").Scan(&first))
	c.Release(false)

	require.NoError(t, d.QueryRow(ctx, "SELECT pg_backend_pid()").Scan(&second))
	assert.Equal(t, first, second)
	assert.EqualValues(t, 1, d.pool.Stat().TotalConns())
}

func TestAcquireFullPoolTimesOut(t *testing.T) {
	d := openPool(t, 1)
	c, err := d.Acquire(context.Background())
	require.NoError(t, err)
	defer c.Release(false)

	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err = d.Acquire(ctx)
	require.ErrorIs(t, err, context.DeadlineExceeded)
}

func TestQueryRowNoRows(t *testing.T) {
	ctx := context.Background()
	d := openPool(t, 1)
	var n int
	err := d.QueryRow(ctx, "SELECT 1 WHERE false").Scan(&n)
	require.ErrorIs(t, err, sql.ErrNoRows)

	// The single connection is free again after Scan.
	require.NoError(t, d.QueryRow(ctx, "SELECT 2").Scan(&n))
	assert.Equal(t, 2, n)
}

func TestMigrationUnlockFailureEndsSession(t *testing.T) {
	ctx := context.Background()
	d := openPool(t, 2)
	c, err := d.Acquire(ctx)
	require.NoError(t, err)
	unlock, err := dialect{}.LockMigrations(ctx, c)
	require.NoError(t, err)

	// An aborted transaction makes the unlock statement fail.
	_, err = c.Exec(ctx, "BEGIN")
	require.NoError(t, err)
	_, err = c.Exec(ctx, "SELECT 1/0")
	require.Error(t, err)
	unlock()
	assert.True(t, c.(*conn).c.Conn().IsClosed(), "the session is closed")
	c.Release(false)

	require.Eventually(t, func() bool {
		var got bool
		err := d.QueryRow(ctx, "SELECT pg_try_advisory_lock($1)", int64(migrationLockKey)).Scan(&got)
		if err != nil || !got {
			return false
		}
		_, err = d.Exec(ctx, "SELECT pg_advisory_unlock_all()")
		return err == nil
	}, 10*time.Second, 50*time.Millisecond, "the migration lock is free again")
}
