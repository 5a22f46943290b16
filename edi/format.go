package edi

import (
	"strings"

	"github.com/shopspring/decimal"
)

// formatItalian writes d with places decimals, a decimal comma and a dot
// every three integer digits, as Italian documents do: "1.234,56".
func formatItalian(d decimal.Decimal, places int32) string {
	s := d.StringFixed(places)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	if frac != "" {
		b.WriteByte(',')
		b.WriteString(frac)
	}
	return b.String()
}

// formatQuantity writes a quantity with the decimals it was written with,
// at least zero and at most six.
func formatQuantity(n Number) string {
	if !n.Set {
		return ""
	}
	if n.Err != nil {
		return n.Text
	}
	places := -n.Value.Exponent()
	places = max(0, min(places, 6))
	return formatItalian(n.Value, places)
}

func italianDate(d Date) string {
	if d.Valid() {
		return d.Value.Italian()
	}
	return d.Text
}
