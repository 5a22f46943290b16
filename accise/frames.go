package accise

import (
	"encoding/xml"
	"fmt"

	"github.com/shopspring/decimal"
)

// Namespaces of the ADM declaration XML.
const (
	ElectricityNamespace = "http://energiaelettrica.jaxb.types.controlliEEGN.accise.adm.finanze.it"
	GasNamespace         = "http://gasnaturale.jaxb.types.controlliEEGN.accise.adm.finanze.it"
)

// Money is an amount in euro, written with two decimals.
type Money struct{ decimal.Decimal }

// MarshalText writes the amount with two decimals and a decimal point.
func (m Money) MarshalText() ([]byte, error) { return []byte(m.StringFixed(2)), nil }

// UnmarshalText reads a decimal number.
func (m *Money) UnmarshalText(b []byte) error { return unmarshalDecimal(&m.Decimal, b) }

// Rate is a tax rate in €/kWh or €/m³, written with seven decimals.
type Rate struct{ decimal.Decimal }

// MarshalText writes the rate with seven decimals.
func (r Rate) MarshalText() ([]byte, error) { return []byte(r.StringFixed(7)), nil }

// UnmarshalText reads a decimal number.
func (r *Rate) UnmarshalText(b []byte) error { return unmarshalDecimal(&r.Decimal, b) }

// Qty is a quantity in kWh or m³, written with three decimals.
type Qty struct{ decimal.Decimal }

// MarshalText writes the quantity with three decimals.
func (q Qty) MarshalText() ([]byte, error) { return []byte(q.StringFixed(3)), nil }

// UnmarshalText reads a decimal number.
func (q *Qty) UnmarshalText(b []byte) error { return unmarshalDecimal(&q.Decimal, b) }

func unmarshalDecimal(d *decimal.Decimal, b []byte) error {
	v, err := decimal.NewFromString(string(b))
	if err != nil {
		return fmt.Errorf("invalid decimal %q: %w", b, err)
	}
	*d = v
	return nil
}

// Declarant is the frontispiece (Dich).
type Declarant struct {
	// CompanyCode is CodDitta, the excise code of the seller.
	CompanyCode string `xml:"CodDitta"`
	// SubjectType is TipoSogg; omitted in half-year files.
	SubjectType string `xml:"TipoSogg,omitempty"`
	// ActivityCode is CodAtt.
	ActivityCode string `xml:"CodAtt"`
	// OfficeMunicipality, OfficeProvince and OfficeAddress are ComUffAmm,
	// ProvUffAmm and IndUffAmm, the administrative office.
	OfficeMunicipality string `xml:"ComUffAmm,omitempty"`
	OfficeProvince     string `xml:"ProvUffAmm,omitempty"`
	OfficeAddress      string `xml:"IndUffAmm,omitempty"`
}

// Period is the Periodo of a half-year declaration.
type Period struct {
	// Year is Anno.
	Year int `xml:"Anno"`
	// Half is PeriodoRiferimento, 1 or 2.
	Half int `xml:"PeriodoRiferimento"`
}

// ConsumptionRow is a Consumi row of electricity frames J, L and M.
type ConsumptionRow struct {
	// Row is Progr.
	Row int `xml:"Progr"`
	// OwnUse is QtaUP, the quantity in own uses (zero for a seller).
	OwnUse Qty `xml:"QtaUP"`
	// Supplies is NumUt, the number of supplies billed with excise.
	Supplies int `xml:"NumUt"`
	// Commercial is QtaUC, the quantity sold.
	Commercial Qty `xml:"QtaUC"`
}

// ConsumptionFrame is one electricity frame J, L or M of a province and
// municipality.
type ConsumptionFrame struct {
	Province     string           `xml:"Prov"`
	Municipality string           `xml:"CodCat"`
	Month        int              `xml:"Mese"`
	Rows         []ConsumptionRow `xml:"Consumi"`
}

