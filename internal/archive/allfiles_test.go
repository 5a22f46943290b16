package archive

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWalkAllFiles(t *testing.T) {
	inner := buildZip(t, file{name: "RCU_202510.csv", data: []byte("COD_POD;PIVA_CC\n")})
	data := buildZip(t,
		file{name: "a.xml", data: []byte(sampleXML)},
		file{name: "ElencoFile.txt", data: []byte("a.xml\n")},
		file{name: "docs/report.pdf", data: []byte("%PDF-1.7")},
		file{name: "__MACOSX/._a.csv", data: []byte("\x00\x05\x16\x07")},
		file{name: "inner.zip", data: inner},
	)
	type want struct {
		path    string
		depth   int
		data    string
		skipped bool
	}
	tests := []struct {
		name string
		opts Options
		want []want
	}{
		{"only XML by default", Options{}, []want{
			{"in.zip!a.xml", 1, sampleXML, false},
			{"in.zip!ElencoFile.txt", 1, "", true},
			{"in.zip!docs/report.pdf", 1, "", true},
			{"in.zip!__MACOSX/._a.csv", 1, "", true},
			{"in.zip!inner.zip!RCU_202510.csv", 2, "", true},
		}},
		{"every visible file", Options{AllFiles: true}, []want{
			{"in.zip!a.xml", 1, sampleXML, false},
			{"in.zip!ElencoFile.txt", 1, "a.xml\n", false},
			{"in.zip!docs/report.pdf", 1, "%PDF-1.7", false},
			{"in.zip!__MACOSX/._a.csv", 1, "", true},
			{"in.zip!inner.zip!RCU_202510.csv", 2, "COD_POD;PIVA_CC\n", false},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := walkAll(t, "in.zip", data, tc.opts)
			require.Len(t, got, len(tc.want))
			for i, w := range tc.want {
				assert.Equal(t, w.path, got[i].path)
				assert.Equal(t, w.depth, got[i].depth, w.path)
				if w.skipped {
					assert.ErrorIs(t, got[i].err, ErrNotXML, w.path)
					continue
				}
				assert.NoError(t, got[i].err, w.path)
				assert.Equal(t, w.data, got[i].data, w.path)
			}
		})
	}
}

func TestWalkAllFilesPlainFile(t *testing.T) {
	got := walkAll(t, "dir/RCU_202510.csv", []byte("COD_POD;PIVA_CC\n"), Options{AllFiles: true})
	require.Len(t, got, 1)
	assert.NoError(t, got[0].err)
	assert.Equal(t, "COD_POD;PIVA_CC\n", got[0].data)
}

func TestWalkAllFilesRecovered(t *testing.T) {
	data := buildZip(t,
		file{name: "RCU_202510.csv", data: []byte("COD_POD;PIVA_CC\n")},
		file{name: "a.xml", data: []byte(sampleXML)},
	)
	// Without its central directory the zip is read from its local headers.
	cut := data[:len(data)-60]
	got := walkAll(t, "in.zip", cut, Options{AllFiles: true})
	require.NotEmpty(t, got)
	assert.ErrorIs(t, got[0].err, ErrCorrupt, "the missing end record is reported first")
	var paths []string
	for _, s := range got[1:] {
		if s.err == nil {
			paths = append(paths, s.path)
		}
	}
	assert.Contains(t, paths, "in.zip!RCU_202510.csv")
}
