package archive

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
)

// Layout of the end of central directory record.
const (
	endRecordLen       = 22
	maxEndCommentLen   = 1<<16 - 1
	centralHeaderMagic = "PK\x01\x02"
)

// foreignEndRecord checks that the end of central directory record found
// at the end of an archive belongs to the archive itself. A batch zip cut
// short after a stored inner zip ends with that inner zip's end record.
// archive/zip then reads the inner zip, shifted by its offset, as if it
// were the whole archive, so the cut goes unreported and the later entries
// are lost. The returned error describes such a record, and is nil
// otherwise.
func foreignEndRecord(r io.ReaderAt, size int64) error {
	if size < endRecordLen+4 {
		return nil
	}
	magic := make([]byte, 4)
	if _, err := r.ReadAt(magic, 0); err != nil || string(magic) != "PK\x03\x04" {
		return nil // not starting with a local header, such as a self-extracting archive
	}

	blockLen := min(size, endRecordLen+maxEndCommentLen)
	block := make([]byte, blockLen)
	if _, err := r.ReadAt(block, size-blockLen); err != nil && err != io.EOF {
		return nil
	}
	at := findEndRecord(block)
	if at < 0 {
		return nil
	}

	le := binary.LittleEndian
	dirSize, dirOffset := int64(le.Uint32(block[at+12:])), int64(le.Uint32(block[at+16:]))
	if dirSize == 0xFFFFFFFF || dirOffset == 0xFFFFFFFF {
		return nil // zip64: the record does not carry the sizes
	}
	endOffset := size - blockLen + int64(at)
	base := endOffset - dirSize - dirOffset
	if base <= 0 {
		return nil
	}

	// archive/zip also falls back to base 0 when a central directory
	// header starts at the recorded offset, so such archives read right.
	header := make([]byte, 4)
	if _, err := r.ReadAt(header, dirOffset); err == nil && string(header) == centralHeaderMagic {
		return nil
	}
	return fmt.Errorf("the end record at offset %d describes a zip that starts at offset %d, so the archive is probably cut short inside a stored zip", endOffset, base)
}

// EndRecordMissing reports whether the zip in r of the given size starts
// with a local file header but has no end of central directory record of
// its own, as a zip still being copied has. Its last bytes then contain no
// end record, or the end record of a stored inner zip (see
// foreignEndRecord). A zip that is damaged in another way, or that does
// not start with a local header, returns false.
func EndRecordMissing(r io.ReaderAt, size int64) bool {
	magic := make([]byte, 4)
	if _, err := r.ReadAt(magic, 0); err != nil || string(magic) != "PK\x03\x04" {
		return false
	}
	blockLen := min(size, endRecordLen+maxEndCommentLen)
	block := make([]byte, blockLen)
	if _, err := r.ReadAt(block, size-blockLen); err != nil && err != io.EOF {
		return false
	}
	if findEndRecord(block) < 0 {
		return true
	}
	return foreignEndRecord(r, size) != nil
}

// findEndRecord returns the index in block of the last end of central
// directory record whose comment fits in block, or -1.
func findEndRecord(block []byte) int {
	for i := len(block) - endRecordLen; i >= 0; i-- {
		i = bytes.LastIndex(block[:i+4], []byte("PK\x05\x06"))
		if i < 0 {
			return -1
		}
		commentLen := int(binary.LittleEndian.Uint16(block[i+endRecordLen-2:]))
		if i+endRecordLen+commentLen <= len(block) {
			return i
		}
	}
	return -1
}
