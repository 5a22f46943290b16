package config

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse checks that any input either fails to parse or yields a
// configuration that Validate and the token lookup handle without panic.
func FuzzParse(f *testing.F) {
	example, err := os.ReadFile(filepath.Join("..", "..", "examples", "config.json"))
	if err == nil {
		f.Add(example)
	}
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"companies": [{"id": "a", "inboxes": {"flows": ["in"]}, "archive": "in/x", "tokens": ["sha256:00"]}]}`))
	f.Add([]byte(`{"poll_interval": "-1s", "store": "sqlite:", "flows": {"severities": {"R1": "loud"}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<16 {
			return
		}
		cfg, err := Parse(data, "base")
		if err != nil {
			return
		}
		_ = cfg.Validate([]string{KindFlows})
		_ = cfg.HasTokens()
		_, _ = cfg.Token([32]byte{})
		_ = RedactStore(cfg.Store)
	})
}
