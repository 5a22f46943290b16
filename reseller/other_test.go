package reseller

import (
	"crypto/sha256"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCopyUnassignedWholeFile(t *testing.T) {
	in := "a.xml\nb.xml\n"
	sink := newMemSink()
	rep, err := CopyUnassigned("ElencoFile.txt", strings.NewReader(in), sink)
	require.NoError(t, err)
	require.NoError(t, rep.Check())
	assert.Equal(t, KindOther, rep.Kind)
	assert.Zero(t, rep.Input.Records)
	require.Len(t, rep.Parts, 1)
	assert.Equal(t, Unassigned, rep.Parts[0].Company)
	assert.Equal(t, "ElencoFile.txt", rep.Parts[0].Name)
	assert.Equal(t, int64(len(in)), rep.Parts[0].Size)
	assert.Equal(t, sha256.Sum256([]byte(in)), rep.Parts[0].SHA256)
	assert.Equal(t, in, string(sink.committed[Unassigned]))
}

func TestCopyUnassignedReadError(t *testing.T) {
	sink := newMemSink()
	broken := io.MultiReader(strings.NewReader("start"), errorReader{errors.New("disk gone")})
	_, err := CopyUnassigned("x.bin", broken, sink)
	require.ErrorContains(t, err, "disk gone")
	assert.Empty(t, sink.committed, "a failed copy commits nothing")
}

type errorReader struct{ err error }

func (r errorReader) Read([]byte) (int, error) { return 0, r.err }
