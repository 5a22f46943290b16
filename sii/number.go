package sii

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/bludispatcher/dispatcher/internal/itnum"
)

// maxNumberLength bounds the characters of a value read as a number, far
// above any consumption, power or CRPP value. Longer text is never parsed,
// because parsing a big number takes time quadratic in its digits.
const maxNumberLength = 40

// parseNumber parses a spreadsheet or CSV number as itnum.ParseLoose does,
// and rejects values longer than maxNumberLength without the white space
// around them.
func parseNumber(s string) (decimal.Decimal, error) {
	if len(strings.TrimSpace(s)) > maxNumberLength {
		return decimal.Decimal{}, fmt.Errorf("number longer than %d characters", maxNumberLength)
	}
	return itnum.ParseLoose(s)
}