// CorrectionDetail is one rate column of a correction row.
type CorrectionDetail struct {
	// Location is Localiz, C or M, on civil gas rows only.
	Location string `xml:"Localiz,omitempty"`
	Quantity Qty    `xml:"Qta"`
	Rate     Rate   `xml:"Aliq"`
	Amount   Money  `xml:"Imp"`
}

// CorrectionRow is a Rettifica row.
type CorrectionRow struct {
	Row     int                `xml:"Progr"`
	Details []CorrectionDetail `xml:"Dettaglio"`
	Total   Money              `xml:"Totale"`
}

// CorrectionFrame is electricity frame K or gas frame H of a province and
// municipality.
type CorrectionFrame struct {
	Province     string          `xml:"Prov"`
	Municipality string          `xml:"CodCat"`
	Rows         []CorrectionRow `xml:"Rettifica"`
}

// RateDetail is one quantity and rate column of a liquidation row.
type RateDetail struct {
	Quantity Qty  `xml:"Qta"`
	Rate     Rate `xml:"Aliq"`
}

// LiquidationRow is a Liquid row.
type LiquidationRow struct {
	Row int `xml:"Progr"`
	// Kind is TipoR: 0 quantity × rate, 1 amount only, 9 total.
	Kind    int          `xml:"TipoR"`
	Details []RateDetail `xml:"Dettaglio"`
	Total   Money        `xml:"Totale"`
}

// LiquidationFrame is electricity frame P or gas frame I of a province.
type LiquidationFrame struct {
	Province string `xml:"Prov"`
	// Month is Mese, 0 for the whole period.
	Month   int              `xml:"Mese"`
	Chapter string           `xml:"Cap"`
	Article string           `xml:"Art"`
	Rows    []LiquidationRow `xml:"Liquid"`
}

// SummaryRow is a RiepSaldo row.
type SummaryRow struct {
	Row    int   `xml:"Progr"`
	Amount Money `xml:"Imp"`
}

// SummaryFrame is a riepilogo e saldo frame: electricity Q (per ambito) and X
// (per province, 2021), gas L (per ambito), N and P (per province).
type SummaryFrame struct {
	Ambito   string       `xml:"Ambito,omitempty"`
	Province string       `xml:"Prov,omitempty"`
	Chapter  string       `xml:"Cap,omitempty"`
	Article  string       `xml:"Art,omitempty"`
	Rows     []SummaryRow `xml:"RiepSaldo"`
}

// Client is a Cliente of the list of clients with reliefs (EC).
type Client struct {
	ID          string `xml:"Id"`
	UseFrame    string `xml:"TipoUsoQ"`
	UseRow      int    `xml:"TipoUsoR"`
	Application int    `xml:"ModApp"`
	Percent     string `xml:"Perc,omitempty"`
	// Supply is the POD (electricity) or PDR (gas).
	Supply       string `xml:"POD"`
	Quantity     Qty    `xml:"Qta"`
	Address      string `xml:"Ind,omitempty"`
	Municipality string `xml:"CodCat"`
	Excise       Money  `xml:"Accisa"`
	From         string `xml:"DataI"`
	To           string `xml:"DataF"`
}

// ClientList is frame EC of a province.
type ClientList struct {
	Province string   `xml:"Prov"`
	Clients  []Client `xml:"Cliente"`
}

// Supplier is a Fornitore of the list of own suppliers (EF).
type Supplier struct {
	// Origin is Proven.
	Origin   string `xml:"Proven"`
	ID       string `xml:"Id"`
	Quantity Qty    `xml:"Qta"`
}

// SupplierList is frame EF.
type SupplierList struct {
	Suppliers []Supplier `xml:"Fornitore"`
}

// Sending is frame PROGRESSIVI, which splits one declaration across sends.
type Sending struct {
	Number int `xml:"ProgrInvio"`
	Total  int `xml:"TotProgr"`
}

