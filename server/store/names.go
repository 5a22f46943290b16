package store

import (
	"encoding/hex"
	"strings"
	"unicode/utf8"
)

// storable reports whether s is valid UTF-8 without NUL bytes, as a
// PostgreSQL text column requires.
func storable(s string) bool {
	return utf8.ValidString(s) && strings.IndexByte(s, 0) < 0
}

// DisplayText returns s with each invalid UTF-8 sequence and each NUL byte
// replaced by U+FFFD, so that it can be stored as text by every store.
// File names read from disk, and values read from files, may be neither
// UTF-8 nor free of NUL.
func DisplayText(s string) string {
	if storable(s) {
		return s
	}
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "\uFFFD")
}

// EscapePath returns path unchanged when it is valid UTF-8 without NUL.
// Otherwise it writes each byte of an invalid sequence, each NUL and each
// backslash as \xNN, so that the raw bytes of a file name can be read back
// from the load log. Load paths are stored in this form.
func EscapePath(path string) string {
	if storable(path) {
		return path
	}
	var b strings.Builder
	for len(path) > 0 {
		r, size := utf8.DecodeRuneInString(path)
		if (r == utf8.RuneError && size <= 1) || r == 0 || r == '\\' {
			b.WriteString(`\x`)
			b.WriteString(hex.EncodeToString([]byte{path[0]}))
			path = path[1:]
			continue
		}
		b.WriteString(path[:size])
		path = path[size:]
	}
	return b.String()
}

// ClaimKeyPrefix starts the claim key of a path that is not valid UTF-8.
// Callers claim relative paths, such as the ingester's "kind:path@size@time",
// so that no other key starts with it.
const ClaimKeyPrefix = "/hex/"

// ClaimKey returns the key a claim of path is stored under: path itself
// when it is valid UTF-8 without NUL, otherwise ClaimKeyPrefix followed by
// the hex digits of its bytes. Different paths get different keys.
func ClaimKey(path string) string {
	if storable(path) {
		return path
	}
	return ClaimKeyPrefix + hex.EncodeToString([]byte(path))
}
