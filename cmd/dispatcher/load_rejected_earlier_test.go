package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A second load of an unchanged file reports the first load's status, and
// exits 1 when that load was rejected, as the first run did.
func TestLoadRepeatReportsEarlierStatus(t *testing.T) {
	const badName = "01234567890_12345678901_201301_PNO_20130218060524_1DP0001_R.xml"
	tests := []struct {
		name    string
		second  []string // paths below the fixture folder given to the second run, or none for the whole folder
		touch   bool     // move the bad file's modification time past the first run
		code    int
		want    []string
		notWant []string
	}{
		{
			name:   "rejected file",
			second: []string{badName},
			code:   1,
			want: []string{
				badName + ": already loaded unchanged as load 1 rejected, 1 anomalies (change the file or its modification time to load it again)",
				"1 file: 0 loaded, 0 rejected, 0 duplicates, 1 rejected earlier in ",
			},
		},
		{
			name:    "loaded file",
			second:  []string{loadSample},
			code:    0,
			want:    []string{loadSample + ": already loaded unchanged as load 2 loaded"},
			notWant: []string{"rejected earlier"},
		},
		{
			name: "folder with both",
			code: 1,
			want: []string{
				loadSample + ": already loaded unchanged as load 2 loaded",
				badName + ": already loaded unchanged as load 1 rejected",
				"3 files: 0 loaded, 0 rejected, 0 duplicates, 1 rejected earlier in ",
			},
		},
		{
			name:    "touched rejected file",
			second:  []string{badName},
			touch:   true,
			code:    1,
			want:    []string{badName + ": load 4 rejected", "1 file: 0 loaded, 1 rejected, 0 duplicates in "},
			notWant: []string{"already loaded", "rejected earlier"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := loadFixture(t)
			bad := filepath.Join(files, badName)
			require.NoError(t, os.WriteFile(bad, []byte("<FlussoMisure"), 0o644))
			past := time.Now().Add(-time.Hour)
			require.NoError(t, os.Chtimes(bad, past, past))
			cfg := loadConfig(t, t.TempDir())

			var stdout, stderr bytes.Buffer
			code := run([]string{"load", "-config", cfg, files}, &stdout, &stderr)
			require.Equal(t, 1, code, "the first run rejects the bad file: %s", stdout.String())
			require.Contains(t, stdout.String(), badName+": load 1 rejected")

			if tt.touch {
				now := time.Now().Add(time.Second)
				require.NoError(t, os.Chtimes(bad, now, now))
			}
			args := []string{"load", "-config", cfg}
			for _, p := range tt.second {
				args = append(args, filepath.Join(files, p))
			}
			if len(tt.second) == 0 {
				args = append(args, files)
			}
			stdout.Reset()
			stderr.Reset()
			code = run(args, &stdout, &stderr)
			assert.Equal(t, tt.code, code, "stdout: %s\nstderr: %s", stdout.String(), stderr.String())
			for _, w := range tt.want {
				assert.Contains(t, stdout.String(), w)
			}
			for _, w := range tt.notWant {
				assert.NotContains(t, stdout.String(), w)
			}
		})
	}
}
