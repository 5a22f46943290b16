package gme

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
)

// ErrEntryTooLarge reports a zip entry whose uncompressed size exceeds the
// limit given to WalkZip.
var ErrEntryTooLarge = errors.New("zip entry too large")

// DefaultMaxEntrySize is the uncompressed size limit WalkZip applies when
// the caller passes 0. A 15-minute price file of one day is about 150 KB,
// so the limit only stops hostile archives.
const DefaultMaxEntrySize = 256 << 20

// ZipError describes a zip entry that could not be opened or read.
type ZipError struct {
	Entry string // entry name inside the archive
	Err   error
}

// Error returns the entry name and the cause.
func (e *ZipError) Error() string { return fmt.Sprintf("gme: zip entry %q: %v", e.Entry, e.Err) }

// Unwrap returns the cause.
func (e *ZipError) Unwrap() error { return e.Err }

// WalkZip calls fn with a Reader for every file entry of zr, in archive
// order, skipping folders. The GME daily price archive holds the hourly
// MGPPrezzi and the 15-minute MGPPrezzi15 files side by side. Each Record
// takes its Kind from the row element, not from the entry name. An entry
// larger than maxEntrySize bytes uncompressed (DefaultMaxEntrySize when 0)
// makes its Reader fail with ErrEntryTooLarge. WalkZip stops at the first
// error that fn returns.
func WalkZip(zr *zip.Reader, maxEntrySize int64, fn func(entry string, r *Reader) error) error {
	if maxEntrySize <= 0 {
		maxEntrySize = DefaultMaxEntrySize
	}
	for _, f := range zr.File {
		if f.FileInfo().IsDir() {
			continue
		}
		if err := walkEntry(f, maxEntrySize, fn); err != nil {
			return err
		}
	}
	return nil
}

func walkEntry(f *zip.File, maxEntrySize int64, fn func(entry string, r *Reader) error) error {
	rc, err := f.Open()
	if err != nil {
		return &ZipError{Entry: f.Name, Err: err}
	}
	defer rc.Close()
	limited := &limitReader{r: rc, n: maxEntrySize, entry: f.Name}
	return fn(f.Name, NewReader(limited))
}

// limitReader fails with ErrEntryTooLarge, instead of a silent EOF, once
// more than n bytes have been read.
type limitReader struct {
	r     io.Reader
	n     int64
	entry string
}

func (l *limitReader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	if int64(len(p)) > l.n {
		p = p[:l.n+1]
	}
	n, err := l.r.Read(p)
	l.n -= int64(n)
	if l.n < 0 {
		return 0, &ZipError{Entry: l.entry, Err: ErrEntryTooLarge}
	}
	return n, err
}
