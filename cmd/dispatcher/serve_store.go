package main

import (
	"context"
	"os"
	"path/filepath"

	"github.com/bludispatcher/dispatcher/server/config"
	"github.com/bludispatcher/dispatcher/server/store"
	"github.com/bludispatcher/dispatcher/server/store/postgres"
	"github.com/bludispatcher/dispatcher/server/store/sqlite"
)

// openStore opens the store named by a DSN (see config.ParseStore),
// creating the folder of a SQLite file when missing.
func openStore(ctx context.Context, dsn string) (store.Store, error) {
	driver, rest, err := config.ParseStore(dsn)
	if err != nil {
		return nil, err
	}
	switch driver {
	case config.DriverSQLite:
		if err := os.MkdirAll(filepath.Dir(rest), 0o755); err != nil {
			return nil, err
		}
		st, err := sqlite.Open(ctx, rest)
		if err != nil {
			return nil, err // not a typed nil inside the interface
		}
		return st, nil
	}
	st, err := postgres.Open(ctx, rest)
	if err != nil {
		return nil, err
	}
	return st, nil
}
