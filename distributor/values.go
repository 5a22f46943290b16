package distributor

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/bludispatcher/dispatcher/internal/civil"
)

// valueFormat is the date and number format of one output.
type valueFormat struct {
	// italianDates writes dd/mm/yyyy instead of yyyy-mm-dd.
	italianDates bool
	// decimalDot writes "." instead of "," before decimals.
	decimalDot bool
}

// text returns the field's value in r as written in a file, and false when
// it is absent.
func (f *field) text(r *Request, vf valueFormat) (string, bool) {
	switch p := f.ref(r).(type) {
	case *string:
		return *p, *p != ""
	case *Flag:
		return string(*p), *p != ""
	case *civil.Date:
		if p.IsZero() {
			return "", false
		}
		return formatDate(*p, vf), true
	case *decimal.NullDecimal:
		if !p.Valid {
			return "", false
		}
		return formatDecimal(p.Decimal, vf), true
	}
	return "", false
}

func formatDate(d civil.Date, vf valueFormat) string {
	if vf.italianDates {
		return d.Italian()
	}
	return d.String()
}

func formatDecimal(d decimal.Decimal, vf valueFormat) string {
	s := d.String()
	if vf.decimalDot {
		return s
	}
	return strings.Replace(s, ".", ",", 1)
}

// setText stores a value read from a file into the field of r. Dates may be
// yyyy-mm-dd or dd/mm/yyyy, numbers may use "," or "." before decimals.
func (f *field) setText(r *Request, s string) error {
	switch p := f.ref(r).(type) {
	case *string:
		*p = s
	case *Flag:
		*p = Flag(s)
	case *civil.Date:
		d, err := parseDate(s)
		if err != nil {
			return err
		}
		*p = d
	case *decimal.NullDecimal:
		d, err := parseDecimal(s)
		if err != nil {
			return err
		}
		*p = decimal.NewNullDecimal(d)
	}
	return nil
}

// parseDate reads yyyy-mm-dd or dd/mm/yyyy.
func parseDate(s string) (civil.Date, error) {
	t := strings.TrimSpace(s)
	if strings.Contains(t, "/") {
		return civil.ParseDate(t)
	}
	return civil.ParseISODate(t)
}

// maxNumberLength bounds the characters of a value read as a number, far
// above any meter reading or power. Longer text is never parsed, because
// parsing a big number takes time quadratic in its digits.
const maxNumberLength = 40

// parseDecimal reads a plain number with "," or "." before the decimals
// and no thousands separator.
func parseDecimal(s string) (decimal.Decimal, error) {
	t := strings.TrimSpace(s)
	if len(t) > maxNumberLength {
		return decimal.Decimal{}, fmt.Errorf("invalid number of %d characters: want at most %d", len(t), maxNumberLength)
	}
	if strings.Count(t, ",")+strings.Count(t, ".") > 1 || strings.ContainsAny(t, "eE ") || t == "" {
		return decimal.Decimal{}, fmt.Errorf("invalid number %q: want digits with one optional \",\" or \".\"", s)
	}
	d, err := decimal.NewFromString(strings.Replace(t, ",", ".", 1))
	if err != nil {
		return decimal.Decimal{}, fmt.Errorf("invalid number %q: want digits with one optional \",\" or \".\"", s)
	}
	return d, nil
}
