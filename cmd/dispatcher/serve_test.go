package main

import (
	"bytes"
	"flag"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/server/config"
)

func TestServeFlagsOverrideEnvAndFile(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "config.json")
	require.NoError(t, os.WriteFile(file, []byte(`{
		"listen": "127.0.0.1:1111",
		"store": "sqlite:file.db",
		"poll_interval": "1m",
		"log": {"format": "json", "level": "debug"}
	}`), 0o644))
	env := map[string]string{
		config.EnvConfig: file,
		config.EnvListen: "127.0.0.1:2222",
		config.EnvStore:  "sqlite:/env/env.db",
	}
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	var flags serverFlags
	flags.register(fs)
	require.NoError(t, fs.Parse([]string{"-listen", "127.0.0.1:3333", "-poll", "5s"}))

	cfg, err := flags.load(func(k string) string { return env[k] })
	require.NoError(t, err)
	assert.Equal(t, "127.0.0.1:3333", cfg.Listen, "flag over env over file")
	assert.Equal(t, "sqlite:/env/env.db", cfg.Store, "env over file")
	assert.Equal(t, config.Duration(5*time.Second), cfg.PollInterval, "flag over file")
	assert.Equal(t, "json", cfg.Log.Format, "file over default")
	assert.Equal(t, "debug", cfg.Log.Level)
}

func TestServeRejectsBadConfig(t *testing.T) {
	var stderr bytes.Buffer
	code := run([]string{"serve", "-config", filepath.Join(t.TempDir(), "missing.json")}, io.Discard, &stderr)
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr.String(), "missing.json")

	stderr.Reset()
	code = run([]string{"serve", "extra"}, io.Discard, &stderr)
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr.String(), `unexpected argument "extra"`)

	stderr.Reset()
	code = run([]string{"serve", "-log-format", "xml", "-listen", "127.0.0.1:0"}, io.Discard, &stderr)
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr.String(), "log format")
}

func TestServeHelp(t *testing.T) {
	var stderr bytes.Buffer
	code := run([]string{"serve", "-h"}, io.Discard, &stderr)
	assert.Equal(t, 0, code)
	assert.Contains(t, stderr.String(), "-store")
	assert.Contains(t, stderr.String(), config.EnvStore)
}
