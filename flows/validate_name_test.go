package flows_test

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/flows"
	"github.com/bludispatcher/dispatcher/flows/flowgen"
	"github.com/bludispatcher/dispatcher/internal/archive"
)

// generatedFlow returns a valid PNO flow and its file name.
func generatedFlow(t *testing.T) ([]byte, string) {
	t.Helper()
	gen, err := flowgen.New(flowgen.Options{FlowCode: "PNO", PODs: 1, Seed: 3})
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, gen.Write(&buf))
	return buf.Bytes(), gen.FileName().String()
}

// TestValidateFileBangInName is the regression test for a "!" in the name
// of a file on disk, which was taken for an archive boundary: a!b.xml was
// reported as b.xml.
func TestValidateFileBangInName(t *testing.T) {
	data, flowName := generatedFlow(t)
	dir := t.TempDir()
	tests := []struct {
		name     string
		wantFile string
	}{
		{"a!b.xml", "a!b.xml"},
		{"x!" + flowName, "x!" + flowName},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, tc.name)
			require.NoError(t, os.WriteFile(path, data, 0o644))
			f, err := os.Open(path)
			require.NoError(t, err)
			defer f.Close()
			rep, err := flows.ValidateFile(path, f, flows.ValidateOptions{})
			require.NoError(t, err)
			assert.Equal(t, tc.wantFile, rep.File)
			require.NotEmpty(t, rep.Anomalies, "the name is not a flow name")
			for _, a := range rep.Anomalies {
				assert.Equal(t, tc.wantFile, a.File, a.Message)
			}
		})
	}
}

// TestValidateFileZipEntryName validates the entry of a real zip by the
// name the zip walker gives it: the archive boundary comes from the walk,
// not from the "!" in the path.
func TestValidateFileZipEntryName(t *testing.T) {
	data, flowName := generatedFlow(t)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create(flowName)
	require.NoError(t, err)
	_, err = w.Write(data)
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	outer := filepath.Join(t.TempDir(), "outer.zip")
	require.NoError(t, os.WriteFile(outer, buf.Bytes(), 0o644))

	var reports []flows.Report
	var paths []string
	err = archive.WalkFile(outer, archive.Options{}, func(e archive.Entry) error {
		require.NoError(t, e.Err)
		rep, err := flows.ValidateFile(e.Name, e.Reader, flows.ValidateOptions{})
		reports = append(reports, rep)
		paths = append(paths, e.Path)
		return err
	})
	require.NoError(t, err)
	require.Len(t, reports, 1)
	assert.Equal(t, outer+"!"+flowName, paths[0])
	assert.Equal(t, flowName, reports[0].File)
	assert.Equal(t, "PNO", reports[0].FlowCode)
	assert.False(t, reports[0].FileBlocked, "%v", reports[0].Anomalies)
	for _, a := range reports[0].Anomalies {
		assert.Equal(t, flowName, a.File, a.Message)
	}
}

func TestParseFileNameKeepsBang(t *testing.T) {
	_, flowName := generatedFlow(t)
	got, err := flows.ParseFileName("inbox/" + flowName)
	require.NoError(t, err)
	assert.Equal(t, "PNO", got.FlowCode)

	_, err = flows.ParseFileName("inbox/outer.zip!" + flowName)
	var nameErr *flows.FileNameError
	require.ErrorAs(t, err, &nameErr, "an archive path is not a flow name")
	assert.Equal(t, "inbox/outer.zip!"+flowName, nameErr.Name)
}
