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

	"github.com/bludispatcher/dispatcher/server/store"
	"github.com/bludispatcher/dispatcher/server/store/internal/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// migrationLockKey is the advisory lock key held while migrating. It uses
// the one-bigint key space, which does not overlap the two-integer key
// space of the load locks.
const migrationLockKey = 0x64697370_6d696772 // "dispmigr"

// maxConns is the size of the connection pool.
const maxConns = 10

// Store is the PostgreSQL implementation of store.Store.
type Store struct {
	*sqlstore.Store
}

var _ store.Store = (*Store)(nil)

// Open connects with a pgx connection string, such as
// "postgres://user@127.0.0.1:5432/dispatcher?search_path=app", and
// migrates the schema.
func Open(ctx context.Context, dsn string) (*Store, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("store postgres: invalid connection string: %w", err)
	}
	db := newPool(cfg, maxConns)
	c, err := db.Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("store postgres: connect to %s:%d: %w", cfg.Host, cfg.Port, err)
	}
	c.Release(false)
	s, err := sqlstore.New(ctx, dialect{}, db, db)
	if err != nil {
		db.Close()
		return nil, err
	}
	return &Store{s}, nil
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
		_, _ = conn.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", int64(migrationLockKey))
	}, nil
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
