package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"

	"github.com/bludispatcher/dispatcher/server/config"
	"github.com/bludispatcher/dispatcher/server/store"
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
		return sqlite.Open(ctx, rest)
	}
	// TODO: open server/store/postgres once it builds with the module's go.sum.
	return nil, errors.New("the PostgreSQL store is not available in this build: use sqlite:PATH")
}
