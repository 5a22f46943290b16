package sqlstore

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"sync"
)

// originalEncoding names how originals are compressed.
const originalEncoding = "gzip"

// compressed is an original read, hashed and compressed.
type compressed struct {
	data []byte
	size int64
	sum  string
}

// compressor is the reusable state of compressOriginal. A new gzip writer
// allocates about 1.2 MB (BenchmarkCompressOriginal), far more than a
// small original.
type compressor struct {
	zw     *gzip.Writer
	buffer []byte // io.CopyBuffer's buffer, for readers without WriteTo
}

var compressors = sync.Pool{New: func() any {
	// NewWriterLevel fails only on an invalid level.
	zw, _ := gzip.NewWriterLevel(io.Discard, gzip.BestSpeed)
	return &compressor{zw: zw, buffer: make([]byte, 32<<10)}
}}

// compressOriginal reads r to the end, hashing and gzipping it. It uses
// gzip's fastest level because metering XML compresses well even so, and
// loads should not wait on compression. A reused writer writes the same
// bytes as a new one, because Reset returns it to the state that
// NewWriterLevel gave it.
//
// NOTE: the compressed original is held in memory and stored as one value,
// so both backends cap an original at about 1 GB compressed (SQLite's
// default SQLITE_MAX_LENGTH, PostgreSQL's bytea limit).
func compressOriginal(r io.Reader) (compressed, error) {
	var buf bytes.Buffer
	h := sha256.New()
	c := compressors.Get().(*compressor)
	defer func() {
		// Drop the reference to buf before the writer goes back.
		c.zw.Reset(io.Discard)
		compressors.Put(c)
	}()
	c.zw.Reset(&buf)
	n, err := io.CopyBuffer(io.MultiWriter(c.zw, h), r, c.buffer)
	if err != nil {
		return compressed{}, fmt.Errorf("read original: %w", err)
	}
	if err := c.zw.Close(); err != nil {
		return compressed{}, fmt.Errorf("compress original: %w", err)
	}
	return compressed{data: buf.Bytes(), size: n, sum: hex.EncodeToString(h.Sum(nil))}, nil
}

var gzipReaders sync.Pool

// decompressOriginal returns a reader of the original compressed in data.
// Its gzip reader, about 40 KB, goes back to a pool on Close.
func decompressOriginal(data []byte) (io.ReadCloser, error) {
	zr, ok := gzipReaders.Get().(*gzip.Reader)
	if !ok {
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			return nil, err
		}
		return &pooledReader{zr: zr}, nil
	}
	if err := zr.Reset(bytes.NewReader(data)); err != nil {
		gzipReaders.Put(zr)
		return nil, err
	}
	return &pooledReader{zr: zr}, nil
}

// pooledReader is a gzip reader that returns to gzipReaders on Close.
type pooledReader struct {
	zr *gzip.Reader
}

func (p *pooledReader) Read(b []byte) (int, error) {
	if p.zr == nil {
		return 0, errReadAfterClose
	}
	return p.zr.Read(b)
}

// Close returns the gzip reader to the pool. A second Close does nothing.
func (p *pooledReader) Close() error {
	if p.zr == nil {
		return nil
	}
	err := p.zr.Close()
	gzipReaders.Put(p.zr)
	p.zr = nil
	return err
}

var errReadAfterClose = errors.New("read of an original after Close")
