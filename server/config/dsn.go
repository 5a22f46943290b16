package config

import (
	"fmt"
	"log/slog"
	"strings"
)

// Store drivers returned by ParseStore.
const (
	DriverSQLite   = "sqlite"
	DriverPostgres = "postgres"
)

// ParseStore splits a store DSN into its driver and the driver's own DSN:
//
//	sqlite:./dispatcher.db        → sqlite, ./dispatcher.db
//	./data/dispatcher.db          → sqlite, ./data/dispatcher.db
//	postgres://user@host/db       → postgres, postgres://user@host/db
//	postgresql://user@host/db     → postgres, postgresql://user@host/db
func ParseStore(dsn string) (driver, rest string, err error) {
	switch {
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		return DriverPostgres, dsn, nil
	case strings.HasPrefix(dsn, "sqlite:"):
		path := strings.TrimPrefix(dsn, "sqlite:")
		if path == "" {
			return "", "", fmt.Errorf("store %q: the SQLite path is missing, such as sqlite:./dispatcher.db", dsn)
		}
		return DriverSQLite, path, nil
	case strings.HasSuffix(dsn, ".db") || strings.HasSuffix(dsn, ".sqlite"):
		return DriverSQLite, dsn, nil
	}
	return "", "", fmt.Errorf("store %q: want sqlite:PATH or a postgres:// URL", dsn)
}

// ParseLevel converts "debug", "info", "warn" or "error" to a slog level.
func ParseLevel(s string) (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(s)); err != nil {
		return 0, fmt.Errorf("log level %q: want debug, info, warn or error", s)
	}
	return l, nil
}

// RedactStore returns the DSN with any password replaced by "xxxxx", for logs.
func RedactStore(dsn string) string {
	driver, _, err := ParseStore(dsn)
	if err != nil || driver != DriverPostgres {
		return dsn
	}
	scheme, rest, _ := strings.Cut(dsn, "://")
	userinfo, hostpart, ok := strings.Cut(rest, "@")
	if !ok {
		return dsn
	}
	user, _, hasPassword := strings.Cut(userinfo, ":")
	if !hasPassword {
		return dsn
	}
	return scheme + "://" + user + ":xxxxx@" + hostpart
}
