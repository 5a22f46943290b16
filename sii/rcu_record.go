package sii

import (
	"github.com/shopspring/decimal"

	"github.com/bludispatcher/dispatcher/internal/civil"
)

// RCURecord is one point (POD) of the RCU extract.
//
// Typed fields hold the zero value when their column is absent, empty or
// malformed. Get returns the text exactly as read, which keeps those cases
// apart, and RCUValidator reports the malformed ones.
type RCURecord struct {
	// Line is the 1-based line of the record in the file.
	Line int

	POD                string              // COD_POD, as read (14 or 15 characters)
	Area               string              // AREA_RIF: reference area of the distributor
	DistributorName    string              // RAGIONE_SOCIALE_DISTR
	DistributorVAT     string              // PIVA_DISTR
	DP                 string              // DP, kept as read because its meaning is not published
	UdDName            string              // RAGIONE_SOCIALE_UDD: dispatching user (utente del dispacciamento)
	UdDVAT             string              // PIVA_UDD
	CounterpartyName   string              // RAGIONE_SOCIALE_CC: commercial counterparty (controparte commerciale)
	CounterpartyVAT    string              // PIVA_CC
	PODType            string              // TIPO_POD
	PODTypeEnd         civil.Date          // FINE_TIPO_POD
	SupplyStart        civil.Date          // DATA_INIZIO_FORNITURA
	SupplyEnd          civil.Date          // DATA_FINE_FORNITURA; zero when open-ended
	DispatchingStart   civil.Date          // DATA_INIZIO_DISPACCIAMENTO
	FiscalCode         string              // CF: the customer's codice fiscale
	VATNumber          string              // PIVA: the customer's VAT number
	ForeignFiscalCode  string              // CF_STRANIERO
	FirstName          string              // NOME
	LastName           string              // COGNOME
	CompanyName        string              // RAGIONE_SOCIALE_DENOMINAZIONE
	Resident           string              // RESIDENZA
	ProtectedService   string              // SERVIZIO_TUTELA
	Voltage            string              // TENSIONE
	Disconnectable     string              // DISALIMENTABILITA
	DistributionTariff string              // TARIFFA_DISTRIBUZIONE
	MeterType          string              // TIPO_MISURATORE
	CommittedPower     decimal.NullDecimal // POTCONTRIMP, kW
	AvailablePower     decimal.NullDecimal // POTDISP, kW
	AnnualConsumption  decimal.NullDecimal // CONSUMO_TOT, kWh per year
	Treatment          string              // TRATTAMENTO: settlement treatment
	NextTreatment      string              // TRATTAMENTO_SUCC
	CompensationRegime string              // REGIME_COMPENSAZIONE
	PhysicalBonus      BonusDates          // BF_DATA_INIZIO, BF_DATA_FINE, BF_DATA_RINNOVO
	EconomicBonus      BonusDates          // BE_DATA_INIZIO, BE_DATA_FINE, BE_DATA_RINNOVO, BE_DATA_CESSAZIONE
	EconomicBonusYear  string              // BE_ANNO_VALIDITA
	BonusCommunication string              // COMUNIC_BONUS
	ActiveConstant     decimal.NullDecimal // K_TRASFOR_ATT
	ActiveMeterSerial  string              // MAT_MISURATORE_ATT
	PMA                string              // PMA
	MarketType         string              // TIPO_MERCATO
	RetroactiveDate    civil.Date          // DATA_DECORRENZA_RET
	CustomerEmail      string              // EMAIL_CLIENTE
	CustomerPhone      string              // TELEFONO_CLIENTE
	OfferCode          string              // COD_OFFERTA
	SelfCertification  string              // AUTOCERTIFICAZIONE
	SmartMeterDate     civil.Date          // DATA_MESSA_REGIME
	Reason             string              // MOTIVAZIONE

	// CRPP holds the load-profiling coefficients (coefficiente di
	// ripartizione del prelievo) when the record has at least one CRPP
	// value; nil otherwise.
	CRPP *CRPP

	header *rcuHeader
	values []string
}

// BonusDates are the validity dates of one social bonus.
type BonusDates struct {
	Start     civil.Date // BF_DATA_INIZIO or BE_DATA_INIZIO
	End       civil.Date // BF_DATA_FINE or BE_DATA_FINE; zero when open-ended
	Renewal   civil.Date // BF_DATA_RINNOVO or BE_DATA_RINNOVO
	Cessation civil.Date // BE_DATA_CESSAZIONE (economic bonus only)
}

// Key returns the stable key of the record: the first 14 characters of
// the POD (see PODKey).
func (r *RCURecord) Key() string { return PODKey(r.POD) }

// Get returns the text of column name exactly as read; ok is false when
// the file has no such column. Unknown columns are read this way.
func (r *RCURecord) Get(name string) (text string, ok bool) {
	if r.header == nil {
		return "", false
	}
	i, ok := r.header.index[name]
	if !ok || i >= len(r.values) {
		return "", false
	}
	return r.values[i], true
}

// Columns returns the header of the file the record comes from.
func (r *RCURecord) Columns() []string {
	if r.header == nil {
		return nil
	}
	return r.header.names
}
