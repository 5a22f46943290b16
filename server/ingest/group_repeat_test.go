package ingest

import (
	"crypto/sha256"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/server/store"
)

// TestGroupRCUSameBytesOtherMonth puts one extract's bytes in the group
// inbox under names giving different months, in one scan and in later
// scans. Each month's part reaches the company inbox, and a name
// repeating a month is a duplicate.
func TestGroupRCUSameBytesOtherMonth(t *testing.T) {
	f := newGroupFixture(t)
	extract := rcuHeader + rcuOther
	tests := []struct {
		name   string
		files  []string
		status store.LoadStatus
		parts  []string
	}{
		{"two months in one scan", []string{"RCU_202510.csv", "RCU_202511.csv"}, store.StatusLoaded,
			[]string{"RCU_202510.csv", "RCU_202511.csv"}},
		{"third month later", []string{"RCU_202512.txt"}, store.StatusLoaded,
			[]string{"RCU_202510.csv", "RCU_202511.csv", "RCU_202512.txt"}},
		{"month repeated", []string{"copia_RCU_2025-11.csv"}, store.StatusDuplicate,
			[]string{"RCU_202510.csv", "RCU_202511.csv", "RCU_202512.txt"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, name := range tt.files {
				writeFile(t, filepath.Join(f.target.Inboxes[0].Dir, name), extract)
			}
			rep := f.scanAndPublish(t)
			require.Len(t, rep.Files, len(tt.files))
			for _, file := range rep.Files {
				require.Len(t, file.Loads, 1, file.Path)
				assert.Equal(t, tt.status, file.Loads[0].Status, file.Path)
			}

			entries, err := os.ReadDir(filepath.Join(f.dir, "other", "rcu"))
			require.NoError(t, err)
			var names []string
			for _, e := range entries {
				names = append(names, e.Name())
			}
			assert.Equal(t, tt.parts, names)
			for _, name := range tt.parts {
				assert.Equal(t, extract, f.read(t, "other/rcu/"+name), name)
			}
		})
	}
}

// TestStageNameRoundTrip checks the staging folder names of an extract,
// a zip and names that no load makes.
func TestStageNameRoundTrip(t *testing.T) {
	l := &GroupLoader{Now: func() time.Time { return time.Date(2025, 12, 3, 10, 0, 0, 0, time.UTC) }}
	sum := sha256.Sum256([]byte("extract"))
	hexSum := strings.Repeat("ab", 32)
	tests := []struct {
		name   string
		folder string
		sha    string
		month  civil.Month
		ok     bool
	}{
		{"extract with a month", l.stageName(Document{Name: "RCU_202510.csv", SHA256: sum}),
			l.stageName(Document{Name: "x.zip", SHA256: sum}), civil.Month{Year: 2025, Month: time.October}, true},
		{"extract without a month", l.stageName(Document{Name: "RCU.txt", SHA256: sum}),
			l.stageName(Document{Name: "x.zip", SHA256: sum}), civil.Month{Year: 2025, Month: time.December}, true},
		{"zip", l.stageName(Document{Name: "batch.zip", SHA256: sum}),
			l.stageName(Document{Name: "x.zip", SHA256: sum}), civil.Month{}, true},
		{"digest only", hexSum, hexSum, civil.Month{}, true},
		{"month 13", hexSum + "-202513", "", civil.Month{}, false},
		{"short digest", hexSum[:63], "", civil.Month{}, false},
		{"not hex", strings.Repeat("zz", 32), "", civil.Month{}, false},
		{"empty month", hexSum + "-", "", civil.Month{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sha, month, ok := parseStageName(tt.folder)
			assert.Equal(t, tt.ok, ok)
			assert.Equal(t, tt.sha, sha)
			assert.Equal(t, tt.month, month)
		})
	}
}

// FuzzParseStageName checks that parseStageName accepts only names it
// can rebuild: a 64-digit hex digest and an optional valid month.
func FuzzParseStageName(f *testing.F) {
	f.Add(strings.Repeat("0f", 32))
	f.Add(strings.Repeat("0f", 32) + "-202510")
	f.Add(strings.Repeat("0f", 32) + "-2025-10")
	f.Add("-")
	f.Fuzz(func(t *testing.T, name string) {
		sha, month, ok := parseStageName(name)
		if !ok {
			return
		}
		rebuilt := sha
		if !month.IsZero() {
			rebuilt += "-" + month.Compact()
		}
		if !strings.EqualFold(rebuilt, name) {
			t.Fatalf("parseStageName(%q) = %q, %v: rebuilds as %q", name, sha, month, rebuilt)
		}
	})
}
