package reseller

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/internal/testref"
)

// TestSplitOfficialSamples splits each official sample of version 1.8 of
// the SII standard: the first POD goes to alfa explicitly, the rest to beta
// by the file's contract. The parts must add up, break no new validator
// rule and conform to the schema as the sample does.
func TestSplitOfficialSamples(t *testing.T) {
	lint := xmllint(t)
	root := testref.Flows(t, "sii-standard-tracciati-misure-v1.8")
	xsdDir := filepath.Join(root, "xsd")
	var files []string
	err := filepath.WalkDir(filepath.Join(root, "esempi"), func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".xml") {
			files = append(files, path)
		}
		return err
	})
	require.NoError(t, err)
	require.NotEmpty(t, files)

	for _, path := range files {
		name := filepath.Base(path)
		t.Run(strings.TrimSuffix(name, ".xml"), func(t *testing.T) {
			input, err := os.ReadFile(path)
			require.NoError(t, err)
			h, recs := decodeAll(t, input)
			require.NotEmpty(t, recs)
			table := &Table{Companies: []Company{
				{ID: "alfa", PODs: []PODAssignment{{POD: recs[0].POD.Text}}},
				{ID: "beta", Contracts: []Contract{{h.SellerVAT.Text, h.DispatchingContract.Text}}},
			}}
			router, err := table.Compile()
			require.NoError(t, err)

			sink := newMemSink()
			rep, err := SplitFlow(path, bytes.NewReader(input), router, sink, FlowOptions{})
			require.NoError(t, err)
			assert.Empty(t, rep.Unassigned)
			assert.Contains(t, sink.committed, "alfa")
			checkPartsMatchReport(t, rep, sink)
			checkPartsValid(t, name, input, sink, lint, xsdDir)
		})
	}
}
