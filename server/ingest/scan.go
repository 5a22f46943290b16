package ingest

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
)

// Candidate is one file found in an inbox.
type Candidate struct {
	// Company is the id of the company that owns the inbox.
	Company string
	// Kind is the file kind of the inbox, such as "flows".
	Kind string
	// Inbox is the inbox folder the file was found in.
	Inbox string
	// Path is the file's path (the inbox joined with Rel).
	Path string
	// Rel is the path relative to the inbox, with forward slashes.
	Rel string
	// Size is the size in bytes at the last look.
	Size int64
	// ModTime is the modification time at the last look.
	ModTime time.Time
}

// Skipped is a file of an inbox that no loader takes, or a folder that
// could not be read.
type Skipped struct {
	Path   string
	Reason string
}

// Supported extensions, compared without regard to case.
var loadableExt = map[string]bool{".xml": true, ".zip": true}

// IsLoadable reports whether the file name has an extension the loaders
// take: .xml or .zip, in any case.
func IsLoadable(name string) bool {
	return loadableExt[strings.ToLower(filepath.Ext(name))]
}

// List returns the loadable files of inbox and of up to maxDepth levels of
// subfolders below it, sorted by path, and the files and folders it
// skipped. Hidden files and folders (name starting with ".") are ignored
// without a report, because copy tools use them for partial files. A
// missing inbox is created.
func List(inbox string, maxDepth int) ([]Candidate, []Skipped, error) {
	return ListExtensions(inbox, maxDepth, defaultExtensions)
}

// ListExtensions is List for the files whose extension is one of exts,
// lower-case with the dot (such as ".csv"), compared without regard to case.
func ListExtensions(inbox string, maxDepth int, exts []string) ([]Candidate, []Skipped, error) {
	if err := os.MkdirAll(inbox, 0o755); err != nil {
		return nil, nil, err
	}
	var found []Candidate
	var skipped []Skipped
	err := filepath.WalkDir(inbox, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if path == inbox {
				return err
			}
			skipped = append(skipped, Skipped{Path: path, Reason: err.Error()})
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if path == inbox {
			return nil
		}
		rel, _ := filepath.Rel(inbox, path)
		depth := strings.Count(filepath.ToSlash(rel), "/")
		if strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if depth >= maxDepth {
				skipped = append(skipped, Skipped{Path: path, Reason: "folder deeper than the scanned levels"})
				return fs.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			skipped = append(skipped, Skipped{Path: path, Reason: "not a regular file"})
			return nil
		}
		if !hasExtension(d.Name(), exts) {
			skipped = append(skipped, Skipped{Path: path, Reason: "unknown file type: want " + joinOr(exts)})
			return nil
		}
		info, err := d.Info()
		if err != nil {
			if !errors.Is(err, fs.ErrNotExist) {
				skipped = append(skipped, Skipped{Path: path, Reason: err.Error()})
			}
			return nil
		}
		found = append(found, Candidate{
			Inbox:   inbox,
			Path:    path,
			Rel:     filepath.ToSlash(rel),
			Size:    info.Size(),
			ModTime: info.ModTime(),
		})
		return nil
	})
	sort.Slice(found, func(i, j int) bool { return found[i].Path < found[j].Path })
	return found, skipped, err
}

// Settler finds the files that have stopped changing: a file is stable
// when its size and modification time are the same at two looks. It is safe for
// concurrent use.
type Settler struct {
	mu   sync.Mutex
	seen map[string]look
}

type look struct {
	size    int64
	modTime time.Time
}

// NewSettler returns a Settler that has seen nothing yet.
func NewSettler() *Settler {
	return &Settler{seen: map[string]look{}}
}

// Observe records one look at the candidates and returns those whose size
// and modification time match the previous look. Files absent from this
// look are forgotten, so a file that comes back is looked at twice again.
func (s *Settler) Observe(cands []Candidate) []Candidate {
	s.mu.Lock()
	defer s.mu.Unlock()
	next := make(map[string]look, len(cands))
	var stable []Candidate
	for _, c := range cands {
		now := look{size: c.Size, modTime: c.ModTime}
		if prev, ok := s.seen[c.Path]; ok && prev.size == now.size && prev.modTime.Equal(now.modTime) {
			stable = append(stable, c)
		}
		next[c.Path] = now
	}
	s.seen = next
	return stable
}

// Forget drops what is known of path, after it was loaded or moved.
func (s *Settler) Forget(path string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.seen, path)
}
