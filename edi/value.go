package edi

import (
	"encoding/xml"
	"errors"
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/bludispatcher/dispatcher/internal/civil"
)

// ErrNumber is wrapped by every error that a Number carries.
var ErrNumber = errors.New("invalid number")

// Number is a numeric element kept as read. FatturaPA writes a decimal dot
// and the ARERA flows a decimal comma; neither allows a thousands separator,
// so both parse without ambiguity and Comma records which one was used. The
// checks report a separator that does not belong to the format.
type Number struct {
	// Text is the element text with surrounding spaces removed.
	Text string
	// Set reports whether the element was present.
	Set bool
	// Line is the line of the element, or 0 when unknown.
	Line int
	// Value is Text parsed exactly; zero when absent or invalid.
	Value decimal.Decimal
	// Comma reports whether Text used a decimal comma.
	Comma bool
	// Err is the parse error, nil when Text is a valid number or absent.
	Err error
}

// Valid reports whether the number is present and parses.
func (n Number) Valid() bool { return n.Set && n.Err == nil }

// NumberOf returns a present Number parsed from s.
func NumberOf(s string) Number {
	n := Number{Text: strings.TrimSpace(s), Set: true}
	n.Value, n.Comma, n.Err = parseNumber(n.Text)
	return n
}

// UnmarshalXML reads the element text and records its line.
func (n *Number) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	line, _ := d.InputPos()
	var s string
	if err := d.DecodeElement(&s, &start); err != nil {
		return err
	}
	*n = NumberOf(s)
	n.Line = line
	return nil
}

// parseNumber accepts an optional sign, digits and at most one decimal
// separator, either '.' or ','.
func parseNumber(s string) (decimal.Decimal, bool, error) {
	if s == "" {
		return decimal.Decimal{}, false, fmt.Errorf("%w: empty", ErrNumber)
	}
	body := s
	if body[0] == '+' || body[0] == '-' {
		body = body[1:]
	}
	sep := strings.IndexAny(body, ".,")
	intPart, frac := body, ""
	if sep >= 0 {
		intPart, frac = body[:sep], body[sep+1:]
	}
	if !digitsOnly(intPart) || !digitsOnly(frac) || (intPart == "" && frac == "") || len(body) > 40 {
		return decimal.Decimal{}, false, fmt.Errorf("%w: %q is not a decimal number", ErrNumber, s)
	}
	if intPart == "" {
		intPart = "0"
	}
	text := intPart
	if frac != "" {
		text += "." + frac
	}
	if s[0] == '-' {
		text = "-" + text
	}
	d, err := decimal.NewFromString(text)
	if err != nil {
		return decimal.Decimal{}, false, fmt.Errorf("%w: %q: %v", ErrNumber, s, err)
	}
	return d, sep >= 0 && body[sep] == ',', nil
}

func digitsOnly(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Date is a date element kept as read. Both yyyy-MM-dd (FatturaPA, gas
// flow) and dd/MM/yyyy are accepted.
type Date struct {
	// Text is the element text with surrounding spaces removed.
	Text string
	// Set reports whether the element was present.
	Set bool
	// Line is the line of the element, or 0 when unknown.
	Line int
	// Value is the parsed date; zero when absent or invalid.
	Value civil.Date
	// Err is the parse error, nil when Text is a valid date or absent.
	Err error
}

// Valid reports whether the date is present and parses.
func (d Date) Valid() bool { return d.Set && d.Err == nil }

// DateOf returns a present Date parsed from s.
func DateOf(s string) Date {
	d := Date{Text: strings.TrimSpace(s), Set: true}
	if strings.Contains(d.Text, "/") {
		d.Value, d.Err = civil.ParseDate(d.Text)
	} else {
		d.Value, d.Err = civil.ParseISODate(d.Text)
	}
	return d
}

// UnmarshalXML reads the element text and records its line.
func (d *Date) UnmarshalXML(dec *xml.Decoder, start xml.StartElement) error {
	line, _ := dec.InputPos()
	var s string
	if err := dec.DecodeElement(&s, &start); err != nil {
		return err
	}
	*d = DateOf(s)
	d.Line = line
	return nil
}

// String returns the date as yyyy-MM-dd, or the text as read when invalid.
func (d Date) String() string {
	if d.Valid() {
		return d.Value.String()
	}
	return d.Text
}
