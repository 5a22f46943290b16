package server

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/server/config"
	"github.com/bludispatcher/dispatcher/server/store"
	"github.com/bludispatcher/dispatcher/server/store/postgres"
)

// loadList mirrors the response of GET /api/v1/loads.
type loadList struct {
	Items []store.Load `json:"items"`
	Total int          `json:"total"`
}

// buildSampleTree puts the samples into inbox, zipped, two folders deep:
// the first three inside one zip of zips, one as a plain XML file at the
// top, the rest each in its own zip under year/month folders.
func buildSampleTree(t *testing.T, inbox string, all map[string][]byte) {
	t.Helper()
	names := sortedNames(all)
	inner := map[string][]byte{}
	for _, name := range names[:3] {
		inner[strings.TrimSuffix(name, ".xml")+".zip"] = zipOf(t, map[string][]byte{name: all[name]})
	}
	put(t, filepath.Join(inbox, "batch", "batch-of-zips.zip"), zipOf(t, inner))
	put(t, filepath.Join(inbox, names[3]), all[names[3]])
	for _, name := range names[4:] {
		parts := strings.Split(name, "_")
		dir := filepath.Join(inbox, parts[2][:4], parts[2][4:])
		put(t, filepath.Join(dir, strings.TrimSuffix(name, ".xml")+".zip"), zipOf(t, map[string][]byte{name: all[name]}))
	}
}

func TestServeLoadsSampleTree(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		cfg := testConfig(t.TempDir())
		checkSampleTree(t, cfg, openSQLite(t, cfg))
	})
	t.Run("postgres", func(t *testing.T) {
		dsn := postgresSchema(t)
		cfg := testConfig(t.TempDir())
		cfg.Store = dsn
		st, err := postgres.Open(context.Background(), dsn)
		require.NoError(t, err)
		t.Cleanup(func() { st.Close() })
		checkSampleTree(t, cfg, st)
	})
}

