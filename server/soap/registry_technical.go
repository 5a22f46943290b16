package soap

import (
	"regexp"

	"github.com/bludispatcher/dispatcher/server/soap/client"
	"github.com/bludispatcher/dispatcher/server/store"
)

// Shapes of the technical data of a supply point, as the WSDL types
// DecimalText and VoltageV state them.
var (
	decimalTextPattern = regexp.MustCompile(`^[0-9]{1,15}([,.][0-9]{1,6})?$`)
	voltagePattern     = regexp.MustCompile(`^[1-9][0-9]{0,6}$`)
)

// technicalField is one technical element of a SupplyPointItem: its
// element name, its value when present, where it is stored and its check.
type technicalField struct {
	element string
	value   *string
	dst     *string
	check   func(string) string
}

// applyTechnical validates the technical elements present in it and
// copies them into t. A failure names the element and its value.
func applyTechnical(t *store.SupplyTechnical, it *client.SupplyPointItem) error {
	for _, f := range technicalFields(t, it) {
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

// checkTechnicalCommodity rejects technical data on a gas point, because
// treatment, power, voltage and meter type describe electricity supplies.
func checkTechnicalCommodity(p store.SupplyPoint) error {
	if p.Commodity == store.Electricity {
		return nil
	}
	t := p.Technical
	for _, f := range []struct{ element, value string }{
		{"Treatment", t.Treatment}, {"ContractedPowerKw", t.ContractedPower},
		{"AvailablePowerKw", t.AvailablePower}, {"VoltageV", t.Voltage}, {"MeterType", t.MeterType},
	} {
		if f.value != "" {
			return itemFault(f.element, f.value, "applies to electricity supply points only")
		}
	}
	return nil
}

func technicalFields(t *store.SupplyTechnical, it *client.SupplyPointItem) []technicalField {
	return []technicalField{
		{"Treatment", (*string)(it.Treatment), &t.Treatment, oneOf("must be M, F, O or C", "M", "F", "O", "C")},
		{"ContractedPowerKw", (*string)(it.ContractedPowerKw), &t.ContractedPower, checkPower},
		{"AvailablePowerKw", (*string)(it.AvailablePowerKw), &t.AvailablePower, checkPower},
		{"VoltageV", (*string)(it.VoltageV), &t.Voltage, checkVoltage},
		{"MeterType", (*string)(it.MeterType), &t.MeterType, oneOf("must be 1G or 2G", "1G", "2G")},
	}
}

func oneOf(message string, allowed ...string) func(string) string {
	return func(v string) string {
		for _, a := range allowed {
			if v == a {
				return ""
			}
		}
		return message
	}
}

func checkPower(v string) string {
	if !decimalTextPattern.MatchString(v) {
		return "must be a power in kW such as 3 or 4,5 (up to 6 decimals)"
	}
	return ""
}

func checkVoltage(v string) string {
	if !voltagePattern.MatchString(v) {
		return "must be a voltage in volts, a positive integer such as 230 or 15000"
	}
	return ""
}
