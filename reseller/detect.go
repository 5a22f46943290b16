package reseller

import (
	"bytes"
	"path/filepath"
	"strings"

	"github.com/bludispatcher/dispatcher/internal/archive"
)

// DetectLen is the number of first bytes of a file that DetectKind needs:
// 64 KiB, so that the header row of an RCU extract fits.
const DetectLen = 64 << 10

// gmeSniffLen is how far into an XML file DetectKind looks for the
// NewDataSet element of a GME file.
const gmeSniffLen = 4096

// DetectKind returns the kind of the file name from head, its first bytes
// (up to DetectLen). A .csv or .txt file is an RCU extract when its first
// line names the COD_POD column. An XML file is a GME file when its first
// 4 KiB contain a NewDataSet element, and a metering flow otherwise. A
// damaged .xml file still counts as a flow, so that SplitFlow reports what
// is wrong with it. Any other file, such as a .csv or .txt file without
// COD_POD, is of KindOther.
func DetectKind(name string, head []byte) Kind {
	start := head[:min(len(head), gmeSniffLen)]
	ext := strings.ToLower(filepath.Ext(name))
	switch {
	case ext == ".csv" || ext == ".txt":
		if namesCODPOD(head) {
			return KindRCU
		}
		return KindOther
	case bytes.Contains(start, []byte("<NewDataSet")):
		return KindGME
	case archive.LooksLikeXML(start), ext == ".xml":
		return KindFlow
	}
	return KindOther
}

// namesCODPOD reports whether the first line of head names the COD_POD
// column, in any case.
func namesCODPOD(head []byte) bool {
	if i := bytes.IndexByte(head, '\n'); i >= 0 {
		head = head[:i]
	}
	return bytes.Contains(bytes.ToUpper(head), []byte("COD_POD"))
}
