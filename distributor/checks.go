package distributor

import "strings"

func digitsOnly(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func isUpperLetter(c byte) bool { return c >= 'A' && c <= 'Z' }

// validPOD reports whether pod is "IT", three digits of distributor code,
// "E", eight digits, and optionally one more letter or digit.
func validPOD(pod string) bool {
	if len(pod) != 14 && len(pod) != 15 {
		return false
	}
	if pod[0:2] != "IT" || pod[5] != 'E' || !digitsOnly(pod[2:5]) || !digitsOnly(pod[6:14]) {
		return false
	}
	if len(pod) == 15 {
		c := pod[14]
		return digitsOnly(pod[14:]) || isUpperLetter(c)
	}
	return true
}

// validVAT reports whether s is an 11-digit Italian VAT number (partita
// IVA) whose last digit is its check digit. Odd positions add their digit
// and even positions add twice their digit, less 9 when over 9. The check
// digit brings the total to a multiple of 10.
func validVAT(s string) bool {
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

// oddValues is the value of each character in the odd (1st, 3rd, …)
// positions of a personal fiscal code. Digits and letters share the table,
// so "0" and "A" are both worth 1, "1" and "B" both 0, and so on.
var oddValues = [26]int{1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23}

// validFiscalCode reports whether s is a codice fiscale: the 11-digit code
// of a company (checked like a VAT number) or the 16-character code of a
// person, whose last letter is its check character. Digits in the date and
// place parts may be replaced by letters (omocodia), so those positions are
// only checked to be letters or digits.
func validFiscalCode(s string) bool {
	if len(s) == 11 {
		return validVAT(s)
	}
	if len(s) != 16 {
		return false
	}
	for _, i := range []int{0, 1, 2, 3, 4, 5, 8, 11, 15} {
		if !isUpperLetter(s[i]) {
			return false
		}
	}
	sum := 0
	for i := 0; i < 15; i++ {
		c := s[i]
		var idx int
		switch {
		case c >= '0' && c <= '9':
			idx = int(c - '0')
		case isUpperLetter(c):
			idx = int(c - 'A')
		default:
			return false
		}
		if i%2 == 0 {
			sum += oddValues[idx]
		} else {
			sum += idx
		}
	}
	return s[15] == byte('A'+sum%26)
}

// validProvince reports whether s is a two-letter province code.
func validProvince(s string) bool {
	return len(s) == 2 && isUpperLetter(s[0]) && isUpperLetter(s[1])
}

// validPhone reports whether s is a phone number: digits, with an optional
// leading "+" and spaces, 6 to 15 digits in all.
func validPhone(s string) bool {
	t := strings.TrimPrefix(s, "+")
	t = strings.ReplaceAll(t, " ", "")
	return digitsOnly(t) && len(t) >= 6 && len(t) <= 15
}
