package ingest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/server/store"
)

// TestGroupRCUSameBytesOtherMonth puts one extract's bytes in the group
// inbox under names giving different months, in one scan and in later
// scans, and checks that each month's part reaches the company inbox
// while a name repeating a month is a duplicate.
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
