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

// maxDecimalLength bounds the characters of a decimal read from XML, far
// above any amount, rate or quantity of a declaration.
const maxDecimalLength = 64

// unmarshalDecimal reads an xs:decimal: an optional sign, digits and an
// optional decimal point. It rejects the exponent form that
// decimal.NewFromString also accepts, because a value such as "1e999999999"
// is a few bytes long but is written back with a billion digits.
func unmarshalDecimal(d *decimal.Decimal, b []byte) error {
	if len(b) > maxDecimalLength {
		return fmt.Errorf("invalid decimal %q...: longer than %d characters", b[:maxDecimalLength], maxDecimalLength)
	}
	if !isPlainDecimal(b) {
		return fmt.Errorf("invalid decimal %q: want digits with an optional sign and decimal point, such as -1234.56", b)
	}
	v, err := decimal.NewFromString(string(b))
	if err != nil {
		return fmt.Errorf("invalid decimal %q: %w", b, err)
	}
	*d = v
	return nil
}

// isPlainDecimal reports whether b has the xs:decimal form: an optional
// sign, then digits with at most one decimal point and at least one digit.
func isPlainDecimal(b []byte) bool {
	if len(b) > 0 && (b[0] == '+' || b[0] == '-') {
		b = b[1:]
	}
	digits, points := 0, 0
	for _, c := range b {
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c == '.':
			points++
		default:
			return false
		}
	}
	return digits > 0 && points <= 1
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
	// OfficeProvince is ProvUffAmm.
	OfficeProvince string `xml:"ProvUffAmm,omitempty"`
	// OfficeAddress is IndUffAmm.
	OfficeAddress string `xml:"IndUffAmm,omitempty"`
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
	// Province is Prov.
	Province string `xml:"Prov"`
	// Municipality is CodCat.
	Municipality string `xml:"CodCat"`
	// Month is Mese.
	Month int `xml:"Mese"`
	// Rows is Consumi.
	Rows []ConsumptionRow `xml:"Consumi"`
}

// CorrectionDetail is one rate column of a correction row.
type CorrectionDetail struct {
	// Location is Localiz, C or M, on civil gas rows only.
	Location string `xml:"Localiz,omitempty"`
	// Quantity is Qta.
	Quantity Qty `xml:"Qta"`
	// Rate is Aliq.
	Rate Rate `xml:"Aliq"`
	// Amount is Imp.
	Amount Money `xml:"Imp"`
}

// CorrectionRow is a Rettifica row.
type CorrectionRow struct {
	// Row is Progr.
	Row int `xml:"Progr"`
	// Details is Dettaglio.
	Details []CorrectionDetail `xml:"Dettaglio"`
	// Total is Totale.
	Total Money `xml:"Totale"`
}

// CorrectionFrame is electricity frame K or gas frame H of a province and
// municipality.
type CorrectionFrame struct {
	// Province is Prov.
	Province string `xml:"Prov"`
	// Municipality is CodCat.
	Municipality string `xml:"CodCat"`
	// Rows is Rettifica.
	Rows []CorrectionRow `xml:"Rettifica"`
}

// RateDetail is one quantity and rate column of a liquidation row.
type RateDetail struct {
	// Quantity is Qta.
	Quantity Qty `xml:"Qta"`
	// Rate is Aliq.
	Rate Rate `xml:"Aliq"`
}

// LiquidationRow is a Liquid row.
type LiquidationRow struct {
	// Row is Progr.
	Row int `xml:"Progr"`
	// Kind is TipoR: 0 quantity × rate, 1 amount only, 9 total.
	Kind int `xml:"TipoR"`
	// Details is Dettaglio.
	Details []RateDetail `xml:"Dettaglio"`
	// Total is Totale.
	Total Money `xml:"Totale"`
}

// LiquidationFrame is electricity frame P or gas frame I of a province.
type LiquidationFrame struct {
	// Province is Prov.
	Province string `xml:"Prov"`
	// Month is Mese, 0 for the whole period.
	Month int `xml:"Mese"`
	// Chapter is Cap, the budget chapter: 1411 for electricity, 1412 or 1421 for gas.
	Chapter string `xml:"Cap"`
	// Article is Art, the chapter article.
	Article string `xml:"Art"`
	// Rows is Liquid.
	Rows []LiquidationRow `xml:"Liquid"`
}

// SummaryRow is a RiepSaldo row.
type SummaryRow struct {
	// Row is Progr.
	Row int `xml:"Progr"`
	// Amount is Imp.
	Amount Money `xml:"Imp"`
}

