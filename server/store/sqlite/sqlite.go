// Package sqlite is the embedded store of the reference server: one SQLite
// database file through the pure-Go modernc.org/sqlite driver.
//
// The database runs in WAL mode with synchronous=NORMAL. All writes go
// through one connection, because SQLite allows one writer at a time, and
// reads use a separate pool of read-only connections. Each load is one
// BEGIN IMMEDIATE transaction, so a process killed mid-load leaves nothing
// of it behind. The store serves one server instance; several instances
// sharing inboxes need the postgres store.
//
// While a load is open it holds the only write connection, so every other
// write (claims, tokens, other loads) waits until it commits or rolls
// back. The goroutine that holds a store.LoadTx must therefore not call
// another writing method of the store before ending it, or it deadlocks.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/bludispatcher/dispatcher/server/store"
	"github.com/bludispatcher/dispatcher/server/store/internal/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// busyTimeoutMillis is how long a connection waits for a lock held by
// another connection (readers during a checkpoint, another process) before
// it fails with SQLITE_BUSY.
const busyTimeoutMillis = 10000

// readConns is the size of the read pool.
const readConns = 4

// paramsPerInsert caps the parameters of one multi-row INSERT. The driver
// (modernc.org/sqlite v1.40.0, conn.bind) finds each parameter's argument
// with a linear search, so binding costs grow with the square of the
// parameter count. Statements of 256 parameters loaded a month of hourly
// PODs faster than statements of 64 or 1024 (see BENCHMARKS.md).
const paramsPerInsert = 256

// Store is the SQLite implementation of store.Store.
type Store struct {
	*sqlstore.Store
}

var _ store.Store = (*Store)(nil)

// Open opens or creates the database file at path and migrates its schema.
func Open(ctx context.Context, path string) (*Store, error) {
	if path == "" || strings.ContainsAny(path, "?#") {
		return nil, fmt.Errorf("store sqlite: invalid database path %q: want a file path without ? or #", path)
	}
	pragmas := fmt.Sprintf("_pragma=busy_timeout(%d)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(1)",
		busyTimeoutMillis)
	write, err := sql.Open("sqlite", path+"?"+pragmas)
	if err != nil {
		return nil, fmt.Errorf("store sqlite: open %s: %w", path, err)
	}
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxIdleTime(0)
	write.SetConnMaxLifetime(0)
	// The first connection creates the file and switches it to WAL before
	// any reader opens it.
	if err := write.PingContext(ctx); err != nil {
		write.Close()
		return nil, fmt.Errorf("store sqlite: open %s: %w", path, err)
	}
	read, err := sql.Open("sqlite", path+"?"+pragmas+"&_pragma=query_only(1)")
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("store sqlite: open %s: %w", path, err)
	}
	read.SetMaxOpenConns(readConns)
	s, err := sqlstore.New(ctx, dialect{}, sqlstore.SQLDB{DB: write}, sqlstore.SQLDB{DB: read})
	if err != nil {
		write.Close()
		read.Close()
		return nil, err
	}
	return &Store{s}, nil
}

// dialect is the SQLite sqlstore.Dialect.
type dialect struct{}

func (dialect) Name() string           { return "sqlite" }
func (dialect) Rebind(q string) string { return q }
func (dialect) BeginSQL() string       { return "BEGIN IMMEDIATE" }
func (dialect) RowLockSkip() string    { return "" }
func (dialect) Migrations() fs.FS {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		panic(err) // the embedded folder always exists
	}
	return sub
}

// LockLoadKey does nothing: the single write connection already runs one
// load at a time.
func (dialect) LockLoadKey(context.Context, sqlstore.Conn, store.CompanyID, string) error { return nil }

// LockMigrations does nothing: each migration runs in a BEGIN IMMEDIATE
// transaction that rechecks schema_migrations.
func (dialect) LockMigrations(context.Context, sqlstore.Conn) (func(), error) { return func() {}, nil }

func (dialect) IsUniqueViolation(err error) bool {
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return false
	}
	return e.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || e.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
}

// BulkInsert writes rows with prepared multi-row INSERT statements of at
// most paramsPerInsert parameters, reused across calls on the same
// connection.
func (dialect) BulkInsert(ctx context.Context, conn sqlstore.Conn, table string, cols []string, rows [][]any) error {
	sc, ok := conn.(*sqlstore.SQLConn)
	if !ok {
		return fmt.Errorf("bulk insert: unexpected connection type %T", conn)
	}
	per := max(1, paramsPerInsert/len(cols))
	args := make([]any, 0, per*len(cols))
	for start := 0; start < len(rows); start += per {
		chunk := rows[start:min(start+per, len(rows))]
		st, err := sc.Prepare(ctx, insertSQL(table, cols, len(chunk)))
		if err != nil {
			return err
		}
		args = args[:0]
		for _, row := range chunk {
			args = append(args, row...)
		}
		if _, err := st.ExecContext(ctx, args...); err != nil {
			return err
		}
	}
	return nil
}

// insertSQL returns an INSERT of n rows into table.
func insertSQL(table string, cols []string, n int) string {
	tuple := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
	return "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES " +
		strings.TrimSuffix(strings.Repeat(tuple+", ", n), ", ")
}
