package flows

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/ianaindex"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// sniffSize is how many leading bytes are read to find a byte order mark
// and the encoding of the XML declaration.
const sniffSize = 1024

// utf8Input returns a reader of the input as UTF-8: a UTF-8 byte order
// mark is dropped, UTF-16 with a byte order mark is converted, and any
// other encoding named in the XML declaration (ISO-8859-1,
// windows-1252, …) is converted with golang.org/x/text.
func utf8Input(r io.Reader) (io.Reader, error) {
	head := make([]byte, sniffSize)
	n, err := io.ReadFull(r, head)
	head = head[:n]
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return nil, &ReadError{Offset: int64(n), Err: err}
	}
	rest := io.MultiReader(bytes.NewReader(head), r)
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		return io.MultiReader(bytes.NewReader(head[3:]), r), nil
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}), bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		dec := unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder()
		return transform.NewReader(rest, dec), nil
	}
	enc, err := declaredEncoding(head)
	if err != nil {
		return nil, err
	}
	if enc == nil {
		return rest, nil
	}
	return transform.NewReader(rest, enc.NewDecoder()), nil
}

// declaredEncoding returns the encoding named by the XML declaration at
// the start of head, or nil for UTF-8 and when no declaration or no
// encoding is given.
func declaredEncoding(head []byte) (encoding.Encoding, error) {
	if !bytes.HasPrefix(head, []byte("<?xml")) {
		return nil, nil
	}
	end := bytes.Index(head, []byte("?>"))
	if end < 0 {
		return nil, nil
	}
	decl := head[:end]

	i := bytes.Index(decl, []byte("encoding"))
	if i < 0 {
		return nil, nil
	}
	v := bytes.TrimLeft(decl[i+len("encoding"):], " \t\r\n")
	if len(v) == 0 || v[0] != '=' {
		return nil, nil
	}
	v = bytes.TrimLeft(v[1:], " \t\r\n")
	if len(v) < 2 || (v[0] != '"' && v[0] != '\'') {
		return nil, nil
	}
	q := bytes.IndexByte(v[1:], v[0])
	if q < 0 {
		return nil, nil
	}

	name := strings.ToLower(string(v[1 : 1+q]))
	switch name {
	case "utf-8", "utf8", "us-ascii", "ascii":
		return nil, nil
	case "latin1", "latin-1":
		name = "iso-8859-1"
	case "cp1252":
		name = "windows-1252"
	}
	enc, err := ianaindex.IANA.Encoding(name)
	if err != nil || enc == nil {
		return nil, &SyntaxError{Line: 1, Column: i + 1, Offset: int64(i), Err: fmt.Errorf("%w: encoding %q is not supported; use UTF-8, ISO-8859-1 or windows-1252", ErrCharset, v[1:1+q])}
	}
	if enc == unicode.UTF8 {
		return nil, nil
	}
	if strings.HasPrefix(name, "utf-16") {
		// The declaration was read as 8-bit text and no byte order mark
		// came first, so the bytes cannot be UTF-16.
		return nil, &SyntaxError{Line: 1, Column: i + 1, Offset: int64(i), Err: fmt.Errorf("%w: the declaration names encoding %q, but the file has no UTF-16 byte order mark and is 8-bit text; declare the encoding the file is written in, such as UTF-8", ErrCharset, v[1:1+q])}
	}
	return enc, nil
}
