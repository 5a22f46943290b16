package archive

import (
	"archive/zip"
	"bufio"
	"bytes"
	"errors"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// Separator joins the names of an archive chain in Entry.Path, as in
// "outer.zip!inner.zip!file.xml".
const Separator = "!"

// Default limits used when an Options field is zero.
const (
	// DefaultMaxDepth allows a zip inside a zip inside a zip.
	DefaultMaxDepth = 3
	// DefaultMaxEntrySize is 512 MiB: twenty times the 25 MB limit the SII
	// standard sets for one uncompressed flow file, so generated benchmark
	// files also fit.
	DefaultMaxEntrySize = 512 << 20
	// DefaultMaxTotalSize is 8 GiB of uncompressed data per walk.
	DefaultMaxTotalSize = 8 << 30
	// DefaultMaxEntries is the entry count above which an archive is
	// treated as hostile.
	DefaultMaxEntries = 100_000
	// DefaultMaxInMemory is 32 MiB: a nested zip up to this size is held in
	// memory, a larger one is copied to a temporary file.
	DefaultMaxInMemory = 32 << 20
)

// Options are the limits of a walk. A zero field takes its default.
type Options struct {
	// MaxDepth is the maximum number of zips around an entry.
	MaxDepth int
	// MaxEntrySize is the maximum uncompressed size of one entry, in bytes.
	MaxEntrySize int64
	// MaxTotalSize is the maximum uncompressed bytes read from archives in
	// one walk. Plain files given at the top are not counted.
	MaxTotalSize int64
	// MaxEntries is the maximum number of entries in one archive.
	MaxEntries int
	// MaxInMemory is the size up to which a nested zip is buffered in
	// memory before it is spilled to a temporary file.
	MaxInMemory int64
	// TempDir is the folder of those temporary files ("" for os.TempDir).
	TempDir string
	// AllFiles makes the walk yield every entry that is not a zip, whatever
	// its kind, for a caller that sorts entries by content itself. An
	// entry whose name starts with a dot is still reported with ErrNotXML,
	// because copy tools and macOS archivers write such hidden files
	// beside the real ones.
	AllFiles bool
}

func (o Options) withDefaults() Options {
	if o.MaxDepth <= 0 {
		o.MaxDepth = DefaultMaxDepth
	}
	if o.MaxEntrySize <= 0 {
		o.MaxEntrySize = DefaultMaxEntrySize
	}
	if o.MaxTotalSize <= 0 {
		o.MaxTotalSize = DefaultMaxTotalSize
	}
	if o.MaxEntries <= 0 {
		o.MaxEntries = DefaultMaxEntries
	}
	if o.MaxInMemory <= 0 {
		o.MaxInMemory = DefaultMaxInMemory
	}
	return o
}

// Entry is one XML file found by a walk (any file with Options.AllFiles),
// or one input that could not be read. Exactly one of Reader and Err is
// set.
type Entry struct {
	// Path is the input name followed by the entry names of each enclosing
	// archive, joined by Separator.
	Path string
	// Name is the file name: filepath.Base of Path for the file on disk,
	// and for an archive entry its name without folders, split on "/" or
	// "\" as archivers on Windows write them.
	Name string
	// Size is the uncompressed size in bytes declared by the archive, or
	// the file size of a plain file.
	Size int64
	// Depth is the number of zips around the entry (0 for a plain file).
	Depth int
	// Reader streams the entry's bytes. It is valid only during the callback.
	// Read errors wrap ErrCorrupt or ErrTooLarge in an *EntryError.
	Reader io.Reader
	// Err is the reason the entry cannot be read: an *EntryError wrapping
	// one of the sentinels. ErrNotXML marks an entry that was skipped.
	Err error
}

// WalkFile opens the file at name and walks it like Walk. A file that
// cannot be opened is reported to fn as an entry with ErrOpen.
func WalkFile(name string, opts Options, fn func(Entry) error) error {
	f, err := os.Open(name)
	if err != nil {
		return fn(Entry{Path: name, Name: filepath.Base(name), Err: entryError(name, ErrOpen, err)})
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return fn(Entry{Path: name, Name: filepath.Base(name), Err: entryError(name, ErrOpen, err)})
	}
	return Walk(name, f, info.Size(), opts, fn)
}

// Walk calls fn for each XML file in the input r of the given size: once
// for a plain XML file, once per XML entry of a zip, recursively for zips
// inside zips. Damaged parts reach fn as entries with Err set, and the walk
// continues. Walk returns the first error fn returns, and stops there.
func Walk(name string, r io.ReaderAt, size int64, opts Options, fn func(Entry) error) error {
	w := &walker{opts: opts.withDefaults(), fn: fn}
	head := make([]byte, 512)
	n, err := r.ReadAt(head, 0)
	if err != nil && !errors.Is(err, io.EOF) {
		return fn(Entry{Path: name, Name: filepath.Base(name), Err: entryError(name, ErrOpen, err)})
	}
	switch w.kindOf(filepath.Base(name), head[:n]) {
	case kindZip:
		return w.walkZip(place{path: name, name: filepath.Base(name)}, r, size, 1)
	case kindXML, kindAny:
		return fn(Entry{Path: name, Name: filepath.Base(name), Size: size, Reader: io.NewSectionReader(r, 0, size)})
	}
	return fn(Entry{Path: name, Name: filepath.Base(name), Size: size, Err: entryError(name, ErrNotXML, nil)})
}

type walker struct {
	opts  Options
	fn    func(Entry) error
	total int64 // uncompressed bytes read from archives so far
}

// place is the location of an entry or archive: its archive path and its
// own file name. The two are kept apart because a "!" is a legal byte of
// a file name and of a zip entry name, so the path cannot be split again.
type place struct {
	// path is the input name followed by the entry names, joined by
	// Separator.
	path string
	// name is the file name without folders.
	name string
}

// child returns the place of the entry entryName of the archive at p.
func (p place) child(entryName string) place {
	return place{path: p.path + Separator + entryName, name: entryBase(entryName)}
}

func (w *walker) report(at place, depth int, size int64, sentinel, cause error) error {
	return w.fn(Entry{Path: at.path, Name: at.name, Size: size, Depth: depth, Err: entryError(at.path, sentinel, cause)})
}

// walkZip walks the archive found at the given place, and depth counts it
// among the zips. An archive whose central directory is missing or damaged is
// reported as a corrupt entry, and then its entries are recovered from
// their local headers.
func (w *walker) walkZip(at place, r io.ReaderAt, size int64, depth int) error {
	if depth > w.opts.MaxDepth {
		return w.report(at, depth-1, size, ErrTooDeep, nil)
	}
	zr, err := zip.NewReader(r, size)
	if err == nil {
		err = foreignEndRecord(r, size)
	}
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		if err := w.report(at, depth-1, size, ErrCorrupt, err); err != nil {
			return err
		}
		return w.recoverEntries(at, r, size, depth)
	}
	for i, f := range zr.File {
		if i >= w.opts.MaxEntries {
			return w.report(at, depth-1, size, ErrTooManyEntries, nil)
		}
		if strings.HasSuffix(f.Name, "/") {
			continue // folder entry
		}
		if err := w.walkFile(at.child(f.Name), f, depth); err != nil {
			return err
		}
	}
	return nil
}

