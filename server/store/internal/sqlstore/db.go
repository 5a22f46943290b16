package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
)

// Querier runs statements. Row.Scan returns sql.ErrNoRows when the query
// returned no row, whatever the driver.
type Querier interface {
	Exec(ctx context.Context, query string, args ...any) (int64, error)
	Query(ctx context.Context, query string, args ...any) (Rows, error)
	QueryRow(ctx context.Context, query string, args ...any) Row
}

// Rows is the result of Query.
type Rows interface {
	Next() bool
	Scan(dest ...any) error
	Close()
	Err() error
}

// Row is the result of QueryRow.
type Row interface {
	Scan(dest ...any) error
}

// Conn is one connection taken from a DB for a transaction.
type Conn interface {
	Querier
	// Release returns the connection to its pool, or closes it when bad is
	// true because its session state is unknown.
	Release(bad bool)
}

// DB is a pool of connections.
type DB interface {
	Querier
	// Acquire takes a connection for the caller's exclusive use.
	Acquire(ctx context.Context) (Conn, error)
	Close() error
}

// SQLDB adapts a database/sql pool to DB.
type SQLDB struct{ DB *sql.DB }

// Exec runs a statement and returns the rows it affected.
func (d SQLDB) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	return execResult(d.DB.ExecContext(ctx, query, args...))
}

// Query runs a query.
func (d SQLDB) Query(ctx context.Context, query string, args ...any) (Rows, error) {
	rows, err := d.DB.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return sqlRows{rows}, nil
}

// QueryRow runs a query that returns at most one row.
func (d SQLDB) QueryRow(ctx context.Context, query string, args ...any) Row {
	return d.DB.QueryRowContext(ctx, query, args...)
}

// Acquire takes a connection from the pool.
func (d SQLDB) Acquire(ctx context.Context) (Conn, error) {
	c, err := d.DB.Conn(ctx)
	if err != nil {
		return nil, err
	}
	return &SQLConn{Conn: c}, nil
}

// Close closes the pool.
func (d SQLDB) Close() error { return d.DB.Close() }

// SQLConn adapts a database/sql connection to Conn. It keeps the
// statements prepared through Prepare until Release.
type SQLConn struct {
	Conn  *sql.Conn
	stmts map[string]*sql.Stmt
}

// Prepare returns a statement prepared on this connection, reusing the one
// prepared earlier for the same query.
func (c *SQLConn) Prepare(ctx context.Context, query string) (*sql.Stmt, error) {
	if st, ok := c.stmts[query]; ok {
		return st, nil
	}
	st, err := c.Conn.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if c.stmts == nil {
		c.stmts = map[string]*sql.Stmt{}
	}
	c.stmts[query] = st
	return st, nil
}

// Exec runs a statement and returns the rows it affected.
func (c *SQLConn) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	return execResult(c.Conn.ExecContext(ctx, query, args...))
}

// Query runs a query.
func (c *SQLConn) Query(ctx context.Context, query string, args ...any) (Rows, error) {
	rows, err := c.Conn.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return sqlRows{rows}, nil
}

// QueryRow runs a query that returns at most one row.
func (c *SQLConn) QueryRow(ctx context.Context, query string, args ...any) Row {
	return c.Conn.QueryRowContext(ctx, query, args...)
}

// Release returns the connection, or discards it when bad.
func (c *SQLConn) Release(bad bool) {
	for _, st := range c.stmts {
		_ = st.Close()
	}
	c.stmts = nil
	if bad {
		// Returning driver.ErrBadConn from Raw makes database/sql close
		// the connection instead of pooling it.
		_ = c.Conn.Raw(func(any) error { return driver.ErrBadConn })
	}
	_ = c.Conn.Close()
}

type sqlRows struct{ *sql.Rows }

func (r sqlRows) Close() { _ = r.Rows.Close() }

func execResult(res sql.Result, err error) (int64, error) {
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	if errors.Is(err, driver.ErrSkip) {
		return 0, nil
	}
	return n, err
}