// SummaryFrame is a riepilogo e saldo frame: electricity Q (per ambito) and X
// (per province, 2021), gas L (per ambito), N and P (per province).
type SummaryFrame struct {
	// Ambito is Ambito, the ambito code of frames Q and L.
	Ambito string `xml:"Ambito,omitempty"`
	// Province is Prov, the province of frames X, N and P.
	Province string `xml:"Prov,omitempty"`
	// Chapter is Cap.
	Chapter string `xml:"Cap,omitempty"`
	// Article is Art.
	Article string `xml:"Art,omitempty"`
	// Rows is RiepSaldo.
	Rows []SummaryRow `xml:"RiepSaldo"`
	// Payments is VersMese, the monthly payments due on the actual
	// quantities of each month of the half, in gas frame L of the half-year
	// declaration only.
	//
	// NOTE: VersMese, Mese and Imp here are this library's own element
	// names. No public source shows how the half-year gas declaration
	// lists the monthly payments.
	Payments []MonthlyPayment `xml:"VersMese"`
}

// MonthlyPayment is a VersMese entry: the payment due on one month's
// actual quantities (from tax year 2026, due by the end of the next month).
type MonthlyPayment struct {
	// Month is Mese, 1 to 12.
	Month int `xml:"Mese"`
	// Amount is Imp, the payment due in euro.
	Amount Money `xml:"Imp"`
}

// Client is a Cliente of the list of clients with reliefs (EC).
type Client struct {
	// ID is Id, the client's fiscal code.
	ID string `xml:"Id"`
	// UseFrame is TipoUsoQ, the frame letter of the client's use.
	UseFrame string `xml:"TipoUsoQ"`
	// UseRow is TipoUsoR, the row of the client's use in that frame.
	UseRow int `xml:"TipoUsoR"`
	// Application is ModApp, the application mode: 1 whole supply, 2 percentage.
	Application int `xml:"ModApp"`
	// Percent is Perc, the flat percentage when Application is 2.
	Percent string `xml:"Perc,omitempty"`
	// Supply is POD: the POD (electricity) or PDR (gas) of the supply.
	Supply string `xml:"POD"`
	// Quantity is Qta, the quantity supplied.
	Quantity Qty `xml:"Qta"`
	// Address is Ind, the supply address.
	Address string `xml:"Ind,omitempty"`
	// Municipality is CodCat, the cadastral code of the supply.
	Municipality string `xml:"CodCat"`
	// Excise is Accisa, the excise on the supply.
	Excise Money `xml:"Accisa"`
	// From is DataI, the first day of supply, yyyy-mm-dd.
	From string `xml:"DataI"`
	// To is DataF, the last day of supply, yyyy-mm-dd.
	To string `xml:"DataF"`
}

// ClientList is frame EC of a province.
type ClientList struct {
	// Province is Prov.
	Province string `xml:"Prov"`
	// Clients is Cliente.
	Clients []Client `xml:"Cliente"`
}

// Supplier is a Fornitore of the list of own suppliers (EF).
type Supplier struct {
	// Origin is Proven.
	Origin string `xml:"Proven"`
	// ID is Id.
	ID string `xml:"Id"`
	// Quantity is Qta.
	Quantity Qty `xml:"Qta"`
}

// SupplierList is frame EF.
type SupplierList struct {
	// Suppliers is Fornitore.
	Suppliers []Supplier `xml:"Fornitore"`
}

// Sending is frame PROGRESSIVI, which splits one declaration across sends.
type Sending struct {
	// Number is ProgrInvio, the number of this send.
	Number int `xml:"ProgrInvio"`
	// Total is TotProgr, the number of sends of the declaration.
	Total int `xml:"TotProgr"`
}

// Meter is a Contatore of electricity frame I: the energy billed through one
// distributor or reseller in one municipality.
type Meter struct {
	// Type is Tipo: P for sales through a reseller (ID is the reseller's
	// fiscal code), Q for a client with a percentage exclusion, M otherwise
	// (ID is the distributor's VAT number).
	Type string `xml:"Tipo"`
	// ID is Id.
	ID string `xml:"Id"`
	// KWh is Kwh.
	KWh Qty `xml:"Kwh"`
	// Municipality is CodCat.
	Municipality string `xml:"CodCat"`
}

// InvoicedFrame is electricity frame I, the energy billed (fatturata).
type InvoicedFrame struct {
	// Meters is Contatore.
	Meters []Meter `xml:"Contatore"`
	// Total is Totale.
	Total Qty `xml:"Totale"`
}

// ElectricityDeclaration is the electricity declaration of one ambito:
// root EnergiaElettrica (annual) or EnergiaElettricaSemestrale (half-year,
// when Period is set).
type ElectricityDeclaration struct {
	// XMLName is the root element and its namespace.
	XMLName xml.Name `xml:""`
	// Declarant is Dich.
	Declarant Declarant `xml:"Dich"`
	// Period is Periodo.
	Period *Period `xml:"Periodo"`
	// Year is Anno.
	Year int `xml:"Anno,omitempty"`
	// I is I.
	I *InvoicedFrame `xml:"I"`
	// J is J.
	J []ConsumptionFrame `xml:"J"`
	// L is L.
	L []ConsumptionFrame `xml:"L"`
	// M is M.
	M []ConsumptionFrame `xml:"M"`
	// K is K.
	K []CorrectionFrame `xml:"K"`
	// P is P.
	P []LiquidationFrame `xml:"P"`
	// X is X.
	X []SummaryFrame `xml:"X"`
	// Q is Q.
	Q []SummaryFrame `xml:"Q"`
	// EC is EC.
	EC []ClientList `xml:"EC"`
	// EF is EF.
	EF *SupplierList `xml:"EF"`
	// Sending is PROGRESSIVI.
	Sending *Sending `xml:"PROGRESSIVI"`
}

