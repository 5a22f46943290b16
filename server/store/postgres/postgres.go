// Package postgres is the store of the reference server on PostgreSQL,
// through pgx. Record data is bulk-loaded with COPY inside each load's
// transaction. Several server instances may share one database: loads of
// the same bytes are serialized with a transaction-scoped advisory lock,
// and file claims use SELECT … FOR UPDATE SKIP LOCKED.
package postgres

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/bludispatcher/dispatcher/server/store"
	"github.com/bludispatcher/dispatcher/server/store/internal/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// migrationLockKey is the advisory lock key held while migrating. It uses
// the one-bigint key space, which does not overlap the two-integer key
// space of the load locks.
const migrationLockKey = 0x64697370_6d696772 // "dispmigr"

// defaultMaxConns is the pool size when the connection string sets no
// pool_max_conns.
const defaultMaxConns = 10

// Store is the PostgreSQL implementation of store.Store.
type Store struct {
	*sqlstore.Store
}

var _ store.Store = (*Store)(nil)

// Open connects with a pgx connection string, such as
// "postgres://user@127.0.0.1:5432/dispatcher?search_path=app", and
// migrates the schema. The connections come from a pgxpool.Pool, which
// reads its settings from the same string: pool_max_conns (10 when
// absent), pool_min_conns, pool_max_conn_lifetime,
// pool_max_conn_idle_time and pool_health_check_period.
func Open(ctx context.Context, dsn string) (*Store, error) {
	cfg, err := poolConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("store postgres: invalid connection string: %w", err)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("store postgres: create pool: %w", err)
	}
	host, port := cfg.ConnConfig.Host, cfg.ConnConfig.Port
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("store postgres: connect to %s:%d: %w", host, port, err)
	}
	d := &db{pool: pool}
	s, err := sqlstore.New(ctx, dialect{}, d, d)
	if err != nil {
		pool.Close()
		return nil, err
	}
	return &Store{s}, nil
}

// poolConfig parses dsn and sets defaultMaxConns when dsn sets no
// pool_max_conns, because pgxpool (pgx v5.9.2) would otherwise size the
// pool by the number of CPUs, with a minimum of 4.
func poolConfig(dsn string) (*pgxpool.Config, error) {
	conn, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, err
	}
	_, explicit := conn.RuntimeParams["pool_max_conns"]
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, err
	}
	if !explicit {
		cfg.MaxConns = defaultMaxConns
	}
	return cfg, nil
}

// dialect is the PostgreSQL sqlstore.Dialect.
type dialect struct{}

func (dialect) Name() string           { return "postgres" }
func (dialect) Rebind(q string) string { return sqlstore.RebindDollar(q) }
func (dialect) BeginSQL() string       { return "BEGIN" }
func (dialect) RowLockSkip() string    { return "FOR UPDATE SKIP LOCKED" }
func (dialect) Migrations() fs.FS {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		panic(err) // the embedded folder always exists
	}
	return sub
}

// LockLoadKey takes a transaction-scoped advisory lock on (company, first
// 32 bits of the SHA-256), so concurrent loads of the same bytes run one
// after the other and the second finds the first and becomes a duplicate.
func (dialect) LockLoadKey(ctx context.Context, conn sqlstore.Conn, company store.CompanyID, sha string) error {
	sum := sha256.Sum256([]byte(sha))
	key := int32(binary.BigEndian.Uint32(sum[:4]))
	_, err := conn.Exec(ctx, "SELECT pg_advisory_xact_lock($1, $2)", int32(company), key)
	return err
}

// LockMigrations holds a session advisory lock while migrating, so that
// instances starting together apply each migration once.
func (dialect) LockMigrations(ctx context.Context, conn sqlstore.Conn) (func(), error) {
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", int64(migrationLockKey)); err != nil {
		return nil, err
	}
	return func() {
		_, err := conn.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", int64(migrationLockKey))
		if err != nil {
			closeSession(conn)
		}
	}, nil
}

// closeSession closes the connection under c, so that PostgreSQL ends the
// session and its session-level locks. The pool then destroys the closed
// connection on release instead of handing it out again.
func closeSession(c sqlstore.Conn) {
	if pc, ok := c.(*conn); ok {
		closeConn(pc.c.Conn())
	}
}

func (dialect) IsUniqueViolation(err error) bool {
	var e *pgconn.PgError
	return errors.As(err, &e) && e.Code == "23505"
}

// BulkInsert writes rows with COPY on the transaction's connection.
func (dialect) BulkInsert(ctx context.Context, c sqlstore.Conn, table string, cols []string, rows [][]any) error {
	pc, ok := c.(*conn)
	if !ok {
		return fmt.Errorf("bulk insert: unexpected connection type %T", c)
	}
	_, err := pc.c.CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromRows(rows))
	return err
}
