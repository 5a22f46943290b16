package accise

import "fmt"

// Tax is a tax with its own account, payments and credits. Credits of one
// tax never offset debts of another.
type Tax string

// Taxes of the ledger.
const (
	// TaxElectricity is the electricity excise (accisa sull'energia
	// elettrica), budget chapter 1411.
	TaxElectricity Tax = "ee"
	// TaxGasCombustion is the gas excise for combustion, chapter 1421.
	TaxGasCombustion Tax = "gn-combustion"
	// TaxGasVehicle is the gas excise for vehicle fuel (autotrazione),
	// chapter 1412.
	TaxGasVehicle Tax = "gn-vehicle"
	// TaxArisgan is the regional surcharge on gas excise (addizionale
	// regionale, ARISGAN), paid to each region.
	TaxArisgan Tax = "arisgan"
	// TaxIRS is the regional substitute tax (imposta regionale sostitutiva),
	// paid to each region on gas exempt from excise.
	TaxIRS Tax = "irs"
)

// Taxes lists every tax in a fixed order.
var Taxes = []Tax{TaxElectricity, TaxGasCombustion, TaxGasVehicle, TaxArisgan, TaxIRS}

// ParseTax parses the code of a tax, such as "ee" or "arisgan".
func ParseTax(s string) (Tax, error) {
	for _, t := range Taxes {
		if string(t) == s {
			return t, nil
		}
	}
	return "", fmt.Errorf("accise: invalid tax %q: want ee, gn-combustion, gn-vehicle, arisgan or irs", s)
}

// Chapter returns the chapter used in SummaryKey: the budget chapter of
// the excise taxes, "ARISGAN" or "IRS" for the regional taxes.
func (t Tax) Chapter() string {
	switch t {
	case TaxElectricity:
		return "1411"
	case TaxGasCombustion:
		return ChapterCombustion
	case TaxGasVehicle:
		return ChapterVehicle
	case TaxArisgan:
		return "ARISGAN"
	case TaxIRS:
		return "IRS"
	}
	return ""
}

// Regional reports whether the tax is paid to a region rather than to the
// customs agency; its area is always a province.
func (t Tax) Regional() bool { return t == TaxArisgan || t == TaxIRS }

// Commodity returns the taxed product.
func (t Tax) Commodity() Commodity {
	if t == TaxElectricity {
		return Electricity
	}
	return Gas
}

// Label returns the Italian name of the tax, as printed on reports and
// forms.
func (t Tax) Label() string {
	switch t {
	case TaxElectricity:
		return "Accisa energia elettrica"
	case TaxGasCombustion:
		return "Accisa gas naturale combustione"
	case TaxGasVehicle:
		return "Accisa gas naturale autotrazione"
	case TaxArisgan:
		return "Addizionale regionale gas (ARISGAN)"
	case TaxIRS:
		return "Imposta regionale sostitutiva (IRS)"
	}
	return string(t)
}

// Citation is a value taken from a public source, with the source and its
// confidence: "confirmed", "single-source", "guess" or "unknown".
type Citation struct {
	// Value is the cited value.
	Value string `json:"value"`
	// Source names where the value comes from.
	Source string `json:"source,omitempty"`
	// Confidence is confirmed, single-source, guess or unknown.
	Confidence string `json:"confidence"`
}

// Confirmed reports whether the value has a primary source or two agreeing
// sources.
func (c Citation) Confirmed() bool { return c.Confidence == "confirmed" }
