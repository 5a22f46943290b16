package edi

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// maxLeadingGarbage is how many bytes before the first '<' are skipped.
// Some senders put stray bytes before the XML declaration.
const maxLeadingGarbage = 4096

// xmlInput returns r as a reader that starts at the first '<': a UTF-8 byte
// order mark and stray leading bytes are dropped, and UTF-16 with a byte
// order mark is converted to UTF-8.
func xmlInput(r io.Reader) io.Reader {
	br := bufio.NewReaderSize(r, 8192)
	head, _ := br.Peek(4)
	switch {
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}), bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		dec := unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder()
		return skipToMarkup(bufio.NewReader(transform.NewReader(br, dec)))
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		_, _ = br.Discard(3)
	}
	return skipToMarkup(br)
}

func skipToMarkup(br *bufio.Reader) io.Reader {
	for i := 0; i < maxLeadingGarbage; i++ {
		b, err := br.Peek(1)
		if err != nil || b[0] == '<' {
			break
		}
		_, _ = br.Discard(1)
	}
	return br
}

// newXMLDecoder returns a decoder over xmlInput(r) that converts the
// encodings named in the XML declaration (windows-1252, ISO-8859-1, …).
func newXMLDecoder(r io.Reader) *xml.Decoder {
	d := xml.NewDecoder(xmlInput(r))
	d.CharsetReader = charsetReader
	return d
}

func charsetReader(label string, input io.Reader) (io.Reader, error) {
	lower := strings.ToLower(label)
	// UTF-16 input was converted by xmlInput, which needs the byte order
	// mark that XML requires of UTF-16 documents.
	if lower == "utf-8" || lower == "utf8" || strings.HasPrefix(lower, "utf-16") {
		return input, nil
	}
	enc, err := htmlindex.Get(label)
	if err != nil {
		return nil, fmt.Errorf("unsupported XML encoding %q: %w", label, err)
	}
	return transform.NewReader(input, enc.NewDecoder()), nil
}

// nextStart returns the next start element, skipping everything else, or
// io.EOF at the end of the input. It stops at the end element named stop
// when stop is not empty.
func nextStart(d *xml.Decoder, stop string) (xml.StartElement, error) {
	for {
		tok, err := d.Token()
		if err != nil {
			return xml.StartElement{}, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return t, nil
		case xml.EndElement:
			if stop != "" && t.Name.Local == stop {
				return xml.StartElement{}, io.EOF
			}
		}
	}
}
