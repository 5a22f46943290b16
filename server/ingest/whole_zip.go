package ingest

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"path/filepath"
	"strings"

	"github.com/bludispatcher/dispatcher/internal/anomaly"
	"github.com/bludispatcher/dispatcher/internal/archive"
	"github.com/bludispatcher/dispatcher/server/store"
)

// isZip reports whether name ends with .zip, in any case.
func isZip(name string) bool { return strings.EqualFold(filepath.Ext(name), ".zip") }

// loadWholeZip loads each entry of the zip at c.Path whose extension the
// loader takes as one document, named by the entry and located at
// "zip!entry", the way the zip walker does for XML files. Folders, hidden
// entries, nested zips and other extensions are skipped. A zip that cannot
// be opened, entries that cannot be read and a zip with no entry to load
// are gathered into one rejected load of the zip itself.
func (in *Ingester) loadWholeZip(ctx context.Context, company Company, loader Loader, c Candidate) (loads, earlier []store.Load, err error) {
	keep := func(l store.Load, before bool) {
		if before {
			earlier = append(earlier, l)
		} else {
			loads = append(loads, l)
		}
	}
	var broken anomaly.List
	zr, err := zip.OpenReader(c.Path)
	if err != nil {
		broken = append(broken, entryAnomaly(c.Path, err))
	} else {
		defer zr.Close()
		exts := in.extensions(loader.Kind())
		for _, f := range zr.File {
			if err := ctx.Err(); err != nil {
				return loads, earlier, err
			}
			name := path.Base(f.Name)
			if f.FileInfo().IsDir() || strings.HasPrefix(name, ".") || isZip(name) || !hasExtension(name, exts) {
				continue
			}
			l, before, err := in.loadZipEntry(ctx, company, loader, c, f)
			var entryErr *archive.EntryError
			if errors.As(err, &entryErr) {
				broken = append(broken, entryAnomaly(entryErr.Path, entryErr.Err))
				continue
			}
			if err != nil {
				return loads, earlier, err
			}
			keep(l, before)
		}
	}
	if err == nil && len(loads)+len(earlier)+len(broken) == 0 {
		broken = append(broken, entryAnomaly(c.Path, fmt.Errorf("the zip contains no file for inbox kind %s: want %s",
			loader.Kind(), joinOr(withoutZip(in.extensions(loader.Kind()))))))
	}
	if len(broken) == 0 {
		return loads, earlier, nil
	}
	l, before, err := in.loadWithAnomalies(ctx, company, loader, c, broken)
	if err != nil {
		return loads, earlier, err
	}
	keep(l, before)
	return loads, earlier, nil
}

// loadZipEntry loads one zip entry as a document. A read failure of the
// entry is returned as an *archive.EntryError.
func (in *Ingester) loadZipEntry(ctx context.Context, company Company, loader Loader, c Candidate, f *zip.File) (store.Load, bool, error) {
	entryPath := c.Path + archive.Separator + f.Name
	limit := in.opts.Archive.MaxEntrySize
	if limit <= 0 {
		limit = archive.DefaultMaxEntrySize
	}
	if f.UncompressedSize64 > uint64(limit) {
		return store.Load{}, false, &archive.EntryError{Path: entryPath, Err: fmt.Errorf("%w: more than %d bytes", archive.ErrTooLarge, limit)}
	}
	rc, err := f.Open()
	if err != nil {
		return store.Load{}, false, &archive.EntryError{Path: entryPath, Err: err}
	}
	defer rc.Close()
	sp, err := newSpool(io.LimitReader(rc, limit+1), in.opts.TempDir)
	if err != nil {
		return store.Load{}, false, &archive.EntryError{Path: entryPath, Err: err}
	}
	defer sp.Close()
	if sp.size > limit {
		return store.Load{}, false, &archive.EntryError{Path: entryPath, Err: fmt.Errorf("%w: more than %d bytes", archive.ErrTooLarge, limit)}
	}
	return in.loadDocument(ctx, company, loader, c, path.Base(f.Name), entryPath, sp, nil)
}

// withoutZip returns exts without ".zip".
func withoutZip(exts []string) []string {
	out := make([]string, 0, len(exts))
	for _, e := range exts {
		if e != ".zip" {
			out = append(out, e)
		}
	}
	return out
}
