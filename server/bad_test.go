package server

import (
	"archive/zip"
	"bytes"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/internal/anomaly"
	"github.com/bludispatcher/dispatcher/server/ingest"
	"github.com/bludispatcher/dispatcher/server/store"
)

const pnoSample = "01234567890_12345678901_201301_PNO_20130218060523_1DP0001_R.xml"

// withPODs repeats the only DatiPod of a sample once per POD, setting its
// Pod and, where edit is not nil, editing its text.
func withPODs(t *testing.T, sample []byte, pods []string, edit map[string]func(string) string) []byte {
	t.Helper()
	text := string(sample)
	start := strings.Index(text, "<DatiPod>")
	end := strings.Index(text, "</DatiPod>") + len("</DatiPod>")
	require.True(t, start > 0 && end > start)
	block := text[start:end]
	oldPOD := block[strings.Index(block, "<Pod>")+5 : strings.Index(block, "</Pod>")]
	var b strings.Builder
	b.WriteString(text[:start])
	for i, pod := range pods {
		rec := strings.Replace(block, oldPOD, pod, 1)
		if fn := edit[pod]; fn != nil {
			rec = fn(rec)
		}
		if i > 0 {
			b.WriteString("\n  ")
		}
		b.WriteString(rec)
	}
	b.WriteString(text[end:])
	return []byte(b.String())
}

// corruptSecondEntry returns a zip of two stored (uncompressed) entries
// whose second entry has one byte changed, so its checksum fails.
func corruptSecondEntry(t *testing.T, first, second string, a, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range []struct {
		name string
		data []byte
	}{{first, a}, {second, b}} {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: e.name, Method: zip.Store})
		require.NoError(t, err)
		_, err = w.Write(e.data)
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	out := buf.Bytes()
	at := bytes.LastIndex(out, []byte("<Pod>"))
	require.Positive(t, at)
	out[at+5] ^= 0x01
	return out
}

func TestServeBadFiles(t *testing.T) {
	dir := t.TempDir()
	cfg := testConfig(dir)
	inbox := cfg.Companies[0].Inboxes["flows"][0]
	all := samples(t)
	pno := all[pnoSample]

	partly := withPODs(t, pno, []string{"IT001E00000001", "IT001E00000002", "IT001E00000003"},
		map[string]func(string) string{
			"IT001E00000002": func(s string) string { return strings.Replace(s, "<EaF1>2,654</EaF1>", "<EaF1>2.654,1</EaF1>", 1) },
		})
	partlyName := "01234567890_12345678901_201301_PNO_20130218060559_1DP0001_R.xml"
	put(t, filepath.Join(inbox, "a", partlyName), partly)

	corrupt := []byte("PK\x03\x04 this is not a zip archive at all")
	corruptPath := filepath.Join(inbox, "a", "b", "corrupt.zip")
	put(t, corruptPath, corrupt)
	// An hour old, past cut_short_wait: a younger zip with no end record
	// waits in its inbox as a copy in progress.
	hourAgo := time.Now().Add(-time.Hour)
	require.NoError(t, os.Chtimes(corruptPath, hourAgo, hourAgo))

	truncated := pno[:len(pno)/2]
	truncatedName := "01234567890_12345678901_201301_PNO_20130218060558_1DP0001_R.xml"
	put(t, filepath.Join(inbox, truncatedName), truncated)

	goodEntry := "01234567890_12345678901_201301_VNO2G_20130204112533_1DP0001_R.xml"
	mixed := corruptSecondEntry(t, goodEntry, "broken.xml", all[goodEntry], pno)
	put(t, filepath.Join(inbox, "mixed.zip"), mixed)

	good := "01234567890_12345678901_201302_PNO2G_20130304101533_1DP0001_R.xml"
	put(t, filepath.Join(inbox, "z", good), all[good])

	st := openSQLite(t, cfg)
	srv := startServer(t, cfg, st, testLogger(t))
	rep := srv.scan(t, tokenAcme)
	require.Zero(t, rep.Failed)
	byName := map[string]store.Load{}
	for _, f := range rep.Files {
		assert.Equal(t, ingest.OutcomeDone, f.Outcome, f.Path)
		for _, l := range f.Loads {
			byName[l.Name] = l
		}
	}
	require.Len(t, byName, 6, "partly bad, corrupt zip, truncated, good entry, mixed zip, good file")

	t.Run("partly bad file loads its good records", func(t *testing.T) {
		l := byName[partlyName]
		assert.Equal(t, store.StatusLoadedWithAnomalies, l.Status)
		assert.Equal(t, 2, l.RecordsLoaded)
		assert.Equal(t, 1, l.RecordsRejected)
		var one struct {
			Anomalies []anomaly.Anomaly `json:"anomalies"`
		}
		srv.getJSON(t, fmt.Sprintf("/api/v1/loads/%d", l.ID), tokenAcme, &one)
		var blocking []anomaly.Anomaly
		for _, a := range one.Anomalies {
			if a.Blocking() {
				blocking = append(blocking, a)
			}
		}
		require.NotEmpty(t, blocking)
		assert.Equal(t, "IT001E00000002", blocking[0].Key)
		assert.Equal(t, "EaF1", blocking[0].Field)
		assert.Positive(t, blocking[0].Line)

		var rows loadList
		srv.getJSON(t, fmt.Sprintf("/api/v1/records?load=%d", l.ID), tokenAcme, &rows)
		assert.Equal(t, 2, rows.Total)
		srv.getJSON(t, "/api/v1/records?pod=IT001E00000002", tokenAcme, &rows)
		assert.Zero(t, rows.Total, "the rejected record is not stored")
	})

	t.Run("corrupt zip is rejected and kept", func(t *testing.T) {
		l := byName["corrupt.zip"]
		assert.Equal(t, store.StatusRejected, l.Status)
		assert.Equal(t, 1, l.BlockingCount)
		status, body, _ := srv.call(t, http.MethodGet, fmt.Sprintf("/api/v1/loads/%d/original", l.ID), tokenAcme)
		assert.Equal(t, http.StatusOK, status)
		assert.Equal(t, corrupt, body)
	})

	t.Run("truncated XML is rejected with its line", func(t *testing.T) {
		l := byName[truncatedName]
		assert.Equal(t, store.StatusRejected, l.Status)
		var one struct {
			Anomalies []anomaly.Anomaly `json:"anomalies"`
		}
		srv.getJSON(t, fmt.Sprintf("/api/v1/loads/%d", l.ID), tokenAcme, &one)
		require.NotEmpty(t, one.Anomalies)
		assert.Equal(t, ingest.RuleTruncated, one.Anomalies[0].Rule)
		assert.Equal(t, anomaly.FileLevel, one.Anomalies[0].Level)
	})

	t.Run("zip with a broken entry keeps its good one", func(t *testing.T) {
		assert.Equal(t, store.StatusLoaded, byName[goodEntry].Status)
		l := byName["mixed.zip"]
		assert.Equal(t, store.StatusRejected, l.Status, "the broken entry is logged against the zip")
		status, body, _ := srv.call(t, http.MethodGet, fmt.Sprintf("/api/v1/loads/%d/original", l.ID), tokenAcme)
		assert.Equal(t, http.StatusOK, status)
		assert.Equal(t, mixed, body)
	})

	t.Run("scan goes on after bad files", func(t *testing.T) {
		assert.Equal(t, store.StatusLoaded, byName[good].Status)
	})
}
