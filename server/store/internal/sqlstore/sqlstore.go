// Package sqlstore implements store.Store once for both SQLite and
// PostgreSQL, over the DB interface: database/sql for SQLite and pgxpool
// for PostgreSQL. A Dialect supplies what differs between the two:
// placeholders, transaction start, bulk inserts, row locks and migrations.
//
// Both schemas use the same column types where possible. Instants are
// BIGINT microseconds since the Unix epoch (UTC), civil dates are TEXT
// "yyyy-mm-dd", and values read from files are TEXT exactly as read, with
// NULL for an absent element and an empty string for an empty one.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"time"

	"github.com/bludispatcher/dispatcher/server/store"
)

// Dialect is the set of backend differences the shared implementation
// delegates.
type Dialect interface {
	// Name returns "sqlite" or "postgres", for error messages.
	Name() string
	// Rebind rewrites the "?" placeholders of query for the backend.
	Rebind(query string) string
	// BeginSQL returns the statement that opens a write transaction on a
	// dedicated connection.
	BeginSQL() string
	// LockLoadKey serializes loads of the same company and SHA-256 until
	// the transaction on conn ends. SQLite needs nothing because its one
	// writer already serializes every load.
	LockLoadKey(ctx context.Context, conn Conn, company store.CompanyID, sha string) error
	// BulkInsert inserts rows into table within the transaction on conn.
	BulkInsert(ctx context.Context, conn Conn, table string, cols []string, rows [][]any) error
	// RowLockSkip returns the suffix that locks a selected row and skips
	// rows locked by others ("FOR UPDATE SKIP LOCKED"), or "".
	RowLockSkip() string
	// IsUniqueViolation reports whether err is a unique-constraint failure.
	IsUniqueViolation(err error) bool
	// Migrations returns the numbered SQL files of the schema.
	Migrations() fs.FS
	// LockMigrations serializes schema migration across processes until
	// the returned function is called.
	LockMigrations(ctx context.Context, conn Conn) (func(), error)
}

// Store is the shared implementation of store.Store.
type Store struct {
	d Dialect
	// write is the pool that writes; for SQLite it has one connection.
	write DB
	// read is the pool that reads; it may be write itself.
	read DB
	// now returns the current time.
	now func() time.Time
}

var _ store.Store = (*Store)(nil)

// New returns a Store over the given pools after migrating the schema.
// read may equal write.
func New(ctx context.Context, d Dialect, write, read DB) (*Store, error) {
	s := &Store{d: d, write: write, read: read, now: time.Now}
	if err := s.migrate(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// WriteDB returns the writing pool, for benchmarks and tests that need
// direct SQL.
func (s *Store) WriteDB() DB { return s.write }

// Dialect returns the store's dialect.
func (s *Store) Dialect() Dialect { return s.d }

// Close closes both pools.
func (s *Store) Close() error {
	err := s.write.Close()
	if s.read != s.write {
		err = errors.Join(err, s.read.Close())
	}
	return err
}

func (s *Store) q(query string) string { return s.d.Rebind(query) }

// micros converts an instant to the stored form.
func micros(t time.Time) int64 { return t.UnixMicro() }

// fromMicros converts a stored instant back, in UTC.
func fromMicros(us int64) time.Time { return time.UnixMicro(us).UTC() }

// nullMicros converts a nullable stored instant.
func nullMicros(v sql.NullInt64) *time.Time {
	if !v.Valid {
		return nil
	}
	t := fromMicros(v.Int64)
	return &t
}

// wrap adds the backend name and operation to err.
func (s *Store) wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("store %s: %s: %w", s.d.Name(), op, err)
}

// notFound returns ErrNotFound for sql.ErrNoRows and wraps other errors.
func (s *Store) notFound(op string, err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("store %s: %s: %w", s.d.Name(), op, store.ErrNotFound)
	}
	return s.wrap(op, err)
}

// RebindDollar rewrites "?" placeholders as $1, $2 … for PostgreSQL. The
// queries of this package never contain "?" inside string literals.
func RebindDollar(query string) string {
	var b strings.Builder
	b.Grow(len(query) + 16)
	n := 0
	for i := 0; i < len(query); i++ {
		if query[i] == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteByte(query[i])
	}
	return b.String()
}

// placeholders returns "?, ?, …" with n marks.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}
