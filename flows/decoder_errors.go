package flows

import (
	"errors"
	"fmt"
)

// Sentinel errors of the decoder. Every *SyntaxError wraps one of them.
var (
	// ErrSyntax is malformed XML: a bad tag, an unquoted attribute, an
	// unknown entity reference, a mismatched end tag.
	ErrSyntax = errors.New("malformed XML")
	// ErrUnexpectedEOF is input that ends before the root element closes,
	// as in a truncated file.
	ErrUnexpectedEOF = errors.New("unexpected end of input")
	// ErrDTD is a document type or entity declaration. Flow files have
	// none, and expanding entities would open the decoder to entity
	// expansion attacks, so they are rejected.
	ErrDTD = errors.New("DTD not allowed")
	// ErrTooLarge is a DatiPod record, a single token, a nesting depth or
	// the markup outside the records beyond the limits of DecoderOptions.
	ErrTooLarge = errors.New("input exceeds a decoder limit")
	// ErrNotFlow is a well-formed document whose root is neither
	// FlussoMisure nor FM.
	ErrNotFlow = errors.New("not a metering flow")
	// ErrCharset is an encoding declaration the decoder cannot convert.
	ErrCharset = errors.New("unsupported character encoding")
)

// SyntaxError is an error in the input at a known position.
type SyntaxError struct {
	// Line and Column are 1-based; Column counts bytes of the UTF-8 text
	// (after conversion from the declared encoding).
	Line, Column int
	// Offset is the 0-based byte offset in the UTF-8 text.
	Offset int64
	// Element is the innermost open element at the error, or "".
	Element string
	// Err wraps one of the sentinel errors with the details.
	Err error
}

// Error returns the position, the element and the cause.
func (e *SyntaxError) Error() string {
	where := fmt.Sprintf("line %d, column %d", e.Line, e.Column)
	if e.Element != "" {
		where += " in <" + e.Element + ">"
	}
	return "flows: " + where + ": " + e.Err.Error()
}

// Unwrap returns the wrapped cause.
func (e *SyntaxError) Unwrap() error { return e.Err }

// ReadError is a failure of the underlying reader, such as a corrupt
// compressed stream.
type ReadError struct {
	// Offset is the number of input bytes read before the failure.
	Offset int64
	Err    error
}

// Error returns the offset and the cause.
func (e *ReadError) Error() string {
	return fmt.Sprintf("flows: read failed after %d bytes: %v", e.Offset, e.Err)
}

// Unwrap returns the reader's error.
func (e *ReadError) Unwrap() error { return e.Err }
