package config

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAuthFileKeepsUnsetDefaults(t *testing.T) {
	cfg, err := Parse([]byte(`{"auth": {"max_failures_per_user": 3}}`), "")
	require.NoError(t, err)
	require.NoError(t, cfg.Validate(kinds))
	assert.Equal(t, 3, cfg.Auth.MaxFailuresPerUser)
	assert.Equal(t, DefaultMaxFailuresPerAddress, cfg.Auth.MaxFailuresPerAddress)
	assert.Equal(t, DefaultFailureWindow, time.Duration(cfg.Auth.FailureWindow))

	opts := cfg.Auth.LimiterOptions()
	assert.Equal(t, 3, opts.MaxPerUser)
	assert.Equal(t, DefaultMaxFailuresPerAddress, opts.MaxPerAddress)
	assert.Equal(t, DefaultFailureWindow, opts.Window)
}

func TestAuthValidate(t *testing.T) {
	tests := []struct {
		name string
		json string
		want string
	}{
		{"zero per address", `{"auth": {"max_failures_per_address": 0}}`, "max_failures_per_address is 0"},
		{"zero per user", `{"auth": {"max_failures_per_user": 0}}`, "max_failures_per_user is 0"},
		{"zero window", `{"auth": {"failure_window": "0s"}}`, "failure_window 0s"},
		{"negative window", `{"auth": {"failure_window": "-1m"}}`, "failure_window -1m0s"},
		{"limits off", `{"auth": {"max_failures_per_address": -1, "max_failures_per_user": -1}}`, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := Parse([]byte(tc.json), "")
			require.NoError(t, err)
			err = cfg.Validate(kinds)
			if tc.want == "" {
				assert.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, ErrInvalid)
			assert.ErrorContains(t, err, tc.want)
		})
	}
}
