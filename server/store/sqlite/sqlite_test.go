package sqlite_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/server/store"
	"github.com/bludispatcher/dispatcher/server/store/sqlite"
	"github.com/bludispatcher/dispatcher/server/store/storetest"
)

// factory opens a new database file in a temporary folder.
func factory(t *testing.T) (store.Store, func(t *testing.T) store.Store) {
	path := filepath.Join(t.TempDir(), "dispatcher.db")
	openPath := func(t *testing.T) store.Store {
		s, err := sqlite.Open(context.Background(), path)
		require.NoError(t, err)
		return s
	}
	return openPath(t), openPath
}

func TestConformance(t *testing.T) {
	storetest.Run(t, factory)
}

func TestOpenInvalidPath(t *testing.T) {
	_, err := sqlite.Open(context.Background(), "a.db?mode=ro")
	require.ErrorContains(t, err, "invalid database path")
}

// crashDBEnv passes the database path to the crash test's child process.
const crashDBEnv = "STORETEST_SQLITE_PATH"

func TestKilledLoadLeavesNothing(t *testing.T) {
	if storetest.IsCrashChild() {
		storetest.CrashChild(t, func(t *testing.T) store.Store {
			s, err := sqlite.Open(context.Background(), os.Getenv(crashDBEnv))
			require.NoError(t, err)
			return s
		})
		return
	}
	path := filepath.Join(t.TempDir(), "crash.db")
	storetest.Crash(t, storetest.CrashConfig{
		TestName: "TestKilledLoadLeavesNothing",
		Env:      []string{crashDBEnv + "=" + path},
		Open: func(t *testing.T) store.Store {
			s, err := sqlite.Open(context.Background(), path)
			require.NoError(t, err)
			return s
		},
	})
}