// walkFile reads one zip entry, and depth is the number of zips around it.
func (w *walker) walkFile(at place, f *zip.File, depth int) error {
	declared := int64(f.UncompressedSize64)
	if f.UncompressedSize64 > 1<<62 {
		declared = 1 << 62
	}
	switch {
	case !safeName(f.Name):
		return w.report(at, depth, declared, ErrUnsafeName, nil)
	case f.Flags&0x1 != 0:
		return w.report(at, depth, declared, ErrEncrypted, nil)
	case f.Method != zip.Store && f.Method != zip.Deflate:
		return w.report(at, depth, declared, ErrUnsupported, nil)
	case declared > w.opts.MaxEntrySize || w.total+declared > w.opts.MaxTotalSize:
		return w.report(at, depth, declared, ErrTooLarge, nil)
	}
	rc, err := f.Open()
	if err != nil {
		return w.report(at, depth, declared, ErrCorrupt, err)
	}
	defer rc.Close()
	lr := &limitedReader{w: w, r: rc, path: at.path, max: w.opts.MaxEntrySize}
	br := bufio.NewReaderSize(lr, 4096)
	head, err := br.Peek(512)
	if err != nil && !errors.Is(err, io.EOF) {
		return w.fn(Entry{Path: at.path, Name: at.name, Size: declared, Depth: depth, Err: err})
	}
	switch w.kindOf(at.name, head) {
	case kindZip:
		return w.walkNested(at, br, declared, depth+1)
	case kindXML, kindAny:
		return w.fn(Entry{Path: at.path, Name: at.name, Size: declared, Depth: depth, Reader: br})
	}
	return w.report(at, depth, declared, ErrNotXML, nil)
}