// GasSale is a Venduto entry of gas frame D.
type GasSale struct {
	// Type is Tipo, the kind of counterparty.
	//
	// NOTE: the meaning of the gas Tipo codes is not publicly documented;
	// the value is carried as given.
	Type string `xml:"Tipo"`
	// ID is Id, the counterparty's fiscal code or VAT number.
	ID string `xml:"Id"`
	// Quantity is Mc, in m³.
	Quantity Qty `xml:"Mc"`
	// Municipality is CodCat.
	Municipality string `xml:"CodCat"`
}

// GasSoldFrame is gas frame D, the gas extracted or sold.
type GasSoldFrame struct {
	// Sales is Venduto.
	Sales []GasSale `xml:"Venduto"`
	// Total is Totale, in m³.
	Total Qty `xml:"Totale"`
}

// GasBilledRow is a FatturatoImpiegato row.
type GasBilledRow struct {
	// Row is Progr.
	Row int `xml:"Progr"`
	// Supplies is NumUt.
	Supplies int `xml:"NumUt"`
	// Quantity is Qta.
	Quantity Qty `xml:"Qta"`
}

// GasBilledFrame is gas frame E, F (with a climate zone) or G of a province
// and municipality.
type GasBilledFrame struct {
	// Province is Prov.
	Province string `xml:"Prov"`
	// Municipality is CodCat.
	Municipality string `xml:"CodCat"`
	// ClimateZone is FascClim.
	ClimateZone string `xml:"FascClim,omitempty"`
	// Rows is FatturatoImpiegato.
	Rows []GasBilledRow `xml:"FatturatoImpiegato"`
}

// SurchargeRow is a Liquid row of the ARISGAN (M) or IRS (O) frame.
type SurchargeRow struct {
	// ClimateZone is FascClim.
	ClimateZone string `xml:"FascClim,omitempty"`
	// Row is Progr.
	Row int `xml:"Progr"`
	// Details is Dettaglio.
	Details []RateDetail `xml:"Dettaglio"`
	// Total is Totale.
	Total Money `xml:"Totale"`
}

// TotalRow is a Totali row.
type TotalRow struct {
	// Row is Progr.
	Row int `xml:"Progr"`
	// Kind is TipoR.
	Kind int `xml:"TipoR"`
	// Amount is Imp.
	Amount Money `xml:"Imp"`
}

// SurchargeFrame is gas frame M (ARISGAN) or O (IRS) of a province.
type SurchargeFrame struct {
	// Province is Prov.
	Province string `xml:"Prov"`
	// Rows is Liquid.
	Rows []SurchargeRow `xml:"Liquid"`
	// Totals is Totali.
	Totals []TotalRow `xml:"Totali"`
}

// GasDeclaration is the gas declaration of one ambito: root GasNaturale
// (annual) or GasNaturaleSemestrale (half-year, when Period is set).
//
// NOTE: the root GasNaturaleSemestrale is this library's own name, formed
// like the electricity EnergiaElettricaSemestrale. No public source gives
// the half-year gas root.
type GasDeclaration struct {
	// XMLName is the root element and its namespace.
	XMLName xml.Name `xml:""`
	// Declarant is Dich.
	Declarant Declarant `xml:"Dich"`
	// Period is Periodo, in half-year declarations only.
	Period *Period `xml:"Periodo"`
	// Year is Anno, in annual declarations only.
	Year int `xml:"Anno,omitempty"`
	// D is D, the gas sold.
	D *GasSoldFrame `xml:"D"`
	// E is E.
	E []GasBilledFrame `xml:"E"`
	// F is F.
	F []GasBilledFrame `xml:"F"`
	// G is G.
	G []GasBilledFrame `xml:"G"`
	// H is H.
	H []CorrectionFrame `xml:"H"`
	// I is I.
	I []LiquidationFrame `xml:"I"`
	// X is X.
	X []SummaryFrame `xml:"X"`
	// L is L.
	L []SummaryFrame `xml:"L"`
	// M is M.
	M []SurchargeFrame `xml:"M"`
	// N is N.
	N []SummaryFrame `xml:"N"`
	// O is O.
	O []SurchargeFrame `xml:"O"`
	// P is P.
	P []SummaryFrame `xml:"P"`
	// EC is EC.
	EC []ClientList `xml:"EC"`
	// EF is EF.
	EF *SupplierList `xml:"EF"`
	// Sending is PROGRESSIVI.
	Sending *Sending `xml:"PROGRESSIVI"`
}
