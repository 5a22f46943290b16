package ingest

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/server/store"
)

// TestScanKeepsBackslashInFileName loads a file whose name contains a
// backslash, a legal byte in a Linux file name, and checks that the load,
// its log line, its original and its anomalies all carry the name as it is
// on disk.
func TestScanKeepsBackslashInFileName(t *testing.T) {
	const name = `a\b.xml`
	f := newFixture(t, "")
	ctx := context.Background()
	path := filepath.Join(f.inbox(), name)
	writeFile(t, path, flowPNO)
	target := f.target
	target.Archive = ""

	rep, err := f.in.Scan(ctx, target, time.Millisecond)
	require.NoError(t, err)
	require.Len(t, rep.Files, 1)
	require.Equal(t, OutcomeDone, rep.Files[0].Outcome, rep.Files[0].Reason)
	require.Len(t, rep.Files[0].Loads, 1)
	l := rep.Files[0].Loads[0]
	assert.Equal(t, name, l.Name)
	assert.Contains(t, f.log.String(), ` name=a\b.xml `)

	orig, body, err := f.st.OpenOriginal(ctx, target.Company.ID, l.ID)
	require.NoError(t, err)
	data, err := io.ReadAll(body)
	require.NoError(t, body.Close())
	require.NoError(t, err)
	assert.Equal(t, name, orig.Name)
	assert.Equal(t, flowPNO, string(data))

	anomalies, _, err := f.st.Anomalies(ctx, target.Company.ID, l.ID, store.Page{Limit: store.MaxLimit})
	require.NoError(t, err)
	require.NotEmpty(t, anomalies, "the name is not a flow file name, which is an anomaly")
	for _, a := range anomalies {
		assert.Equal(t, name, a.File, "anomaly %s: %s", a.Rule, a.Message)
	}
}

// TestScanKeepsZipEntryName loads a zip whose name contains a backslash
// and checks that its entry's load is named after the entry alone.
func TestScanKeepsZipEntryName(t *testing.T) {
	f := newFixture(t, "")
	path := filepath.Join(f.inbox(), `x\y.zip`)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create("dir/" + flowName)
	require.NoError(t, err)
	_, err = w.Write([]byte(flowPNO))
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	writeFile(t, path, buf.String())
	target := f.target
	target.Archive = ""

	rep, err := f.in.Scan(context.Background(), target, time.Millisecond)
	require.NoError(t, err)
	require.Len(t, rep.Files, 1)
	require.Len(t, rep.Files[0].Loads, 1, rep.Files[0].Reason)
	l := rep.Files[0].Loads[0]
	assert.Equal(t, flowName, l.Name)
	assert.True(t, strings.HasSuffix(l.Path, `x\y.zip!dir/`+flowName), l.Path)
}
