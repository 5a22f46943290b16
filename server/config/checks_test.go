package config

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// second returns a second valid company with its own folders.
func second(id string) Company {
	return Company{ID: id, Inboxes: map[string][]string{KindFlows: {"./" + id + "/inbox"}}, Archive: "./" + id + "/archive"}
}

func TestValidateRejectsUnsafeSettings(t *testing.T) {
	cases := []struct {
		name string
		edit func(*Config)
		want string
	}{
		{"shared inbox", func(c *Config) {
			b := second("b")
			b.Inboxes[KindFlows] = []string{"./inbox"}
			c.Companies = append(c.Companies, b)
		}, `company "default" inbox "./inbox" and company "b" inbox "./inbox"`},
		{"inbox inside another inbox", func(c *Config) {
			b := second("b")
			b.Inboxes[KindFlows] = []string{"./inbox/b"}
			c.Companies = append(c.Companies, b)
		}, "one contains the other"},
		{"archive inside another company's inbox", func(c *Config) {
			b := second("b")
			b.Archive = "./inbox/archive-b"
			c.Companies = append(c.Companies, b)
		}, `company "b" archive "./inbox/archive-b" and company "default" inbox "./inbox"`},
		{"inbox inside an archive", func(c *Config) {
			c.Companies[0].Archive = "./store"
			c.Companies[0].Inboxes[KindFlows] = []string{"./store/in"}
		}, "nor an inbox inside an archive"},
		{"unknown disabled rule", func(c *Config) { c.Flows.DisabledRules = []string{"R99"} }, `disabled_rules: unknown rule "R99": want one of`},
		{"rule in the wrong case", func(c *Config) { c.Flows.DisabledRules = []string{"r14"} }, `did you mean "R14"`},
		{"unknown severity rule", func(c *Config) { c.Flows.Severities["X1"] = "warning" }, `severities: unknown rule "X1"`},
		{"short VAT", func(c *Config) { c.Companies[0].VAT = "1234567890" }, `vat "1234567890"`},
		{"VAT with spaces", func(c *Config) { c.Companies[0].VAT = "IT 01234567890" }, "vat"},
		{"long foreign VAT", func(c *Config) { c.Companies[0].VAT = "DE12345678901234567" }, "vat"},
		{"empty token", func(c *Config) { c.Companies[0].Tokens = []string{"secret", " "} }, "token 2 is empty"},
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

func TestValidateAcceptsSeparateCompanies(t *testing.T) {
	cfg := Default()
	cfg.Companies[0].VAT = "01234567890"
	b := second("b")
	b.VAT = "DE123456789"
	cfg.Companies = append(cfg.Companies, b)
	cfg.Flows.DisabledRules = []string{"R14"}
	require.NoError(t, cfg.Validate(kinds))
}

func TestParseNamesBadDurationKey(t *testing.T) {
	cases := []struct {
		name, json, want string
	}{
		{"top level", `{"poll_interval": "5 minutes"}`, `config: poll_interval: invalid duration "5 minutes"`},
		{"company", `{"companies": [{"id": "a", "inboxes": {"flows": ["in"]}, "archive": "ar", "poll_interval": 5}]}`,
			`config: companies[0].poll_interval: invalid duration 5`},
		{"claim ttl", `{"claim_ttl": "2 min"}`, `config: claim_ttl: invalid duration "2 min"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.json), "")
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}
