package soap

import (
	"regexp"

	"github.com/bludispatcher/dispatcher/server/soap/client"
	"github.com/bludispatcher/dispatcher/server/store"
)

// Shapes of the dispatching data of a supply point. A foreign VAT number
// follows the PIVAType_AlfNmr type of the SII metering flows, which allows
// up to 16 characters.
var (
	italianVATPattern          = regexp.MustCompile(`^[0-9]{11}$`)
	foreignVATPattern          = regexp.MustCompile(`^[0-9A-Za-z]{1,16}$`)
	dispatchingContractPattern = regexp.MustCompile(`^DP[0-9]{4}$`)
)

// applyDispatching validates the dispatching elements present in it and
// copies them into p. A failure names the element and its value.
func applyDispatching(p *store.SupplyPoint, it *client.SupplyPointItem) error {
	fields := []struct {
		element string
		value   *string
		dst     *string
		check   func(string) string
	}{
		{"UdDVat", (*string)(it.UdDVat), &p.UdDVAT, checkVAT},
		{"CounterpartyVat", (*string)(it.CounterpartyVat), &p.CounterpartyVAT, checkVAT},
		{"DispatchingContract", (*string)(it.DispatchingContract), &p.DispatchingContract, checkDispatchingContract},
	}
	for _, f := range fields {
		if f.value == nil {
			continue
		}
		if msg := f.check(*f.value); msg != "" {
			return itemFault(f.element, *f.value, msg)
		}
		*f.dst = *f.value
	}
	return nil
}

// checkDispatchingCommodity rejects a dispatching contract on a gas
// point, because Terna dispatching contracts cover electricity only.
func checkDispatchingCommodity(p store.SupplyPoint) error {
	if p.Commodity != store.Electricity && p.DispatchingContract != "" {
		return itemFault("DispatchingContract", p.DispatchingContract, "applies to electricity supply points only")
	}
	return nil
}

// checkVAT returns what is wrong with v, or "" when v is an Italian VAT
// number (partita IVA) of 11 digits ending with its check digit or a
// foreign one of 1 to 16 letters and digits with at least one letter.
func checkVAT(v string) string {
	switch {
	case italianVATPattern.MatchString(v):
		if !validVATCheckDigit(v) {
			return "is not a valid Italian VAT number: the check digit (the 11th) does not match the first 10 digits"
		}
		return ""
	case foreignVATPattern.MatchString(v) && !digitsOnly(v):
		return ""
	}
	return "must be an Italian VAT number of 11 digits or a foreign one of up to 16 letters and digits, at least one a letter"
}

// validVATCheckDigit reports whether the last of the 11 digits of s is the
// check digit of the first ten. Digits in odd positions count as they
// are. Digits in even positions count twice, less 9 when the double
// exceeds 9. The check digit brings the sum to a multiple of 10.
func validVATCheckDigit(s string) bool {
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

func digitsOnly(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func checkDispatchingContract(v string) string {
	if !dispatchingContractPattern.MatchString(v) || v == "DP0000" {
		return "must be a Terna dispatching contract: DP and four digits other than 0000, such as DP0001"
	}
	return ""
}
