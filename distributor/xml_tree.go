package distributor

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/bludispatcher/dispatcher/internal/anomaly"
)

// Limits on one Prestazione element, so that a hostile file cannot make the
// reader hold unbounded memory. Real messages are a few kilobytes.
const (
	maxDepth    = 16
	maxElements = 4096
	maxText     = 64 << 10
)

// ParseError is an error at a position of an XML or CSV file.
type ParseError struct {
	// File is the file name, when known.
	File string
	// Line is the 1-based line, or 0 when unknown.
	Line int
	// Path is the element path or CSV column, when known.
	Path string
	// Err is the cause.
	Err error
}

func (e *ParseError) Error() string {
	var b strings.Builder
	b.WriteString("distributor: ")
	if e.File != "" {
		b.WriteString(e.File)
		if e.Line > 0 {
			fmt.Fprintf(&b, ":%d", e.Line)
		}
		b.WriteString(": ")
	} else if e.Line > 0 {
		fmt.Fprintf(&b, "line %d: ", e.Line)
	}
	if e.Path != "" {
		b.WriteString(e.Path + ": ")
	}
	b.WriteString(e.Err.Error())
	return b.String()
}

// Unwrap returns ErrSyntax, so that errors.Is(err, ErrSyntax) holds, and
// the cause.
func (e *ParseError) Unwrap() []error { return []error{ErrSyntax, e.Err} }

// Anomaly returns the error as a blocking file-level anomaly with code
// CodeOutcome, for a load log that records unreadable files.
func (e *ParseError) Anomaly() Anomaly {
	return Anomaly{
		Code: CodeOutcome, Rule: "syntax", Severity: anomaly.Blocking, Level: anomaly.FileLevel,
		File: e.File, Line: e.Line, Field: e.Path, Message: e.Err.Error(),
	}
}

// node is one element of a Prestazione.
type node struct {
	name     string
	attrs    []xml.Attr
	text     string
	line     int
	children []*node
}

// attr returns an attribute by name, ignoring case, because some producers
// write COD_SERVIZIO where the standard writes cod_servizio.
func (n *node) attr(name string) string {
	for _, a := range n.attrs {
		if strings.EqualFold(a.Name.Local, name) {
			return strings.TrimSpace(a.Value)
		}
	}
	return ""
}

// child returns the first child with the name, ignoring case.
func (n *node) child(name string) *node {
	for _, c := range n.children {
		if strings.EqualFold(c.name, name) {
			return c
		}
	}
	return nil
}

// treeReader yields each Prestazione element of a stream, wherever it sits,
// so that a file with one message and a file that wraps several both read.
type treeReader struct {
	dec   *xml.Decoder
	file  string
	count int
}

func newTreeReader(r io.Reader, file string) *treeReader {
	dec := xml.NewDecoder(r)
	dec.CharsetReader = charsetReader
	return &treeReader{dec: dec, file: file}
}

// line returns the current line of the decoder.
func (t *treeReader) line() int {
	l, _ := t.dec.InputPos()
	return l
}

func (t *treeReader) errorf(line int, format string, args ...any) error {
	return &ParseError{File: t.file, Line: line, Err: fmt.Errorf(format, args...)}
}

// next returns the next Prestazione, or io.EOF after the last one.
func (t *treeReader) next() (*node, error) {
	for {
		tok, err := t.dec.Token()
		if errors.Is(err, io.EOF) {
			return nil, io.EOF
		}
		if err != nil {
			return nil, t.errorf(t.line(), "%v", err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok || !strings.EqualFold(se.Name.Local, "Prestazione") {
			continue
		}
		t.count = 0
		return t.element(se, 1)
	}
}

// element reads the content of se up to its end tag.
func (t *treeReader) element(se xml.StartElement, depth int) (*node, error) {
	n := &node{name: se.Name.Local, attrs: se.Attr, line: t.line()}
	var text strings.Builder
	for {
		tok, err := t.dec.Token()
		if err != nil {
			if errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			return nil, t.errorf(t.line(), "element %s: %v", n.name, err)
		}
		switch v := tok.(type) {
		case xml.StartElement:
			if depth >= maxDepth {
				return nil, t.errorf(t.line(), "element %s: more than %d levels of nesting", v.Name.Local, maxDepth)
			}
			t.count++
			if t.count > maxElements {
				return nil, t.errorf(t.line(), "more than %d elements in one Prestazione", maxElements)
			}
			c, err := t.element(v, depth+1)
			if err != nil {
				return nil, err
			}
			n.children = append(n.children, c)
		case xml.CharData:
			if text.Len()+len(v) > maxText {
				return nil, t.errorf(t.line(), "element %s: text longer than %d bytes", n.name, maxText)
			}
			text.Write(v)
		case xml.EndElement:
			n.text = strings.TrimSpace(text.String())
			return n, nil
		}
	}
}
