package config

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var kinds = []string{KindFlows}

func TestDefaultIsValid(t *testing.T) {
	cfg := Default()
	require.NoError(t, cfg.Validate(kinds))
	assert.Equal(t, "sqlite:./dispatcher.db", cfg.Store)
	require.Len(t, cfg.Companies, 1)
	assert.Equal(t, []string{"./inbox"}, cfg.Companies[0].Inboxes[KindFlows])
	assert.False(t, cfg.HasTokens())
}

func TestExampleConfigLoads(t *testing.T) {
	path := filepath.Join("..", "..", "examples", "config.json")
	cfg, err := Load(path)
	require.NoError(t, err)
	// The kinds of the server's loaders, which the example uses all.
	require.NoError(t, cfg.Validate([]string{KindFlows, "gme", "invoices", "pra", "rcu", "sii"}))
	assert.Len(t, cfg.Companies, 2)
	assert.True(t, cfg.HasTokens())
}

func TestParseResolvesRelativePaths(t *testing.T) {
	data := []byte(`{
		"store": "sqlite:data/d.db",
		"poll_interval": "10s",
		"companies": [{"id": "acme", "name": "Acme",
			"inboxes": {"flows": ["in", "/abs/in"]}, "archive": "arc",
			"poll_interval": "5s", "tokens": ["secret"]}]
	}`)
	cfg, err := Parse(data, "/etc/dispatcher")
	require.NoError(t, err)
	assert.Equal(t, "sqlite:/etc/dispatcher/data/d.db", cfg.Store)
	co := cfg.Companies[0]
	assert.Equal(t, []string{"/etc/dispatcher/in", "/abs/in"}, co.Inboxes[KindFlows])
	assert.Equal(t, "/etc/dispatcher/arc", co.Archive)
	assert.Equal(t, 5*time.Second, co.Interval(time.Duration(cfg.PollInterval)))
	assert.Equal(t, DefaultListen, cfg.Listen, "listen keeps its default")
}

func TestParseRejectsUnknownField(t *testing.T) {
	_, err := Parse([]byte(`{"listen_addr": ":1"}`), "")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "listen_addr")
}

