package config

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/reseller"
)

func TestGroupRoutingFile(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "routing.json"),
		[]byte(`{"companies": [{"id": "acme", "pods": [{"pod": "IT001E00000001"}]}]}`), 0o644))
	data := []byte(`{
		"companies": [{"id": "acme", "name": "Acme", "inboxes": {"flows": ["in"]}, "archive": "arc"}],
		"groups": [{"id": "gruppo", "inboxes": ["group-in"], "archive": "group-arc", "routing_file": "routing.json"}]
	}`)
	cfg, err := Parse(data, dir)
	require.NoError(t, err)
	require.NoError(t, cfg.Validate([]string{KindFlows}))
	g := cfg.Groups[0]
	assert.Equal(t, filepath.Join(dir, "group-in"), g.Inboxes[0])
	assert.Equal(t, filepath.Join(dir, "group-arc"), g.Archive)
	table, err := g.Table()
	require.NoError(t, err)
	assert.Equal(t, "acme", table.Companies[0].ID)
}

func TestGroupInvalid(t *testing.T) {
	base := func() Config {
		cfg := Default()
		cfg.Groups = []Group{{ID: "gruppo", Inboxes: []string{"/g/in"}, Archive: "/g/arc"}}
		return cfg
	}
	tests := []struct {
		name   string
		change func(*Config)
		want   string
	}{
		{"no table", func(*Config) {}, "no routing table"},
		{"missing file", func(c *Config) { c.Groups[0].RoutingFile = "/nonexistent/routing.json" }, "routing_file"},
		{"both tables", func(c *Config) {
			c.Groups[0].Routing = &reseller.Table{Companies: []reseller.Company{{ID: DefaultCompanyID}}}
			c.Groups[0].RoutingFile = "/x.json"
		}, "not both"},
		{"unknown company", func(c *Config) {
			c.Groups[0].Routing = &reseller.Table{Companies: []reseller.Company{{ID: "nobody"}}}
		}, `routing company "nobody"`},
		{"bad id", func(c *Config) { c.Groups[0].ID = "Gruppo" }, `group id "Gruppo"`},
		{"no inbox", func(c *Config) { c.Groups[0].Inboxes = nil }, "no inboxes"},
		{"archive in inbox", func(c *Config) { c.Groups[0].Archive = "/g/in/arc" }, "inside the inbox"},
		{"token of a company", func(c *Config) {
			c.Companies[0].Tokens = []string{"shared"}
			c.Groups[0].Tokens = []string{"shared"}
		}, "also a token of company"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := base()
			tc.change(&cfg)
			err := cfg.Validate([]string{KindFlows})
			require.Error(t, err)
			assert.ErrorContains(t, err, tc.want)
		})
	}
}
