package postgres

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/bludispatcher/dispatcher/server/store/internal/sqlstore"
)

// db adapts a pgxpool.Pool to sqlstore.DB.
type db struct {
	pool *pgxpool.Pool
}

// Acquire takes a connection from the pool, waiting while every
// connection is in use, until ctx ends.
func (d *db) Acquire(ctx context.Context) (sqlstore.Conn, error) {
	c, err := d.pool.Acquire(ctx)
	if err != nil {
		return nil, err
	}
	return &conn{c: c}, nil
}

// Exec runs a statement on a pooled connection.
func (d *db) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	tag, err := d.pool.Exec(ctx, query, args...)
	return tag.RowsAffected(), err
}

// Query runs a query on a pooled connection, which returns to the pool
// when the rows close.
func (d *db) Query(ctx context.Context, query string, args ...any) (sqlstore.Rows, error) {
	rows, err := d.pool.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return pgxRows{rows}, nil
}

// QueryRow runs a query on a pooled connection, which returns to the pool
// after Scan.
func (d *db) QueryRow(ctx context.Context, query string, args ...any) sqlstore.Row {
	return pgxRow{d.pool.QueryRow(ctx, query, args...)}
}

// Close closes the pool. It blocks until every acquired connection has
// been released, so an open load transaction delays it.
func (d *db) Close() error {
	d.pool.Close()
	return nil
}

// conn is one connection acquired from the pool.
type conn struct {
	c *pgxpool.Conn
}

func (c *conn) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	tag, err := c.c.Exec(ctx, query, args...)
	return tag.RowsAffected(), err
}

func (c *conn) Query(ctx context.Context, query string, args ...any) (sqlstore.Rows, error) {
	rows, err := c.c.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return pgxRows{rows}, nil
}

func (c *conn) QueryRow(ctx context.Context, query string, args ...any) sqlstore.Row {
	return pgxRow{c.c.QueryRow(ctx, query, args...)}
}

// Release returns the connection to the pool. pgxpool itself destroys a
// connection that is closed, busy or inside a transaction. A bad
// connection is taken out of the pool and closed, so its session ends
// with any lock it holds.
func (c *conn) Release(bad bool) {
	if !bad {
		c.c.Release()
		return
	}
	closeConn(c.c.Hijack())
}

// closeTimeout bounds the clean close of a dropped connection, which sends
// one Terminate message. pgconn closes the socket whether or not it is sent.
const closeTimeout = 5 * time.Second

// closeConn closes c, which ends its PostgreSQL session and every
// session-level lock of that session.
func closeConn(c *pgx.Conn) {
	ctx, cancel := context.WithTimeout(context.Background(), closeTimeout)
	defer cancel()
	_ = c.Close(ctx)
}

type pgxRows struct{ rows pgx.Rows }

func (r pgxRows) Next() bool             { return r.rows.Next() }
func (r pgxRows) Scan(dest ...any) error { return r.rows.Scan(dest...) }
func (r pgxRows) Close()                 { r.rows.Close() }
func (r pgxRows) Err() error             { return r.rows.Err() }

// pgxRow maps pgx.ErrNoRows to sql.ErrNoRows, which the shared code tests.
type pgxRow struct{ row pgx.Row }

func (r pgxRow) Scan(dest ...any) error {
	err := r.row.Scan(dest...)
	if errors.Is(err, pgx.ErrNoRows) {
		return sql.ErrNoRows
	}
	return err
}
