package distributor

import (
	"fmt"
	"io"
	"strings"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
)

// encodingByName returns the encoding of a name used in profiles and XML
// declarations; nil means UTF-8.
func encodingByName(name string) (encoding.Encoding, error) {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "", "utf-8", "utf8":
		return nil, nil
	case "windows-1252", "cp1252":
		return charmap.Windows1252, nil
	case "iso-8859-1", "latin1", "latin-1":
		return charmap.ISO8859_1, nil
	case "iso-8859-15", "latin9":
		return charmap.ISO8859_15, nil
	}
	return nil, fmt.Errorf("unsupported encoding %q: want utf-8, windows-1252, iso-8859-1 or iso-8859-15", name)
}

// charsetReader decodes XML declared in a single-byte encoding.
func charsetReader(label string, input io.Reader) (io.Reader, error) {
	enc, err := encodingByName(label)
	if err != nil {
		return nil, err
	}
	if enc == nil {
		return input, nil
	}
	return enc.NewDecoder().Reader(input), nil
}