// walkNested buffers a nested zip, in memory or in a temporary file,
// because archive/zip needs random access, and walks it.
func (w *walker) walkNested(at place, r io.Reader, declared int64, depth int) error {
	if depth > w.opts.MaxDepth {
		return w.report(at, depth-1, declared, ErrTooDeep, nil)
	}
	var buf bytes.Buffer
	n, err := io.CopyN(&buf, r, w.opts.MaxInMemory+1)
	if err != nil && !errors.Is(err, io.EOF) {
		return w.fn(Entry{Path: at.path, Name: at.name, Size: declared, Depth: depth - 1, Err: err})
	}
	if n <= w.opts.MaxInMemory {
		return w.walkZip(at, bytes.NewReader(buf.Bytes()), n, depth)
	}

	tmp, err := os.CreateTemp(w.opts.TempDir, "archive-*.zip")
	if err != nil {
		return w.report(at, depth-1, declared, ErrOpen, err)
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	if _, err := buf.WriteTo(tmp); err != nil {
		return w.report(at, depth-1, declared, ErrOpen, err)
	}
	buf = bytes.Buffer{}

	rest, err := io.Copy(tmp, r)
	if err != nil {
		var ee *EntryError
		if errors.As(err, &ee) {
			return w.fn(Entry{Path: at.path, Name: at.name, Size: declared, Depth: depth - 1, Err: err})
		}
		return w.report(at, depth-1, declared, ErrOpen, err)
	}
	return w.walkZip(at, tmp, n+rest, depth)
}

// limitedReader counts the bytes of one entry against the entry and total
// limits, and turns read failures into *EntryError values.
type limitedReader struct {
	w    *walker
	r    io.Reader
	path string
	max  int64
	n    int64
	err  error
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	n, err := l.r.Read(p)
	l.n += int64(n)
	l.w.total += int64(n)
	switch {
	case l.n > l.max || l.w.total > l.w.opts.MaxTotalSize:
		l.err = entryError(l.path, ErrTooLarge, nil)
		return 0, l.err
	case err != nil && !errors.Is(err, io.EOF):
		l.err = entryError(l.path, ErrCorrupt, err)
		return n, l.err
	}
	return n, err
}

type kind int

const (
	kindOther kind = iota
	kindXML
	kindZip
	// kindAny is a file of another kind, yielded under Options.AllFiles.
	kindAny
)

// kindOf returns classify(name, head), or kindAny for another file when
// Options.AllFiles is set and the name, which has no folders, does not
// start with a dot.
func (w *walker) kindOf(name string, head []byte) kind {
	k := classify(name, head)
	if k == kindOther && w.opts.AllFiles && !strings.HasPrefix(name, ".") {
		return kindAny
	}
	return k
}

// classify distinguishes a zip from an XML file by the first bytes, then
// by name.
func classify(name string, head []byte) kind {
	lower := strings.ToLower(name)
	switch {
	case bytes.HasPrefix(head, []byte("PK\x03\x04")), bytes.HasPrefix(head, []byte("PK\x05\x06")):
		return kindZip
	case LooksLikeXML(head):
		return kindXML
	case strings.HasSuffix(lower, ".zip"):
		return kindZip // damaged: zip.NewReader reports it
	case strings.HasSuffix(lower, ".xml"):
		return kindXML // damaged or empty: the XML decoder reports it
	}
	return kindOther
}

// LooksLikeXML reports whether head starts with "<" after an optional
// UTF-8 byte order mark and white space.
func LooksLikeXML(head []byte) bool {
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	head = bytes.TrimLeft(head, " \t\r\n")
	return len(head) > 0 && head[0] == '<'
}

// safeName reports whether a zip entry name stays inside the archive's
// root: not absolute, no ".." element, no drive letter, no NUL byte.
func safeName(name string) bool {
	if name == "" || strings.ContainsRune(name, 0) {
		return false
	}
	slashed := strings.ReplaceAll(name, `\`, "/")
	if strings.HasPrefix(slashed, "/") {
		return false
	}
	if len(slashed) >= 2 && slashed[1] == ':' {
		return false
	}
	for _, elem := range strings.Split(slashed, "/") {
		if elem == ".." {
			return false
		}
	}
	return true
}

// entryBase returns the name of a zip entry without folders, split on "/"
// or "\" as archivers on Windows write them.
func entryBase(name string) string {
	return path.Base(strings.ReplaceAll(name, `\`, "/"))
}
