package ingest

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/server/store"
)

func TestRegistryCovers(t *testing.T) {
	d := func(s string) civil.Date {
		v, err := civil.ParseISODate(s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	entry := func(from, to string) store.RegistryEntry {
		e := store.RegistryEntry{ValidFrom: d(from)}
		if to != "" {
			e.ValidTo = d(to)
		}
		return e
	}
	tests := []struct {
		name    string
		entries []store.RegistryEntry
		want    bool
	}{
		{"none", nil, false},
		{"open-ended", []store.RegistryEntry{entry("2024-01-01", "")}, true},
		{"starts late", []store.RegistryEntry{entry("2025-01-02", "")}, false},
		{"ends early", []store.RegistryEntry{entry("2024-01-01", "2025-01-30")}, false},
		{"exact", []store.RegistryEntry{entry("2025-01-01", "2025-01-31")}, true},
		{"two back to back", []store.RegistryEntry{entry("2024-01-01", "2025-01-15"), entry("2025-01-16", "2025-06-30")}, true},
		{"gap of one day", []store.RegistryEntry{entry("2024-01-01", "2025-01-15"), entry("2025-01-17", "")}, false},
		{"overlapping", []store.RegistryEntry{entry("2024-01-01", "2025-01-20"), entry("2025-01-10", "2025-01-31")}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, covers(tc.entries, d("2025-01-01"), d("2025-01-31")))
		})
	}
}
