package ingest

import (
	"context"
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/bludispatcher/dispatcher/server/store"
)

// Document is one file to load: a file of an inbox, or one entry of a zip
// found there.
type Document struct {
	// Name is the file name without folders, such as
	// "01234567890_12345678901_201301_PNO_20130218060523_1DP0001_R.xml".
	Name string
	// Path is the location the document was found at: the inbox file,
	// followed by "!" and the entry names when it comes from a zip.
	Path string
	// SHA256 is the digest of the document's bytes.
	SHA256 [32]byte
	// Body streams the document's bytes from the start.
	Body io.Reader
}

// Company is the company a document is loaded for, as loaders see it.
type Company struct {
	// ID is the company's id in the store.
	ID store.CompanyID
	// Code is the company's id in the configuration.
	Code string
	// VAT is the company's VAT number; empty when not configured.
	VAT string
}

// Loader loads the documents of one file kind. A new kind (SII extracts,
// GME prices, invoices) is a new Loader registered in a Registry, and it
// shares the scanning, claims, duplicates, originals and archive moves.
type Loader interface {
	// Kind returns the kind name used in the configuration's inboxes,
	// such as "flows".
	Kind() string
	// Load reads doc and writes its records and anomalies through tx. A
	// document that cannot be parsed is not an error: it is reported as
	// a blocking file-level anomaly, so the load is logged as rejected.
	// Load returns an error only when writing to the store fails; the
	// caller then rolls the load back and leaves the file in its inbox.
	Load(ctx context.Context, company Company, doc Document, tx store.LoadTx) error
}

// RepeatMatcher is a Loader whose documents take part of their identity
// from the file name, so equal bytes under another name can be a new
// document rather than a duplicate.
type RepeatMatcher interface {
	// Repeats reports whether the document name repeats an earlier load
	// of the same bytes, named prevName and started at prevStarted.
	Repeats(name, prevName string, prevStarted time.Time) bool
}

// Registry maps file kinds to their loaders.
type Registry struct {
	loaders map[string]Loader
}

// NewRegistry returns a registry of the given loaders. Two loaders of the
// same kind are an error.
func NewRegistry(loaders ...Loader) (*Registry, error) {
	r := &Registry{loaders: map[string]Loader{}}
	for _, l := range loaders {
		if _, dup := r.loaders[l.Kind()]; dup {
			return nil, fmt.Errorf("ingest: two loaders for kind %q", l.Kind())
		}
		r.loaders[l.Kind()] = l
	}
	return r, nil
}

// Loader returns the loader of kind, or false.
func (r *Registry) Loader(kind string) (Loader, bool) {
	l, ok := r.loaders[kind]
	return l, ok
}

// Kinds returns the registered kinds, sorted.
func (r *Registry) Kinds() []string {
	out := make([]string, 0, len(r.loaders))
	for k := range r.loaders {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
