package flowgen

import (
	"io"
)

// NewReader returns the file that opts describe as a stream: the records
// are generated as the caller reads, so a file of any size (such as 1 GB
// for a memory benchmark) never exists in memory or on disk. Close stops
// the generation early; reading after Close returns io.ErrClosedPipe.
func NewReader(opts Options) (io.ReadCloser, error) {
	g, err := New(opts)
	if err != nil {
		return nil, err
	}
	pr, pw := io.Pipe()
	go func() {
		// Write fails with io.ErrClosedPipe once the reader is closed,
		// which ends the goroutine.
		pw.CloseWithError(g.Write(pw))
	}()
	return pr, nil
}

// PODsForSize returns how many PODs make the file that opts describe
// about size bytes long (at least 1). It measures one generated record,
// so the result is an estimate: records of the same flow differ a little.
func PODsForSize(opts Options, size int64) (int, error) {
	one := opts
	one.PODs = 1
	g, err := New(one)
	if err != nil {
		return 0, err
	}
	var c countingWriter
	if err := g.Write(&c); err != nil {
		return 0, err
	}
	perPOD := c.n
	if perPOD <= 0 {
		return 1, nil
	}
	return int(max(1, size/perPOD)), nil
}

// countingWriter counts the bytes written to it and discards them.
type countingWriter struct{ n int64 }

func (c *countingWriter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	return len(p), nil
}
