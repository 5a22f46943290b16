package edi

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"strings"
)

// MaxAttachmentSize is the largest decoded or decompressed attachment
// Content returns: 256 MiB, to stop compression bombs.
const MaxAttachmentSize = 256 << 20

// ErrAttachment is wrapped by every error of Attachment.Content.
var ErrAttachment = errors.New("invalid attachment")

// Content returns the attachment decoded from base64 and, when it is a zip
// or gzip archive (AlgoritmoCompressione ZIP or GZIP, or the archive's magic
// bytes), decompressed. A zip holding several files returns the first one
// that is not a folder.
func (a *Attachment) Content() ([]byte, error) {
	raw, err := decodeBase64(a.Data)
	if err != nil {
		return nil, fmt.Errorf("%w %q: %v", ErrAttachment, a.Name, err)
	}
	compression := strings.ToUpper(strings.TrimSpace(a.Compression))
	switch {
	case compression == "ZIP" || bytes.HasPrefix(raw, []byte("PK\x03\x04")) || bytes.HasPrefix(raw, []byte("PK\x05\x06")):
		return unzipFirst(a.Name, raw)
	case compression == "GZIP" || compression == "GZ" || bytes.HasPrefix(raw, []byte{0x1f, 0x8b}):
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			return nil, fmt.Errorf("%w %q: %v", ErrAttachment, a.Name, err)
		}
		return readLimited(a.Name, zr)
	}
	return raw, nil
}

func unzipFirst(name string, raw []byte) ([]byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		return nil, fmt.Errorf("%w %q: %v", ErrAttachment, name, err)
	}
	for _, f := range zr.File {
		if f.FileInfo().IsDir() {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("%w %q: %s: %v", ErrAttachment, name, f.Name, err)
		}
		defer rc.Close()
		return readLimited(name, rc)
	}
	return nil, fmt.Errorf("%w %q: the zip archive contains no file", ErrAttachment, name)
}

func readLimited(name string, r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxAttachmentSize+1))
	if err != nil {
		return nil, fmt.Errorf("%w %q: %v", ErrAttachment, name, err)
	}
	if len(data) > MaxAttachmentSize {
		return nil, fmt.Errorf("%w %q: more than %d bytes once decompressed", ErrAttachment, name, MaxAttachmentSize)
	}
	return data, nil
}

// decodeBase64 decodes standard base64, ignoring white space and line
// breaks, with or without padding.
func decodeBase64(s string) ([]byte, error) {
	clean := strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '\r', '\n':
			return -1
		}
		return r
	}, s)
	if data, err := base64.StdEncoding.DecodeString(clean); err == nil {
		return data, nil
	}
	return base64.RawStdEncoding.DecodeString(strings.TrimRight(clean, "="))
}
