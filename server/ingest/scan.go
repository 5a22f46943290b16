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

	// loadStarted is when the present load of the file started, set once
	// it is claimed.
	loadStarted time.Time
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
// when its size and modification time are the same at two looks at least
// Quiet apart, and its modification time is at least Quiet old. A writer
// that pauses for less than Quiet therefore never has its partial file
// loaded. It is safe for concurrent use.
type Settler struct {
	// Quiet is the minimum time a file must stay unchanged. Zero requires
	// two equal looks only.
	Quiet time.Duration
	// Now returns the current time (time.Now when nil).
	Now func() time.Time

	mu   sync.Mutex
	seen map[string]look
	held map[string]look
}

type look struct {
	size    int64
	modTime time.Time
	// since is when this size and modification time were first seen.
	since time.Time
	// until, for a held file, is when the hold ends. Zero holds it until
	// it changes.
	until time.Time
}

func (l look) same(o look) bool { return l.size == o.size && l.modTime.Equal(o.modTime) }

// NewSettler returns a Settler that has seen nothing yet.
func NewSettler() *Settler {
	return &Settler{seen: map[string]look{}, held: map[string]look{}}
}

// Observe records one look at the candidates and returns those that are
// stable (see Settler). Files absent from this look are forgotten, so a
// file that comes back is looked at twice again. A held file is not
// returned until its size or modification time changes, or its hold
// ends (see HoldUntil).
func (s *Settler) Observe(cands []Candidate) []Candidate {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	if s.Now != nil {
		now = s.Now()
	}
	next := make(map[string]look, len(cands))
	held := make(map[string]look, len(s.held))
	var stable []Candidate
	for _, c := range cands {
		cur := look{size: c.Size, modTime: c.ModTime, since: now}
		if h, ok := s.held[c.Path]; ok && h.same(cur) && (h.until.IsZero() || now.Before(h.until)) {
			held[c.Path] = h
			continue
		}
		prev, ok := s.seen[c.Path]
		if ok && prev.same(cur) {
			cur.since = prev.since
			if now.Sub(prev.since) >= s.Quiet && now.Sub(c.ModTime) >= s.Quiet {
				stable = append(stable, c)
			}
		}
		next[c.Path] = cur
	}
	s.seen = next
	s.held = held
	return stable
}

// Forget drops what is known of path, after it was loaded or moved.
func (s *Settler) Forget(path string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.seen, path)
	delete(s.held, path)
}

// Hold keeps c out of the stable files until its size or modification
// time changes, for a file left in its inbox after its load, such as one
// that ends before its XML is complete.
func (s *Settler) Hold(c Candidate) { s.HoldUntil(c, time.Time{}) }

// HoldUntil is Hold with an end: from until on, an unchanged c counts as
// a file seen for the first time, so it is stable again after two looks.
// A zero until holds c until it changes.
func (s *Settler) HoldUntil(c Candidate, until time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.seen, c.Path)
	s.held[c.Path] = look{size: c.Size, modTime: c.ModTime, until: until}
}

// Held returns how many files are held at the last look.
func (s *Settler) Held() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.held)
}