func TestValidateFindsEveryProblem(t *testing.T) {
	cases := []struct {
		name string
		edit func(*Config)
		want string
	}{
		{"bad listen", func(c *Config) { c.Listen = "8080" }, "listen"},
		{"bad store", func(c *Config) { c.Store = "mysql://x" }, "store"},
		{"bad log format", func(c *Config) { c.Log.Format = "xml" }, "log format"},
		{"bad level", func(c *Config) { c.Log.Level = "loud" }, "log level"},
		{"zero poll", func(c *Config) { c.PollInterval = 0 }, "poll_interval"},
		{"zero cut-short wait", func(c *Config) { c.CutShortWait = 0 }, "cut_short_wait"},
		{"cut-short wait below settle", func(c *Config) {
			c.Settle = Duration(time.Minute)
			c.CutShortWait = Duration(30 * time.Second)
		}, "want more than settle"},
		{"cut-short wait equal to settle", func(c *Config) {
			c.Settle = Duration(time.Minute)
			c.CutShortWait = Duration(time.Minute)
		}, "want more than settle"},
		{"bad id", func(c *Config) { c.Companies[0].ID = "Acme Spa" }, "company id"},
		{"unknown kind", func(c *Config) { c.Companies[0].Inboxes["gme"] = []string{"g"} }, "inbox kind"},
		{"archive in inbox", func(c *Config) { c.Companies[0].Archive = "./inbox/done" }, "inside the inbox"},
		{"no archive", func(c *Config) { c.Companies[0].Archive = "" }, "archive folder is missing"},
		{"duplicate id", func(c *Config) { c.Companies = append(c.Companies, c.Companies[0]) }, "set twice"},
		{"shared token", func(c *Config) {
			c.Companies[0].Tokens = []string{"t"}
			other := Company{ID: "b", Inboxes: map[string][]string{KindFlows: {"b"}}, Archive: "ba", Tokens: []string{"t"}}
			c.Companies = append(c.Companies, other)
		}, "also a token"},
		{"bad hashed token", func(c *Config) { c.Companies[0].Tokens = []string{"sha256:zz"} }, "sha256"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := Default()
			cfg.Companies[0].Inboxes = map[string][]string{KindFlows: {"./inbox"}}
			tc.edit(&cfg)
			err := cfg.Validate(kinds)
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrInvalid)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestEnvOverridesFile(t *testing.T) {
	env := map[string]string{
		EnvListen: "127.0.0.1:9999",
		EnvStore:  "postgres://u:p@127.0.0.1/test",
		EnvPoll:   "2s",
		EnvInbox:  "/tmp/in",
		EnvToken:  "tok",
	}
	o, err := FromEnv(func(k string) string { return env[k] })
	require.NoError(t, err)
	cfg := Default()
	require.NoError(t, cfg.Apply(o))
	assert.Equal(t, "127.0.0.1:9999", cfg.Listen)
	assert.Equal(t, "postgres://u:p@127.0.0.1/test", cfg.Store)
	assert.Equal(t, Duration(2*time.Second), cfg.PollInterval)
	assert.Equal(t, []string{"/tmp/in"}, cfg.Companies[0].Inboxes[KindFlows])
	assert.Equal(t, []string{"tok"}, cfg.Companies[0].Tokens)
}

func TestEnvRejectsBadDuration(t *testing.T) {
	_, err := FromEnv(func(k string) string {
		if k == EnvPoll {
			return "soon"
		}
		return ""
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), EnvPoll)
}

func TestInboxOverrideNeedsOneCompany(t *testing.T) {
	cfg := Default()
	cfg.Companies = append(cfg.Companies, Company{ID: "b"})
	err := cfg.Apply(Override{Inbox: "/x"})
	require.Error(t, err)
}

func TestTokenLookup(t *testing.T) {
	sum := sha256.Sum256([]byte("hashed-secret"))
	cfg := Default()
	cfg.Companies[0].Tokens = []string{"plain", "sha256:" + hex.EncodeToString(sum[:])}
	co, ok := cfg.Token(sha256.Sum256([]byte("plain")))
	assert.True(t, ok)
	assert.Equal(t, DefaultCompanyID, co.ID)
	_, ok = cfg.Token(sum)
	assert.True(t, ok)
	_, ok = cfg.Token(sha256.Sum256([]byte("other")))
	assert.False(t, ok)
}

func TestParseStore(t *testing.T) {
	cases := []struct{ dsn, driver, rest string }{
		{"sqlite:./d.db", DriverSQLite, "./d.db"},
		{"/var/lib/d.db", DriverSQLite, "/var/lib/d.db"},
		{"postgres://127.0.0.1/test", DriverPostgres, "postgres://127.0.0.1/test"},
		{"postgresql://127.0.0.1/test", DriverPostgres, "postgresql://127.0.0.1/test"},
	}
	for _, tc := range cases {
		driver, rest, err := ParseStore(tc.dsn)
		require.NoError(t, err, tc.dsn)
		assert.Equal(t, tc.driver, driver, tc.dsn)
		assert.Equal(t, tc.rest, rest, tc.dsn)
	}
	_, _, err := ParseStore("sqlite:")
	assert.Error(t, err)
}

func TestRedactStore(t *testing.T) {
	assert.Equal(t, "postgres://u:xxxxx@h/db", RedactStore("postgres://u:pw@h/db"))
	assert.Equal(t, "postgres://u@h/db", RedactStore("postgres://u@h/db"))
	assert.Equal(t, "sqlite:./d.db", RedactStore("sqlite:./d.db"))
}

func TestLoadMissingFile(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "none.json"))
	require.Error(t, err)
	assert.ErrorIs(t, err, os.ErrNotExist)
}

func TestCutShortWait(t *testing.T) {
	cfg, err := Parse([]byte(`{}`), "")
	require.NoError(t, err)
	assert.Equal(t, DefaultCutShortWait, time.Duration(cfg.CutShortWait), "unset keeps the default")

	cfg, err = Parse([]byte(`{"cut_short_wait": "1h"}`), "")
	require.NoError(t, err)
	require.NoError(t, cfg.Validate(kinds))
	assert.Equal(t, time.Hour, time.Duration(cfg.CutShortWait))

	cfg, err = Parse([]byte(`{"settle": "20m"}`), "")
	require.NoError(t, err)
	err = cfg.Validate(kinds)
	require.Error(t, err, "a settle longer than the default wait needs a longer wait")
	assert.Contains(t, err.Error(), "cut_short_wait 15m0s: want more than settle (20m0s)")
}
