package archive

import (
	"bufio"
	"compress/flate"
	"encoding/binary"
	"errors"
	"io"
)

// Signatures, sizes and flags of zip records.
const (
	localHeaderSignature    = 0x04034b50
	dataDescriptorSignature = 0x08074b50
	localHeaderLen          = 30
	flagEncrypted           = 0x1
	flagDataDescriptor      = 0x8
)

// errStopRecovery ends the scan of local headers at the first record that
// is not a local file header, such as the central directory.
var errStopRecovery = errors.New("no further local file header")

// recoverEntries reads the entries of a zip whose central directory is
// missing or damaged, such as a zip cut short during a transfer, by
// following the local file headers from the start. Entries before the
// damage are delivered, and the entry the damage falls in fails on read
// with ErrCorrupt. Only deflated entries, and stored entries whose local
// header carries their size, can be followed.
func (w *walker) recoverEntries(at place, r io.ReaderAt, size int64, depth int) error {
	offset := int64(0)
	for n := 0; ; n++ {
		if n >= w.opts.MaxEntries {
			return w.report(at, depth-1, size, ErrTooManyEntries, nil)
		}
		next, err := w.recoverEntry(at, r, size, offset, depth)
		if errors.Is(err, errStopRecovery) {
			return nil
		}
		if err != nil {
			return err
		}
		if next <= offset {
			return nil
		}
		offset = next
	}
}

// localHeader is the part of a local file header the recovery needs.
type localHeader struct {
	flags, method uint16
	compressed    int64
	uncompressed  int64
	name          string
	dataStart     int64
}

func readLocalHeader(r io.ReaderAt, size, offset int64) (localHeader, error) {
	var h localHeader
	buf := make([]byte, localHeaderLen)
	if offset+localHeaderLen > size {
		return h, errStopRecovery
	}
	if _, err := r.ReadAt(buf, offset); err != nil {
		return h, errStopRecovery
	}
	le := binary.LittleEndian
	if le.Uint32(buf[0:]) != localHeaderSignature {
		return h, errStopRecovery
	}
	h.flags, h.method = le.Uint16(buf[6:]), le.Uint16(buf[8:])
	h.compressed, h.uncompressed = int64(le.Uint32(buf[18:])), int64(le.Uint32(buf[22:]))
	nameLen, extraLen := int64(le.Uint16(buf[26:])), int64(le.Uint16(buf[28:]))
	h.dataStart = offset + localHeaderLen + nameLen + extraLen
	if h.dataStart > size {
		return h, errStopRecovery
	}
	name := make([]byte, nameLen)
	if _, err := r.ReadAt(name, offset+localHeaderLen); err != nil {
		return h, errStopRecovery
	}
	h.name = string(name)
	return h, nil
}

// recoverEntry delivers the entry whose local header starts at offset and
// returns the offset of the next local header.
func (w *walker) recoverEntry(archive place, r io.ReaderAt, size, offset int64, depth int) (int64, error) {
	h, err := readLocalHeader(r, size, offset)
	if err != nil {
		return 0, err
	}
	entry := archive.child(h.name)
	known := h.flags&flagDataDescriptor == 0
	data := io.NewSectionReader(r, h.dataStart, size-h.dataStart)
	switch {
	case h.method != 0 && h.method != 8:
		if !known {
			return 0, w.report(entry, depth, -1, ErrUnsupported, errors.New("the entry's end cannot be found without the central directory"))
		}
		return h.dataStart + h.compressed, w.report(entry, depth, h.uncompressed, ErrUnsupported, nil)
	case h.method == 0 && !known:
		// NOTE: a stored entry followed by a data descriptor (as Go's
		// zip.Writer writes them) could be delimited by searching for the
		// descriptor; that search is not implemented, so recovery stops here.
		return 0, w.report(entry, depth, -1, ErrCorrupt, errors.New("stored entry without sizes cannot be recovered"))
	}

	// counter tracks how many compressed bytes the entry used, so the
	// next header can be found after a deflate stream of unknown size.
	counter := &countingReader{r: bufio.NewReader(data)}
	var body io.Reader
	if h.method == 0 {
		body = &sizedReader{r: counter, left: h.compressed}
	} else {
		fr := flate.NewReader(counter)
		defer fr.Close()
		body = fr
	}
	if known && h.method == 8 {
		body = io.LimitReader(body, h.uncompressed)
	}

	read, err := w.deliverRecovered(entry, h, body, depth)
	if err != nil {
		return 0, err
	}
	if known {
		return h.dataStart + h.compressed, nil
	}
	if !read {
		return 0, errStopRecovery // skipped unread, so its end is unknown
	}
	// The end of a deflate stream of unknown size is found by reading it
	// to its end, within the entry size limit.
	n, err := io.CopyN(io.Discard, body, w.opts.MaxEntrySize+1)
	if n > w.opts.MaxEntrySize || err != nil && !errors.Is(err, io.EOF) {
		return 0, errStopRecovery
	}
	next := h.dataStart + counter.n
	return next + descriptorLen(r, next), nil
}

