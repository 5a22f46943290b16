package ingest

import (
	"bytes"
	"crypto/sha256"
	"io"
	"os"
)

// spoolInMemory is the size up to which a document is kept in memory while
// it is loaded. A larger one is copied to a temporary file.
const spoolInMemory = 8 << 20

// spool is a copy of a document that can be read several times: once by
// the store for the original and once by the loader.
type spool struct {
	sha  [32]byte
	size int64
	mem  *bytes.Buffer
	file *os.File
}

// newSpool copies r into memory or, past spoolInMemory bytes, into a
// temporary file in dir ("" for the system default), hashing it on the way.
func newSpool(r io.Reader, dir string) (*spool, error) {
	h := sha256.New()
	s := &spool{mem: &bytes.Buffer{}}
	n, err := io.Copy(io.MultiWriter(s.mem, h), io.LimitReader(r, spoolInMemory+1))
	s.size = n
	if err != nil {
		return nil, err
	}
	if n > spoolInMemory {
		f, err := os.CreateTemp(dir, "dispatcher-load-*")
		if err != nil {
			return nil, err
		}
		os.Remove(f.Name()) // the open descriptor keeps the data until Close
		s.file = f
		if _, err := f.Write(s.mem.Bytes()); err != nil {
			s.Close()
			return nil, err
		}
		s.mem = nil
		m, err := io.Copy(io.MultiWriter(f, h), r)
		s.size += m
		if err != nil {
			s.Close()
			return nil, err
		}
	}
	copy(s.sha[:], h.Sum(nil))
	return s, nil
}

// Reader returns a reader of the whole copy from its start.
func (s *spool) Reader() io.Reader {
	if s.file != nil {
		return io.NewSectionReader(s.file, 0, s.size)
	}
	return bytes.NewReader(s.mem.Bytes())
}

// Close removes the temporary file, if any.
func (s *spool) Close() error {
	if s.file != nil {
		return s.file.Close()
	}
	return nil
}
