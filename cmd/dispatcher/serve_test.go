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

// The help of serve names its three front ends and the help of load the
// file kinds that -kind takes.
func TestServeAndLoadHelp(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"command list", nil, []string{"serve      run the reference server: load the inboxes, serve the API, SOAP and web pages"}},
		{"serve", []string{"serve", "-h"}, []string{
			"-store",
			config.EnvStore,
			"the JSON API at /api/v1, the SOAP services at /soap/v1",
			"(WSDL at /soap/v1?wsdl) and the operators' web pages at /",
			"listen address host:port of the API, SOAP and web pages",
		}},
		{"load", []string{"load", "-h"}, []string{
			"the files in the given folders that -kind accepts",
			"flows     SII metering flows, .xml (the default)",
			"rcu       SII registry extracts, .csv and .txt",
			"pra       residual area withdrawal (PRA), .csv, .txt and .xlsx",
			"gme       GME market prices, .xml",
			"sii       rcu, pra and gme files side by side",
			"invoices  transport invoices: FatturaPA .xml or signed .p7m, and detail flows .xml",
			"outcomes  distributors' outcome files for requests, .xml",
			"Each kind also takes .zip\nfiles of its own:",
			"inbox kind to read the files as: flows, gme, group, invoices, outcomes, pra, rcu, sii",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var output bytes.Buffer
			code := run(tt.args, &output, &output)
			assert.Equal(t, 0, code)
			for _, line := range tt.want {
				assert.Contains(t, output.String(), line)
			}
			assert.NotContains(t, output.String(), "the JSON API until")
			assert.NotContains(t, output.String(), "Loads .xml and .zip files")
		})
	}
}
