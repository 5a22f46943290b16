package store

import (
	"context"
	"time"

	"github.com/bludispatcher/dispatcher/gme"
	"github.com/bludispatcher/dispatcher/internal/anomaly"
	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/sii"
)

// DomainStore keeps the data of the SII registry extracts (RCU), the GME
// market prices and the residual area withdrawal (PRA) files. The sqlite
// and postgres stores implement it; callers reach it with a type
// assertion on a Store.
type DomainStore interface {
	// RCUPoints returns the points of the newest load that carries the
	// extract month f.Month, ordered by line, and their total number.
	RCUPoints(ctx context.Context, f RCUFilter) ([]RCUPoint, int, error)
	// RCURecords returns the points of the same load as RCUPoints, read
	// back into extract records, for sii.Compare and sii.BonusesAt.
	RCURecords(ctx context.Context, company CompanyID, month civil.Month) ([]*sii.RCURecord, error)
	// RCUMonths returns the extract months that have points, newest first.
	RCUMonths(ctx context.Context, company CompanyID) ([]civil.Month, error)
	// RegistryEntriesIn returns the registry entries of every POD whose
	// validity covers at least one day of month, ordered by POD and
	// ValidFrom.
	RegistryEntriesIn(ctx context.Context, company CompanyID, month civil.Month) ([]RegistryEntry, error)
	// Prices returns the GME values whose day falls in f.Days. When two
	// loads carry the same market, kind, day, period and zone, only the
	// newest load's value is returned. The order is start, market, kind
	// and zone.
	Prices(ctx context.Context, f PriceFilter) ([]Price, error)
	// PRAValues returns the PRA values that match f, newest load's value
	// of each key only, ordered by start, area and distributor, and their
	// total number.
	PRAValues(ctx context.Context, f PRAFilter) ([]PRAValue, int, error)
}

// DomainTx adds the rows of SII, GME and PRA files to an open load. The
// LoadTx of the sqlite and postgres stores implements it. Like AddRecord,
// each call stores the anomalies, counts a row with a blocking anomaly as
// rejected without storing its data, and reports whether the data was
// stored. A load that ends rejected keeps none of these rows.
type DomainTx interface {
	// SetFlowCode sets the file kind shown in the load log, such as
	// "RCU", when the file name does not give it.
	SetFlowCode(code string)
	// AddCounts adds to the records loaded and rejected of a load whose
	// rows are kept in its original only, such as uploaded billing lines.
	AddCounts(loaded, rejected int)
	// AddRCURecord stores one point of an RCU extract under the extract
	// month.
	AddRCURecord(ctx context.Context, month civil.Month, rec *sii.RCURecord, anomalies anomaly.List) (bool, error)
	// AddPrice stores every value of one GME row.
	AddPrice(ctx context.Context, rec *gme.Record, anomalies anomaly.List) (bool, error)
	// AddPRAValue stores one PRA value.
	AddPRAValue(ctx context.Context, rec *sii.PRARecord, anomalies anomaly.List) (bool, error)
}

// RCUFilter selects the points of one extract month. Company and Month
// are required; POD selects one point by its first 14 characters.
type RCUFilter struct {
	Company CompanyID
	Month   civil.Month
	POD     string
	Page    Page
}

// RCUPoint is one stored point of an RCU extract. Dates are "yyyy-mm-dd"
// and numbers exact decimals, both empty when the column was absent,
// empty or malformed; Raw keeps every column exactly as read.
type RCUPoint struct {
	RecordRef
	// Month is the extract month, "yyyy-mm".
	Month string `json:"month"`
	// Line is the 1-based line of the point in the extract.
	Line            int    `json:"line"`
	POD             string `json:"pod"`             // COD_POD as read
	PODKey          string `json:"podKey"`          // first 14 characters of COD_POD
	DistributorVAT  string `json:"distributorVat"`  // PIVA_DISTR
	DistributorName string `json:"distributorName"` // RAGIONE_SOCIALE_DISTR
	UdDVAT          string `json:"uddVat"`          // PIVA_UDD
	CounterpartyVAT string `json:"counterpartyVat"` // PIVA_CC
	SupplyStart     string `json:"supplyStart"`     // DATA_INIZIO_FORNITURA
	SupplyEnd       string `json:"supplyEnd"`       // DATA_FINE_FORNITURA
	Treatment       string `json:"treatment"`       // TRATTAMENTO
	Voltage         string `json:"voltage"`         // TENSIONE
	MeterType       string `json:"meterType"`       // TIPO_MISURATORE
	// CommittedPower is POTCONTRIMP in kW.
	CommittedPower string `json:"committedPower"`
	// AnnualConsumption is CONSUMO_TOT in kWh per year.
	AnnualConsumption string `json:"annualConsumption"`
	// Raw maps every header name of the extract to the line's text.
	Raw map[string]string `json:"raw"`
}

// PriceFilter selects GME values. Company is required; empty fields
// select every market, kind and zone.
type PriceFilter struct {
	Company CompanyID
	// Market is the market code (Mercato), such as "MGP".
	Market string
	// Kind is the row element name: "Prezzi" (hourly) or "Prezzi15".
	Kind string
	// Zone is the value's element name: "PUN", "NAT" or a zone such as "NORD".
	Zone string
	Days DateRange
}

// Price is one stored value of a GME row.
type Price struct {
	RecordRef
	Market string `json:"market"` // Mercato
	// Kind is the row element name, such as "Prezzi" or "Prezzi15".
	Kind string     `json:"kind"`
	Day  civil.Date `json:"day"` // Data
	// Period is the hour (Ora) or quarter-hour (Periodo), 1-based.
	Period int `json:"period"`
	// Start and End bound the interval, in UTC.
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
	// Zone is the element name of the value: "PUN", "NAT", "NORD" …
	Zone string `json:"zone"`
	// Text is the value exactly as read; Value is the same number as an
	// exact decimal in €/MWh, empty when Text is empty or malformed.
	Text  string `json:"text"`
	Value string `json:"value"`
	Line  int    `json:"line"`
}

// PRAFilter selects PRA values. Company is required.
type PRAFilter struct {
	Company CompanyID
	// Area is the reference area (area di riferimento).
	Area string
	Days DateRange
	Page Page
}

// PRAValue is one stored value of residual area withdrawal (prelievo
// residuo d'area).
type PRAValue struct {
	RecordRef
	Line           int        `json:"line"`
	Area           string     `json:"area"`
	DistributorVAT string     `json:"distributorVat,omitempty"`
	Day            civil.Date `json:"day"`
	// Resolution is "hour" or "quarter-hour".
	Resolution string    `json:"resolution"`
	Period     int       `json:"period"`
	Start      time.Time `json:"start"`
	End        time.Time `json:"end"`
	// EnergyKWh is the energy in kWh as an exact decimal; EnergyText is
	// the value as read, in the file's unit.
	EnergyKWh  string `json:"energyKWh"`
	EnergyText string `json:"energyText"`
}
