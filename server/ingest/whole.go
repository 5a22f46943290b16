package ingest

import (
	"context"
	"os"
	"path/filepath"
	"strings"

	"github.com/bludispatcher/dispatcher/internal/anomaly"
	"github.com/bludispatcher/dispatcher/reseller"
	"github.com/bludispatcher/dispatcher/server/store"
)

// WholeFileLoader is a Loader that takes some inbox files whole, as one
// document, instead of one document per XML file or zip entry: delimited
// text, spreadsheets and signed files, which the zip walker would reject
// or open as archives.
type WholeFileLoader interface {
	Loader
	// WholeFile reports whether the inbox file name is loaded whole.
	WholeFile(name string) bool
}

// EntryHeadLen is the maximum number of first bytes of a zip entry passed
// to AllEntriesLoader.SkipEntry. It is the length reseller.DetectKind
// reads (64 KiB, so that the first line of a delimited file fits), because
// the group loader sorts entries with it.
const EntryHeadLen = reseller.DetectLen

// AllEntriesLoader is a Loader whose zips go through the zip walker with
// every visible entry, not only the XML files, because it sorts entries by
// content itself. The walker still skips folders and entries whose names
// start with a dot.
type AllEntriesLoader interface {
	Loader
	// SkipEntry reports whether the loader leaves out the zip entry at
	// path, named name, whose declared uncompressed size is size (-1 when
	// unknown) and whose first bytes are head (up to EntryHeadLen). An
	// entry left out is not read further. The returned anomaly, a warning
	// that names the entry, goes into a load of the zip itself, whose
	// original is the whole zip.
	SkipEntry(path, name string, size int64, head []byte) (anomaly.Anomaly, bool)
}

// ExtensionLoader is a Loader that accepts other file extensions than the
// default .xml and .zip.
type ExtensionLoader interface {
	Loader
	// Extensions returns the accepted extensions, lower-case with the dot,
	// such as ".csv".
	Extensions() []string
}

// defaultExtensions are the extensions of loaders that do not list theirs.
var defaultExtensions = []string{".xml", ".zip"}

// Extensions returns the extensions the loader of kind takes, lower-case
// with the dot: those of an ExtensionLoader, else .xml and .zip.
func (r *Registry) Extensions(kind string) []string {
	if l, ok := r.Loader(kind); ok {
		if el, ok := l.(ExtensionLoader); ok {
			return el.Extensions()
		}
	}
	return defaultExtensions
}

// extensions returns the extensions the loader of kind takes.
func (in *Ingester) extensions(kind string) []string { return in.loaders.Extensions(kind) }

// hasExtension reports whether name ends with one of exts, in any case.
func hasExtension(name string, exts []string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	for _, e := range exts {
		if e == ext {
			return true
		}
	}
	return false
}

// joinOr joins extensions as ".a, .b or .c".
func joinOr(exts []string) string {
	if len(exts) < 2 {
		return strings.Join(exts, "")
	}
	return strings.Join(exts[:len(exts)-1], ", ") + " or " + exts[len(exts)-1]
}

// loadWhole loads the inbox file as one document, or each entry of a zip
// as one document (see loadWholeZip).
func (in *Ingester) loadWhole(ctx context.Context, company Company, loader Loader, c Candidate) (loads, earlier []store.Load, err error) {
	if isZip(c.Path) {
		return in.loadWholeZip(ctx, company, loader, c)
	}
	f, err := os.Open(c.Path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	sp, err := newSpool(f, in.opts.TempDir)
	if err != nil {
		return nil, nil, err
	}
	defer sp.Close()
	l, before, err := in.loadDocument(ctx, company, loader, c, filepath.Base(c.Path), c.Path, sp, nil)
	if err != nil {
		return nil, nil, err
	}
	if before {
		return nil, []store.Load{l}, nil
	}
	return []store.Load{l}, nil, nil
}
