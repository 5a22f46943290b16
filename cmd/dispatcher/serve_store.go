package main

import (
	"context"
	"errors"

	"github.com/bludispatcher/dispatcher/server/config"
	"github.com/bludispatcher/dispatcher/server/store"
)

// openStore opens the store named by a DSN (see config.ParseStore).
func openStore(ctx context.Context, dsn string) (store.Store, error) {
	if _, _, err := config.ParseStore(dsn); err != nil {
		return nil, err
	}
	// TODO: open server/store/sqlite and server/store/postgres once they exist.
	return nil, errors.New("store backends not built yet")
}
