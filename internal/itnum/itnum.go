// Package itnum parses and formats the decimal-comma numbers of Italian
// regulated files ("1234,567") exactly, into decimal.Decimal.
package itnum

import (
	"errors"
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
)

// ErrSyntax is wrapped by every error that Parse returns.
var ErrSyntax = errors.New("invalid decimal-comma number")

// SyntaxError describes a value that does not match its Format.
type SyntaxError struct {
	Value  string // the text exactly as read
	Reason string // what is wrong, in plain words
}

// Error returns the value and the reason.
func (e *SyntaxError) Error() string {
	return fmt.Sprintf("invalid decimal-comma number %q: %s", e.Value, e.Reason)
}

// Unwrap returns ErrSyntax.
func (e *SyntaxError) Unwrap() error { return ErrSyntax }

// Format is the shape a decimal-comma number must have: at most MaxIntDigits
// digits before the comma, exactly Decimals digits after it, no sign unless
// Signed, no thousands separator and no leading zero.
type Format struct {
	MaxIntDigits int
	Decimals     int
	Signed       bool
}

// The numeric types of the SII metering-flow schemas.
var (
	// Numeric6v3 is Numerico6v3Type: quarter-hour energies E1..E96.
	Numeric6v3 = Format{MaxIntDigits: 6, Decimals: 3}
	// Numeric7v3 is Numerico7v3Type: PotMax in Flusso 1.
	Numeric7v3 = Format{MaxIntDigits: 7, Decimals: 3}
	// Numeric12v3 is Numerico12v3Type: registers, constants, PotMax in Flusso 2.
	Numeric12v3 = Format{MaxIntDigits: 12, Decimals: 3}
)

// Parse converts s into a decimal, rejecting anything that does not match f
// exactly. The empty string is an error: callers keep "absent" and "empty"
// apart before they call Parse.
func Parse(s string, f Format) (decimal.Decimal, error) {
	if err := Check(s, f); err != nil {
		return decimal.Decimal{}, err
	}
	unsigned := strings.TrimPrefix(s, "-")
	comma := strings.IndexByte(unsigned, ',')
	digits := unsigned
	exp := int32(0)
	if comma >= 0 {
		digits = unsigned[:comma] + unsigned[comma+1:]
		exp = -int32(len(unsigned) - comma - 1)
	}
	if len(digits) <= 18 {
		var v int64
		for i := 0; i < len(digits); i++ {
			v = v*10 + int64(digits[i]-'0')
		}
		if s[0] == '-' {
			v = -v
		}
		return decimal.New(v, exp), nil
	}
	d, err := decimal.NewFromString(strings.Replace(s, ",", ".", 1))
	if err != nil {
		return decimal.Decimal{}, &SyntaxError{Value: s, Reason: err.Error()}
	}
	return d, nil
}

// Check reports whether s matches f, without building a decimal.
func Check(s string, f Format) error {
	if s == "" {
		return &SyntaxError{Value: s, Reason: "empty"}
	}
	if strings.TrimSpace(s) != s {
		return &SyntaxError{Value: s, Reason: "white space around the number; the schema allows none"}
	}
	body := s
	if body[0] == '-' || body[0] == '+' {
		if !f.Signed || body[0] == '+' {
			return &SyntaxError{Value: s, Reason: "sign not allowed"}
		}
		body = body[1:]
	}
	intPart, frac, hasComma := strings.Cut(body, ",")
	switch {
	case strings.IndexByte(body, '.') >= 0:
		return &SyntaxError{Value: s, Reason: "uses '.'; the decimal separator is ',' and no thousands separator is allowed"}
	case strings.IndexByte(frac, ',') >= 0:
		return &SyntaxError{Value: s, Reason: "more than one comma; the decimal separator is ',' and no thousands separator is allowed"}
	case f.Decimals > 0 && !hasComma:
		return &SyntaxError{Value: s, Reason: fmt.Sprintf("missing decimal comma and %d decimals", f.Decimals)}
	case f.Decimals == 0 && hasComma:
		return &SyntaxError{Value: s, Reason: "decimals not allowed"}
	case intPart == "":
		return &SyntaxError{Value: s, Reason: "missing integer digits"}
	case len(intPart) > f.MaxIntDigits:
		return &SyntaxError{Value: s, Reason: fmt.Sprintf("more than %d integer digits", f.MaxIntDigits)}
	case len(intPart) > 1 && intPart[0] == '0':
		return &SyntaxError{Value: s, Reason: "leading zero"}
	case len(frac) != f.Decimals:
		return &SyntaxError{Value: s, Reason: fmt.Sprintf("want exactly %d decimals, got %d", f.Decimals, len(frac))}
	}
	if !allDigits(intPart) || !allDigits(frac) {
		return &SyntaxError{Value: s, Reason: "not a number"}
	}
	return nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// FormatDecimal writes d with a decimal comma and exactly decimals digits
// after it, rounding half away from zero when d has more.
func FormatDecimal(d decimal.Decimal, decimals int32) string {
	return strings.Replace(d.StringFixed(decimals), ".", ",", 1)
}

// MaxLooseLength is the longest text, after trimming white space, that
// ParseLoose reads as a number.
const MaxLooseLength = 64

// ParseLoose converts numbers as spreadsheets and CSV exports write them:
// an optional sign, "." or " " as thousands separator when a comma is the
// decimal separator, or "." as decimal separator when there is no comma.
// It is meant for user-supplied tabular data, not for the regulated XML flows.
func ParseLoose(s string) (decimal.Decimal, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return decimal.Decimal{}, &SyntaxError{Value: s, Reason: "empty"}
	}
	if len(t) > MaxLooseLength {
		// Big-number parsing is quadratic in the digits, so an overlong cell
		// would stall the reader; no amount or quantity needs this many.
		return decimal.Decimal{}, &SyntaxError{Value: s[:MaxLooseLength] + "...", Reason: fmt.Sprintf("longer than %d characters", MaxLooseLength)}
	}
	if strings.Contains(t, ",") {
		t = strings.NewReplacer(".", "", " ", "", "\u00a0", "").Replace(t)
		t = strings.Replace(t, ",", ".", 1)
	}
	d, err := decimal.NewFromString(t)
	if err != nil || strings.ContainsAny(t, "eE") {
		return decimal.Decimal{}, &SyntaxError{Value: s, Reason: "not a number"}
	}
	return d, nil
}
