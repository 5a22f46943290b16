package edi

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
)

// ErrNotFatturaPA is returned when the root element is not
// FatturaElettronica.
var ErrNotFatturaPA = errors.New("not a FatturaPA document")

// ErrSyntax is wrapped by every *ParseError.
var ErrSyntax = errors.New("malformed XML")

// ParseError is a failure to read a file, with the position where it
// happened.
type ParseError struct {
	// Line is the 1-based line, or 0 when unknown.
	Line int
	// Element is the element being read, when known.
	Element string
	// Err is the cause; it wraps ErrSyntax for XML errors.
	Err error
}

// Error returns the position and the cause.
func (e *ParseError) Error() string {
	if e.Element != "" {
		return fmt.Sprintf("line %d: %s: %v", e.Line, e.Element, e.Err)
	}
	return fmt.Sprintf("line %d: %v", e.Line, e.Err)
}

// Unwrap returns the cause.
func (e *ParseError) Unwrap() error { return e.Err }

func syntaxError(d *xml.Decoder, element string, err error) error {
	line, _ := d.InputPos()
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	return &ParseError{Line: line, Element: element, Err: fmt.Errorf("%w: %v", ErrSyntax, err)}
}

// InvoiceReader reads a FatturaElettronica document one body at a time.
// Elements are matched by local name, so a default namespace, a prefix such
// as "p:", xmlns="" on Header and Body, the old fatturapa.gov.it namespace
// and no namespace at all are read the same way.
type InvoiceReader struct {
	dec     *xml.Decoder
	version string
	header  *InvoiceHeader
	err     error
	started bool
}

// NewInvoiceReader returns a reader of the plain XML in r. A byte order
// mark, stray bytes before the first '<' and the encodings named in the XML
// declaration are handled. Signed files go through Unwrap first, or use
// ReadInvoiceFile.
func NewInvoiceReader(r io.Reader) *InvoiceReader {
	return &InvoiceReader{dec: newXMLDecoder(r)}
}

// Version returns the versione attribute of the root, once Header or Next
// has been called.
func (r *InvoiceReader) Version() string { return r.version }

// Header reads up to the end of FatturaElettronicaHeader and returns it.
func (r *InvoiceReader) Header() (*InvoiceHeader, error) {
	if r.header != nil || r.err != nil {
		return r.header, r.err
	}
	if err := r.readRoot(); err != nil {
		r.err = err
		return nil, err
	}
	for {
		start, err := nextStart(r.dec, "FatturaElettronica")
		if err != nil {
			r.err = r.endError(err, "FatturaElettronicaHeader")
			return nil, r.err
		}
		if start.Name.Local != "FatturaElettronicaHeader" {
			if err := r.dec.Skip(); err != nil {
				r.err = syntaxError(r.dec, start.Name.Local, err)
				return nil, r.err
			}
			continue
		}
		line, _ := r.dec.InputPos()
		h := &InvoiceHeader{Line: line}
		if err := r.dec.DecodeElement(h, &start); err != nil {
			r.err = syntaxError(r.dec, start.Name.Local, err)
			return nil, r.err
		}
		r.header = h
		return h, nil
	}
}

func (r *InvoiceReader) endError(err error, want string) error {
	if errors.Is(err, io.EOF) {
		line, _ := r.dec.InputPos()
		return &ParseError{Line: line, Element: want, Err: fmt.Errorf("%w: %s is missing", ErrSyntax, want)}
	}
	return syntaxError(r.dec, want, err)
}

func (r *InvoiceReader) readRoot() error {
	start, err := nextStart(r.dec, "")
	if err != nil {
		if errors.Is(err, io.EOF) {
			return &ParseError{Line: 1, Err: fmt.Errorf("%w: empty input", ErrNotFatturaPA)}
		}
		return syntaxError(r.dec, "", err)
	}
	if start.Name.Local != "FatturaElettronica" {
		line, _ := r.dec.InputPos()
		return &ParseError{Line: line, Element: start.Name.Local,
			Err: fmt.Errorf("%w: the root element is %s", ErrNotFatturaPA, start.Name.Local)}
	}
	for _, a := range start.Attr {
		if a.Name.Local == "versione" {
			r.version = a.Value
		}
	}
	return nil
}

// Next returns the next FatturaElettronicaBody, or io.EOF after the last.
func (r *InvoiceReader) Next() (*Body, error) {
	if _, err := r.Header(); err != nil {
		return nil, err
	}
	if r.err != nil {
		return nil, r.err
	}
	for {
		start, err := nextStart(r.dec, "FatturaElettronica")
		if errors.Is(err, io.EOF) {
			if !r.started {
				r.err = r.endError(err, "FatturaElettronicaBody")
				return nil, r.err
			}
			r.err = io.EOF
			return nil, io.EOF
		}
		if err != nil {
			r.err = syntaxError(r.dec, "FatturaElettronica", err)
			return nil, r.err
		}
		if start.Name.Local != "FatturaElettronicaBody" {
			// ds:Signature of XAdES-signed files and unknown elements.
			if err := r.dec.Skip(); err != nil {
				r.err = syntaxError(r.dec, start.Name.Local, err)
				return nil, r.err
			}
			continue
		}
		line, _ := r.dec.InputPos()
		b := &Body{Line: line}
		if err := r.dec.DecodeElement(b, &start); err != nil {
			r.err = syntaxError(r.dec, start.Name.Local, err)
			return nil, r.err
		}
		r.started = true
		return b, nil
	}
}

// ReadInvoice reads a whole plain-XML FatturaElettronica document.
func ReadInvoice(r io.Reader) (*Invoice, error) {
	ir := NewInvoiceReader(r)
	h, err := ir.Header()
	if err != nil {
		return nil, err
	}
	inv := &Invoice{Version: ir.Version(), Header: *h}
	for {
		b, err := ir.Next()
		if errors.Is(err, io.EOF) {
			return inv, nil
		}
		if err != nil {
			return inv, err
		}
		inv.Bodies = append(inv.Bodies, *b)
	}
}

// MaxFileSize is the largest file ReadInvoiceFile reads: 64 MiB. SDI
// accepts files of up to 5 MB, and a base64-wrapped signature adds a third.
const MaxFileSize = 64 << 20

// ErrTooLarge is returned for a file larger than MaxFileSize.
var ErrTooLarge = errors.New("file too large")

// ReadInvoiceFile reads a FatturaPA file as received: plain XML, or signed
// CMS (.p7m) in DER or base64, which is unwrapped first. It reports whether
// the file was signed. The signature is not verified.
func ReadInvoiceFile(r io.Reader) (inv *Invoice, signed bool, err error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, false, err
	}
	if len(data) > MaxFileSize {
		return nil, false, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, MaxFileSize)
	}
	content, signed, err := Unwrap(data)
	if err != nil {
		return nil, false, err
	}
	inv, err = ReadInvoice(bytes.NewReader(content))
	return inv, signed, err
}
