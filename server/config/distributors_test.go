package config

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDistributorsParse(t *testing.T) {
	data := []byte(`{"companies": [{"id": "acme", "name": "Acme",
		"inboxes": {"flows": ["in"], "outcomes": ["outcomes"]}, "archive": "arc",
		"distributors": {"profiles": ["e-distribuzione"], "profile_files": ["p/acme.json"], "outbox": "out"}}]}`)
	cfg, err := Parse(data, "/srv/d")
	require.NoError(t, err)
	d := cfg.Companies[0].Distributors
	require.NotNil(t, d)
	assert.Equal(t, []string{"e-distribuzione"}, d.Profiles)
	assert.Equal(t, []string{filepath.Join("/srv/d", "p", "acme.json")}, d.ProfileFiles)
	assert.Equal(t, filepath.Join("/srv/d", "out"), d.Outbox)
	assert.NoError(t, cfg.Validate([]string{KindFlows, KindOutcomes}))
}

func TestDistributorsValidate(t *testing.T) {
	tests := []struct {
		name string
		d    *Distributors
		want string
	}{
		{"none", nil, ""},
		{"valid", &Distributors{Profiles: []string{"e-distribuzione"}, Outbox: "/srv/out"}, ""},
		{"no profiles", &Distributors{Outbox: "/srv/out"}, "no profiles"},
		{"no outbox", &Distributors{Profiles: []string{"e-distribuzione"}}, "outbox folder is missing"},
		{"outbox in inbox", &Distributors{Profiles: []string{"e-distribuzione"}, Outbox: "/srv/in/out"}, "inside the inbox"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := Default()
			co := &cfg.Companies[0]
			co.Inboxes = map[string][]string{KindFlows: {"/srv/in"}}
			co.Archive = "/srv/archive"
			co.Distributors = tt.d
			err := cfg.Validate([]string{KindFlows})
			if tt.want == "" {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrInvalid)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}
