package sii

import "strings"

// PODKeyLength is the length of a POD without its optional 15th character:
// "IT", three digits of distributor code, "E" and eight digits.
const PODKeyLength = 14

// PODKey returns the key that identifies a point: its first 14 characters,
// trimmed and upper-cased. Some SII feeds append a 15th character that no
// published rule defines, so two PODs that differ only there are the same
// point.
func PODKey(pod string) string {
	k := strings.ToUpper(strings.TrimSpace(pod))
	if len(k) > PODKeyLength {
		k = k[:PODKeyLength]
	}
	return k
}

// validPODShape reports whether pod is "IT", three digits, "E", eight
// digits, and optionally one more letter or digit.
func validPODShape(pod string) bool {
	if len(pod) != 14 && len(pod) != 15 {
		return false
	}
	if pod[0:2] != "IT" || pod[5] != 'E' || !digitsOnly(pod[2:5]) || !digitsOnly(pod[6:14]) {
		return false
	}
	if len(pod) == 15 {
		c := pod[14]
		return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')
	}
	return true
}

func digitsOnly(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// validVATNumber reports whether s is an 11-digit Italian VAT number
// (partita IVA) whose last digit is the check digit. Odd positions add
// their digit and even positions add twice their digit, less 9 when over 9.
// The check digit brings the total to a multiple of 10.
func validVATNumber(s string) bool {
	if len(s) != 11 || !digitsOnly(s) {
		return false
	}
	sum := 0
	for i := 0; i < 10; i++ {
		d := int(s[i] - '0')
		if i%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return (10-sum%10)%10 == int(s[10]-'0')
}