// checkSampleTree loads the sample tree with a server on st and checks
// what the API returns.
func checkSampleTree(t *testing.T, cfg config.Config, st store.Store) {
	inbox := cfg.Companies[0].Inboxes["flows"][0]
	all := samples(t)
	buildSampleTree(t, inbox, all)
	put(t, filepath.Join(inbox, "readme.txt"), []byte("not a flow"))

	srv := startServer(t, cfg, st, testLogger(t))
	rep := srv.scan(t, tokenAcme)
	assert.Zero(t, rep.Failed)
	assert.Equal(t, len(all), rep.Loaded+rep.Rejected, "one load per sample")
	assert.Zero(t, rep.Duplicates)

	var loads loadList
	srv.getJSON(t, "/api/v1/loads?limit=1000", tokenAcme, &loads)
	require.Equal(t, len(all), loads.Total)

	t.Run("originals download byte-identical", func(t *testing.T) {
		for _, l := range loads.Items {
			status, body, header := srv.call(t, http.MethodGet, fmt.Sprintf("/api/v1/loads/%d/original", l.ID), tokenAcme)
			require.Equal(t, http.StatusOK, status)
			want, ok := all[l.Name]
			require.True(t, ok, "load %d has unknown name %q", l.ID, l.Name)
			assert.Equal(t, want, body, "original of %s", l.Name)
			assert.Contains(t, header.Get("Content-Disposition"), l.Name)
		}
	})

	t.Run("inbox emptied into archive", func(t *testing.T) {
		var left []string
		filepath.WalkDir(inbox, func(path string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				left = append(left, filepath.Base(path))
			}
			return nil
		})
		assert.Equal(t, []string{"readme.txt"}, left, "only the unknown file stays")
		archived, err := filepath.Glob(filepath.Join(cfg.Companies[0].Archive, "*", "2013", "01", "*.zip"))
		require.NoError(t, err)
		assert.NotEmpty(t, archived)
	})

	t.Run("readings", func(t *testing.T) {
		var readings struct {
			Items []store.Reading `json:"items"`
		}
		srv.getJSON(t, "/api/v1/pods/IT123E12345678/readings?from=2013-01-31&to=2013-01-31", tokenAcme, &readings)
		var found bool
		for _, r := range readings.Items {
			if r.FlowCode == "PNO" && r.Registers["EaF1"] == "2,654" {
				found = true
				assert.Equal(t, "45,987", r.Registers["EaF3"])
				assert.Equal(t, "23,000", *r.PotMax)
			}
		}
		assert.True(t, found, "the PNO reading of 31/01/2013 with EaF1 2,654: %+v", readings.Items)
	})

	t.Run("curve with real instants", func(t *testing.T) {
		var curve struct {
			Items []store.CurveDay `json:"items"`
		}
		srv.getJSON(t, "/api/v1/pods/IT999E00000003/curve?from=2013-02-02&to=2013-02-02&all=true", tokenAcme, &curve)
		var found bool
		for _, d := range curve.Items {
			if d.FlowCode != "PNO2G" || d.KindName != "Ea" {
				continue
			}
			found = true
			require.Len(t, d.Slots, 96)
			assert.Equal(t, "1,740", d.Slots[0].Text)
			assert.Equal(t, "2,070", d.Slots[95].Text)
			assert.True(t, d.Slots[0].Start.Equal(time.Date(2013, 2, 1, 23, 0, 0, 0, time.UTC)), "E1 starts at midnight in Rome: %v", d.Slots[0].Start)
			assert.True(t, d.Slots[95].Start.Equal(time.Date(2013, 2, 2, 22, 45, 0, 0, time.UTC)), "E96: %v", d.Slots[95].Start)
		}
		assert.True(t, found, "the PNO2G Ea curve of 02/02/2013")
	})

	t.Run("record search", func(t *testing.T) {
		var rows struct {
			Items []store.RecordRow `json:"items"`
			Total int               `json:"total"`
		}
		srv.getJSON(t, "/api/v1/records?pod=IT123E12345678&month=2013-01&flow=PNO", tokenAcme, &rows)
		require.Equal(t, 2, rows.Total, "the PNO sample and its reactive-injected variant: %+v", rows.Items)
		assert.Equal(t, "IT123E12345678", rows.Items[0].POD)
		srv.getJSON(t, "/api/v1/records?month=01/2013", tokenAcme, &rows)
		assert.Greater(t, rows.Total, 1)
		srv.getJSON(t, "/api/v1/records?pod=IT000E00000000", tokenAcme, &rows)
		assert.Zero(t, rows.Total)
	})

	t.Run("per-POD views respond", func(t *testing.T) {
		for _, view := range []string{"consumptions", "corrections", "switching", "technical"} {
			var v struct {
				POD   string `json:"pod"`
				Items []any  `json:"items"`
			}
			srv.getJSON(t, "/api/v1/pods/IT123E12345678/"+view, tokenAcme, &v)
			assert.Equal(t, "IT123E12345678", v.POD, view)
		}
		var tech struct {
			Items []store.Technical `json:"items"`
		}
		srv.getJSON(t, "/api/v1/pods/IT123E12345678/technical", tokenAcme, &tech)
		require.NotEmpty(t, tech.Items)
		assert.Equal(t, "400", tech.Items[0].Fields["Tensione"])
	})

	t.Run("second copy is a duplicate", func(t *testing.T) {
		name := sortedNames(all)[5]
		put(t, filepath.Join(inbox, "again", "copy.zip"), zipOf(t, map[string][]byte{name: all[name]}))
		rep := srv.scan(t, tokenAcme)
		require.Equal(t, 1, rep.Duplicates)
		require.Zero(t, rep.Loaded+rep.Rejected)
		dup := rep.Files[0].Loads[0]
		assert.Equal(t, store.StatusDuplicate, dup.Status)
		assert.NotZero(t, dup.DuplicateOf)

		var after loadList
		srv.getJSON(t, "/api/v1/loads?status=duplicate", tokenAcme, &after)
		assert.Equal(t, 1, after.Total)
		status, body, _ := srv.call(t, http.MethodGet, fmt.Sprintf("/api/v1/loads/%d/original", dup.ID), tokenAcme)
		assert.Equal(t, http.StatusOK, status)
		assert.Equal(t, all[name], body)
	})

	t.Run("company isolation", func(t *testing.T) {
		id := loads.Items[0].ID
		for _, path := range []string{
			fmt.Sprintf("/api/v1/loads/%d", id),
			fmt.Sprintf("/api/v1/loads/%d/original", id),
			fmt.Sprintf("/api/v1/loads/%d/anomalies", id),
			"/api/v1/loads?company=acme",
			"/api/v1/records?company=acme",
		} {
			status, body, _ := srv.call(t, http.MethodGet, path, tokenOther)
			assert.Equal(t, http.StatusNotFound, status, "GET %s as other: %s", path, body)
		}
		var other loadList
		srv.getJSON(t, "/api/v1/loads", tokenOther, &other)
		assert.Zero(t, other.Total)
		var rows loadList
		srv.getJSON(t, "/api/v1/records?pod=IT123E12345678", tokenOther, &rows)
		assert.Zero(t, rows.Total)
		var readings struct {
			Items []store.Reading `json:"items"`
		}
		srv.getJSON(t, "/api/v1/pods/IT123E12345678/readings", tokenOther, &readings)
		assert.Empty(t, readings.Items)

		status, _, header := srv.call(t, http.MethodGet, "/api/v1/loads", "")
		assert.Equal(t, http.StatusUnauthorized, status, "no token")
		assert.Contains(t, header.Get("WWW-Authenticate"), "Bearer")
		status, _, _ = srv.call(t, http.MethodGet, "/api/v1/loads", "wrong")
		assert.Equal(t, http.StatusUnauthorized, status, "unknown token")
	})
}
