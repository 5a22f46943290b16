package postgres

import (
	"context"
	"database/sql"
	"errors"
	"sync"

	"github.com/jackc/pgx/v5"

	"github.com/bludispatcher/dispatcher/server/store/internal/sqlstore"
)

// errPoolClosed is returned by Acquire after Close.
var errPoolClosed = errors.New("connection pool closed")

// pool is a small pool of pgx connections. It replaces pgxpool and the
// pgx database/sql adapter, because both import github.com/jackc/puddle/v2,
// which go.mod does not require.
type pool struct {
	cfg *pgx.ConnConfig
	// slots limits open connections: a send takes one, a receive frees it.
	slots chan struct{}

	mu     sync.Mutex
	idle   []*pgx.Conn
	closed bool
}

func newPool(cfg *pgx.ConnConfig, max int) *pool {
	return &pool{cfg: cfg, slots: make(chan struct{}, max)}
}

// Acquire takes an idle connection or opens one, waiting while the pool
// is full.
func (p *pool) Acquire(ctx context.Context) (sqlstore.Conn, error) {
	select {
	case p.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	c, err := p.take(ctx)
	if err != nil {
		<-p.slots
		return nil, err
	}
	return &conn{p: p, c: c}, nil
}

func (p *pool) take(ctx context.Context) (*pgx.Conn, error) {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil, errPoolClosed
	}
	for len(p.idle) > 0 {
		c := p.idle[len(p.idle)-1]
		p.idle = p.idle[:len(p.idle)-1]
		if !c.IsClosed() {
			p.mu.Unlock()
			return c, nil
		}
	}
	p.mu.Unlock()
	return pgx.ConnectConfig(ctx, p.cfg)
}

// put returns a connection; one that is closed, bad or still inside a
// transaction is closed instead of pooled.
func (p *pool) put(c *pgx.Conn, bad bool) {
	defer func() { <-p.slots }()
	p.mu.Lock()
	keep := !p.closed && !bad && !c.IsClosed() && c.PgConn().TxStatus() == 'I'
	if keep {
		p.idle = append(p.idle, c)
	}
	p.mu.Unlock()
	if !keep {
		_ = c.Close(context.Background())
	}
}

// Close closes the idle connections; connections in use close when
// released.
func (p *pool) Close() error {
	p.mu.Lock()
	idle := p.idle
	p.idle, p.closed = nil, true
	p.mu.Unlock()
	var err error
	for _, c := range idle {
		err = errors.Join(err, c.Close(context.Background()))
	}
	return err
}

// Exec runs a statement on a pooled connection.
func (p *pool) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	c, err := p.Acquire(ctx)
	if err != nil {
		return 0, err
	}
	defer c.Release(false)
	return c.Exec(ctx, query, args...)
}

// Query runs a query on a pooled connection, released when the rows close.
func (p *pool) Query(ctx context.Context, query string, args ...any) (sqlstore.Rows, error) {
	c, err := p.Acquire(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := c.Query(ctx, query, args...)
	if err != nil {
		c.Release(false)
		return nil, err
	}
	return &releasingRows{Rows: rows, release: func() { c.Release(false) }}, nil
}

// QueryRow runs a query on a pooled connection, released after Scan.
func (p *pool) QueryRow(ctx context.Context, query string, args ...any) sqlstore.Row {
	c, err := p.Acquire(ctx)
	if err != nil {
		return errRow{err}
	}
	return &releasingRow{row: c.QueryRow(ctx, query, args...), release: func() { c.Release(false) }}
}

// conn is one pgx connection taken from the pool.
type conn struct {
	p *pool
	c *pgx.Conn
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

func (c *conn) Release(bad bool) { c.p.put(c.c, bad) }

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

type releasingRows struct {
	sqlstore.Rows
	release func()
	once    sync.Once
}

func (r *releasingRows) Close() {
	r.Rows.Close()
	r.once.Do(r.release)
}

type releasingRow struct {
	row     sqlstore.Row
	release func()
}

func (r *releasingRow) Scan(dest ...any) error {
	defer r.release()
	return r.row.Scan(dest...)
}

type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }
