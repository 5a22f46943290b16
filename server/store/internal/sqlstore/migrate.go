package sqlstore

import (
	"context"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
)

// migration is one numbered SQL file, such as "0001_init.sql".
type migration struct {
	version int
	name    string
	sql     string
}

// readMigrations returns the migrations of fsys ordered by version. Every
// file must be named NNNN_name.sql with a unique number.
func readMigrations(fsys fs.FS) ([]migration, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, err
	}
	var out []migration
	seen := map[int]string{}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("migration %q: want a name like 0001_init.sql", e.Name())
		}
		if prev, dup := seen[v]; dup {
			return nil, fmt.Errorf("migrations %q and %q share version %d", prev, e.Name(), v)
		}
		seen[v] = e.Name()
		body, err := fs.ReadFile(fsys, e.Name())
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: e.Name(), sql: string(body)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	return out, nil
}

// migrate applies every migration not yet recorded in schema_migrations,
// each in its own transaction together with its record, so a restart after
// a crash applies exactly the missing ones.
func (s *Store) migrate(ctx context.Context) error {
	migs, err := readMigrations(s.d.Migrations())
	if err != nil {
		return s.wrap("read migrations", err)
	}
	conn, err := s.write.Acquire(ctx)
	if err != nil {
		return s.wrap("migrate", err)
	}
	defer conn.Release(false)
	unlock, err := s.d.LockMigrations(ctx, conn)
	if err != nil {
		return s.wrap("lock migrations", err)
	}
	defer unlock()

	const create = `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY,
		name TEXT NOT NULL,
		applied_at BIGINT NOT NULL)`
	if _, err := conn.Exec(ctx, create); err != nil {
		return s.wrap("create schema_migrations", err)
	}
	applied := map[int]bool{}
	rows, err := conn.Query(ctx, "SELECT version FROM schema_migrations")
	if err != nil {
		return s.wrap("read schema_migrations", err)
	}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return s.wrap("read schema_migrations", err)
		}
		applied[v] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return s.wrap("read schema_migrations", err)
	}
	for _, m := range migs {
		if applied[m.version] {
			continue
		}
		if err := s.apply(ctx, conn, m); err != nil {
			return s.wrap("apply migration "+m.name, err)
		}
	}
	return nil
}

// apply runs one migration and records it in one transaction.
func (s *Store) apply(ctx context.Context, conn Conn, m migration) error {
	if _, err := conn.Exec(ctx, s.d.BeginSQL()); err != nil {
		return err
	}
	// Another process may have applied it since the versions were read.
	var done int
	err := conn.QueryRow(ctx, s.q("SELECT COUNT(*) FROM schema_migrations WHERE version = ?"), m.version).Scan(&done)
	if err == nil && done > 0 {
		_, err = conn.Exec(ctx, "COMMIT")
		return err
	}
	if err == nil {
		_, err = conn.Exec(ctx, m.sql)
	}
	if err == nil {
		_, err = conn.Exec(ctx, s.q("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)"),
			m.version, m.name, micros(s.now()))
	}
	if err != nil {
		_, _ = conn.Exec(context.WithoutCancel(ctx), "ROLLBACK")
		return err
	}
	_, err = conn.Exec(ctx, "COMMIT")
	return err
}
