// Package archive walks an input that may be a plain XML file, a zip
// archive with one or more XML entries, or zips nested inside zips, and
// yields each XML entry as a stream. Distributors and the SII deliver
// metering flows zipped, one XML per zip, and batches of them are often
// zipped again.
//
// A damaged entry (corrupt, truncated, encrypted, too large, with an unsafe
// name) is reported through Entry.Err and the walk goes on with the next
// one. Limits on entry size, total size, nesting depth and entry count
// guard against zip bombs and are set through Options.
package archive

import (
	"errors"
	"fmt"
)

// Sentinel errors of Entry.Err. Each entry error is an *EntryError that
// wraps one of them.
var (
	// ErrNotXML marks an entry that is neither XML nor a zip: it is
	// reported and skipped.
	ErrNotXML = errors.New("not an XML file or zip archive")
	// ErrCorrupt marks an archive or entry whose data cannot be read: a
	// damaged central directory, a truncated file, a checksum mismatch.
	ErrCorrupt = errors.New("corrupt or truncated archive")
	// ErrEncrypted marks an entry protected by a password.
	ErrEncrypted = errors.New("encrypted zip entry")
	// ErrUnsupported marks an entry compressed with a method other than
	// store and deflate.
	ErrUnsupported = errors.New("unsupported zip compression method")
	// ErrTooLarge marks an entry over Options.MaxEntrySize, or any entry
	// read after the walk's total reached Options.MaxTotalSize.
	ErrTooLarge = errors.New("uncompressed size over the limit")
	// ErrTooDeep marks a zip nested deeper than Options.MaxDepth.
	ErrTooDeep = errors.New("zip nested too deep")
	// ErrTooManyEntries marks an archive with more than Options.MaxEntries
	// entries; the entries after the limit are not read.
	ErrTooManyEntries = errors.New("too many entries in the archive")
	// ErrUnsafeName marks an entry whose name is absolute, climbs out with
	// "..", names a drive or contains a NUL byte.
	ErrUnsafeName = errors.New("unsafe entry name")
	// ErrOpen marks an input file that could not be opened or read.
	ErrOpen = errors.New("cannot open input")
)

// EntryError is the error of one entry: its archive path and the cause.
type EntryError struct {
	// Path is the archive path of the entry, such as "a.zip!b.zip!c.xml".
	Path string
	// Err is the cause. It wraps one of the sentinels of this package.
	Err error
}

// Error returns the path and the cause.
func (e *EntryError) Error() string { return fmt.Sprintf("%s: %v", e.Path, e.Err) }

// Unwrap returns Err.
func (e *EntryError) Unwrap() error { return e.Err }

func entryError(path string, sentinel error, cause error) error {
	if cause == nil {
		return &EntryError{Path: path, Err: sentinel}
	}
	return &EntryError{Path: path, Err: fmt.Errorf("%w: %w", sentinel, cause)}
}
