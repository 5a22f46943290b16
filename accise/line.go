package accise

import (
	"github.com/shopspring/decimal"

	"github.com/bludispatcher/dispatcher/internal/civil"
)

// Commodity is the taxed product.
type Commodity uint8

const (
	// Electricity is energia elettrica (EE), taxed per kWh.
	Electricity Commodity = iota + 1
	// Gas is gas naturale (GN), taxed per m³ (Smc).
	Gas
)

// String returns "electricity" or "gas".
func (c Commodity) String() string {
	switch c {
	case Electricity:
		return "electricity"
	case Gas:
		return "gas"
	}
	return "unknown"
}

// Use is the use category (categoria d'uso) of a supply, which selects the
// rate and the frame row.
type Use string

// Use categories. From 2026 the gas uses civil and industrial are called
// domestic (domestici) and non-domestic (non domestici); the rates stay.
const (
	// UseDwelling is an electricity supply to a dwelling (abitazione).
	UseDwelling Use = "dwelling"
	// UseNonDwelling is any other electricity use, public lighting included.
	UseNonDwelling Use = "non-dwelling"
	// UseCivil is gas for civil (domestic) uses.
	UseCivil Use = "civil"
	// UseIndustrial is gas for industrial (non-domestic) uses.
	UseIndustrial Use = "industrial"
	// UseVehicle is gas used as vehicle fuel (autotrazione).
	UseVehicle Use = "vehicle"
	// UseExempt is a supply exempt from excise (TUA art. 17 and 52); for gas
	// it bears IRS where a region levies it.
	UseExempt Use = "exempt"
	// UseExcluded is electricity excluded from excise or sold to resellers
	// (frame J).
	UseExcluded Use = "excluded"
)

// DocumentKind is the kind of billing document a line comes from.
type DocumentKind string

const (
	// Invoice is an ordinary invoice (fattura).
	Invoice DocumentKind = "invoice"
	// CreditNote is a credit note (nota di credito); it may carry negative
	// quantities.
	CreditNote DocumentKind = "credit-note"
	// Correction re-bills an earlier period (rettifica di fatturazione); its
	// period may fall outside the declared year.
	Correction DocumentKind = "correction"
)

// Line is one billing line of the import ("cruscotto"): the quantity of one
// supply over one period, with the excise the seller billed.
type Line struct {
	// File and Row locate the line in its source (1-based row; 0 when built
	// in code).
	File string
	Row  int
	// Company is the seller's excise code (codice ditta).
	Company string
	// Supply is the POD (electricity) or PDR (gas).
	Supply string
	// Customer is the customer's fiscal code, used in the list of clients
	// with reliefs (EC).
	Customer string
	// Commodity is electricity or gas.
	Commodity Commodity
	// Use is the use category (categoria d'uso).
	Use Use
	// Resident is the residence flag of a dwelling; nil when not given.
	Resident *bool
	// PowerKW is the contracted power; nil when not given.
	PowerKW *decimal.Decimal
	// Province is the two-letter province code of the supply.
	Province string
	// Municipality is the cadastral code (codice catastale) of the supply's
	// municipality, such as "L219".
	Municipality string
	// ClimateZone is the climate zone A–F (fascia climatica, gas only).
	ClimateZone string
	// ExCasmez is true for supplies in the ex-Cassa del Mezzogiorno
	// territory (gas only).
	ExCasmez bool
	// From and To are the first and last day of the billed period.
	From, To civil.Date
	// Quantity is in kWh (electricity) or m³ (gas); negative on credits.
	Quantity decimal.Decimal
	// BilledExcise is the excise on the document; nil when not given.
	BilledExcise *decimal.Decimal
	// BilledSurcharge is the ARISGAN or IRS on the document; nil when not
	// given.
	BilledSurcharge *decimal.Decimal
	// Kind is the kind of document: invoice, credit note or correction.
	Kind DocumentKind
	// Document is the document number.
	Document string
	// Issued is the date the document was issued (data di emissione del
	// documento). It is zero when not given. A correction is declared in the
	// period that contains this date, so a half-year declaration leaves
	// out the corrections billed in the other half.
	Issued civil.Date
	// Distributor is the VAT number of the distribution company of the
	// supply, which frame I of the electricity declaration groups by.
	Distributor string
}

// Location is "M" for a supply in the ex-Cassa del Mezzogiorno territory and
// "C" otherwise (centre-north), as written in the gas correction frame.
func (l Line) Location() string {
	if l.ExCasmez {
		return "M"
	}
	return "C"
}

// IsResident reports whether the line's dwelling is marked as residence.
func (l Line) IsResident() bool { return l.Resident != nil && *l.Resident }

// Round rounds an amount half away from zero to the cent, the rounding of
// every declaration line (quantity × rate).
func Round(d decimal.Decimal) decimal.Decimal { return d.Round(2) }

// correctionInPeriod reports whether the declaration of the period from-to
// declares the correction l. It does when l was issued in the period, or
// when l has no issue date, because every declaration that is passed such
// a correction declares it.
func correctionInPeriod(l Line, from, to civil.Date) bool {
	return l.Issued.IsZero() || (!l.Issued.Before(from) && !l.Issued.After(to))
}