// deliverRecovered checks one recovered entry like walkFile does and hands
// it to the callback. It reports whether the entry's data was opened for
// reading, as opposed to rejected by its header alone.
func (w *walker) deliverRecovered(at place, h localHeader, body io.Reader, depth int) (bool, error) {
	declared := h.uncompressed
	if h.flags&flagDataDescriptor != 0 {
		declared = -1
	}
	switch {
	case len(h.name) > 0 && h.name[len(h.name)-1] == '/':
		return true, nil // folder entry: its empty data is read below
	case !safeName(h.name):
		return false, w.report(at, depth, declared, ErrUnsafeName, nil)
	case h.flags&flagEncrypted != 0:
		return false, w.report(at, depth, declared, ErrEncrypted, nil)
	case declared > w.opts.MaxEntrySize || w.total+max(declared, 0) > w.opts.MaxTotalSize:
		return false, w.report(at, depth, declared, ErrTooLarge, nil)
	}
	lr := &limitedReader{w: w, r: body, path: at.path, max: w.opts.MaxEntrySize}
	br := bufio.NewReaderSize(lr, 4096)
	head, err := br.Peek(512)
	if err != nil && !errors.Is(err, io.EOF) {
		return true, w.fn(Entry{Path: at.path, Name: at.name, Size: declared, Depth: depth, Err: err})
	}
	switch w.kindOf(at.name, head) {
	case kindZip:
		return true, w.walkNested(at, br, declared, depth+1)
	case kindXML, kindAny:
		return true, w.fn(Entry{Path: at.path, Name: at.name, Size: declared, Depth: depth, Reader: br})
	}
	return true, w.report(at, depth, declared, ErrNotXML, nil)
}

// sizedReader reads the remaining left bytes of a stored entry. It fails with
// io.ErrUnexpectedEOF when r ends sooner, as it does in a zip cut short
// inside the entry, so that a partial entry is never taken for a whole one.
type sizedReader struct {
	r    io.Reader
	left int64
}

func (s *sizedReader) Read(p []byte) (int, error) {
	if s.left <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > s.left {
		p = p[:s.left]
	}
	n, err := s.r.Read(p)
	s.left -= int64(n)
	if errors.Is(err, io.EOF) && s.left > 0 {
		err = io.ErrUnexpectedEOF
	}
	return n, err
}

// descriptorLen returns the length of the data descriptor at offset: 16
// bytes with its optional signature, 12 without.
func descriptorLen(r io.ReaderAt, offset int64) int64 {
	sig := make([]byte, 4)
	if _, err := r.ReadAt(sig, offset); err == nil && binary.LittleEndian.Uint32(sig) == dataDescriptorSignature {
		return 16
	}
	return 12
}

// countingReader counts the bytes taken from r. It implements
// io.ByteReader, so compress/flate reads exactly the bytes of its stream.
type countingReader struct {
	r *bufio.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func (c *countingReader) ReadByte() (byte, error) {
	b, err := c.r.ReadByte()
	if err == nil {
		c.n++
	}
	return b, err
}