// Meter is a Contatore of electricity frame I: the energy billed through one
// distributor or reseller in one municipality.
type Meter struct {
	// Type is Tipo: P for sales through a reseller (ID is the reseller's
	// fiscal code), Q for a client with a percentage exclusion, M otherwise
	// (ID is the distributor's VAT number).
	Type         string `xml:"Tipo"`
	ID           string `xml:"Id"`
	KWh          Qty    `xml:"Kwh"`
	Municipality string `xml:"CodCat"`
}

// InvoicedFrame is electricity frame I, the energy billed (fatturata).
type InvoicedFrame struct {
	Meters []Meter `xml:"Contatore"`
	Total  Qty     `xml:"Totale"`
}

// ElectricityDeclaration is the electricity declaration of one ambito:
// root EnergiaElettrica (annual) or EnergiaElettricaSemestrale (half-year,
// when Period is set).
type ElectricityDeclaration struct {
	XMLName   xml.Name           `xml:""`
	Declarant Declarant          `xml:"Dich"`
	Period    *Period            `xml:"Periodo"`
	Year      int                `xml:"Anno,omitempty"`
	I         *InvoicedFrame     `xml:"I"`
	J         []ConsumptionFrame `xml:"J"`
	L         []ConsumptionFrame `xml:"L"`
	M         []ConsumptionFrame `xml:"M"`
	K         []CorrectionFrame  `xml:"K"`
	P         []LiquidationFrame `xml:"P"`
	X         []SummaryFrame     `xml:"X"`
	Q         []SummaryFrame     `xml:"Q"`
	EC        []ClientList       `xml:"EC"`
	EF        *SupplierList      `xml:"EF"`
	Sending   *Sending           `xml:"PROGRESSIVI"`
}

// GasBilledRow is a FatturatoImpiegato row.
type GasBilledRow struct {
	Row      int `xml:"Progr"`
	Supplies int `xml:"NumUt"`
	Quantity Qty `xml:"Qta"`
}

// GasBilledFrame is gas frame E, F (with a climate zone) or G of a province
// and municipality.
type GasBilledFrame struct {
	Province     string         `xml:"Prov"`
	Municipality string         `xml:"CodCat"`
	ClimateZone  string         `xml:"FascClim,omitempty"`
	Rows         []GasBilledRow `xml:"FatturatoImpiegato"`
}

// SurchargeRow is a Liquid row of the ARISGAN (M) or IRS (O) frame.
type SurchargeRow struct {
	ClimateZone string       `xml:"FascClim,omitempty"`
	Row         int          `xml:"Progr"`
	Details     []RateDetail `xml:"Dettaglio"`
	Total       Money        `xml:"Totale"`
}

// TotalRow is a Totali row.
type TotalRow struct {
	Row    int   `xml:"Progr"`
	Kind   int   `xml:"TipoR"`
	Amount Money `xml:"Imp"`
}

// SurchargeFrame is gas frame M (ARISGAN) or O (IRS) of a province.
type SurchargeFrame struct {
	Province string         `xml:"Prov"`
	Rows     []SurchargeRow `xml:"Liquid"`
	Totals   []TotalRow     `xml:"Totali"`
}

// GasDeclaration is the gas declaration of one ambito (root GasNaturale).
type GasDeclaration struct {
	XMLName   xml.Name           `xml:""`
	Declarant Declarant          `xml:"Dich"`
	Year      int                `xml:"Anno"`
	E         []GasBilledFrame   `xml:"E"`
	F         []GasBilledFrame   `xml:"F"`
	G         []GasBilledFrame   `xml:"G"`
	H         []CorrectionFrame  `xml:"H"`
	I         []LiquidationFrame `xml:"I"`
	X         []SummaryFrame     `xml:"X"`
	L         []SummaryFrame     `xml:"L"`
	M         []SurchargeFrame   `xml:"M"`
	N         []SummaryFrame     `xml:"N"`
	O         []SurchargeFrame   `xml:"O"`
	P         []SummaryFrame     `xml:"P"`
	EC        []ClientList       `xml:"EC"`
	EF        *SupplierList      `xml:"EF"`
	Sending   *Sending           `xml:"PROGRESSIVI"`
}
