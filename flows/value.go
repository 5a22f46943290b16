package flows

import (
	"github.com/shopspring/decimal"

	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/internal/itnum"
)

// Value is one simple element or attribute of a flow, kept exactly as read.
// Absent, empty and zero stay distinct: an absent element has Set false, an
// empty one (<EaF1/>) has Set true and Text "", and "0,000" is a value like
// any other.
type Value struct {
	// Text is the character data exactly as read, with entities resolved and
	// no whitespace trimmed.
	Text string
	// Set reports whether the element or attribute was present.
	Set bool
	// Line is the 1-based line the element starts on (0 when built in code).
	Line int32
	// Index is the position of the element among the children of its parent
	// (1-based, 0 when built in code); the validator uses it to check order.
	Index uint16
}

// V returns a present Value with the given text, for building records in code.
func V(text string) Value { return Value{Text: text, Set: true} }

// IsAbsent reports whether the element was missing.
func (v Value) IsAbsent() bool { return !v.Set }

// IsEmpty reports whether the element was present with no text.
func (v Value) IsEmpty() bool { return v.Set && v.Text == "" }

// HasText reports whether the element was present with some text.
func (v Value) HasText() bool { return v.Set && v.Text != "" }

// Decimal parses the value as a decimal-comma number with three decimals
// and at most 12 integer digits (Numerico12v3Type). An absent or empty value
// is an error wrapping itnum.ErrSyntax, never a zero.
func (v Value) Decimal() (decimal.Decimal, error) {
	return itnum.Parse(v.Text, itnum.Numeric12v3)
}

// Date parses the value as "dd/MM/yyyy" (DataItaType).
func (v Value) Date() (civil.Date, error) { return civil.ParseDate(v.Text) }

// Month parses the value as "MM/yyyy" (MeseAnnoItaType).
func (v Value) Month() (civil.Month, error) { return civil.ParseMonthYear(v.Text) }
