package ingest

import (
	"context"
	"os"
	"path/filepath"
	"strings"

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

// AllEntriesLoader is a Loader whose zips go through the zip walker and
// that takes every visible entry of them as a document, not only the XML
// files, because it sorts entries by content itself. The walker still
// skips folders and entries whose names start with a dot.
type AllEntriesLoader interface {
	Loader
	// AllEntries reports whether the loader takes every visible entry.
	AllEntries() bool
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
