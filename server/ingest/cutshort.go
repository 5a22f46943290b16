package ingest

import (
	"archive/zip"
	"errors"
	"io"
	"os"

	"github.com/bludispatcher/dispatcher/internal/archive"
)

// cutShortZip reports whether err, found walking the inbox file at path,
// shows a zip cut short: the file starts with a zip local file header but
// has no end of central directory record, as a zip still being written
// has. A zip damaged in another way is not cut short.
//
// NOTE: a zip that is corrupt but starts with a local header and lacks
// the end record looks the same, so it also stays in its inbox until an
// operator replaces or removes it.
func cutShortZip(path string, err error) bool {
	if !errors.Is(err, archive.ErrCorrupt) || !errors.Is(err, zip.ErrFormat) {
		return false
	}
	f, openErr := os.Open(path)
	if openErr != nil {
		return false
	}
	defer f.Close()
	magic := make([]byte, 4)
	if _, readErr := io.ReadFull(f, magic); readErr != nil {
		return false
	}
	return string(magic) == "PK\x03\x04"
}
