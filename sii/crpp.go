package sii

import (
	"regexp"
	"strconv"

	"github.com/shopspring/decimal"
)

// CRPP is the set of load-profiling coefficients of one point
// (coefficiente di ripartizione del prelievo): one value per month and per
// ARERA band F1, F2 and F3, 36 in all. The distributor determines them once
// a year and repeats them in every monthly communication.
type CRPP struct {
	// Values is indexed by month (0 = January) and band (0 = F1).
	Values [12][3]decimal.NullDecimal
}

// crppColumn matches the CRPP column names RCUReader recognises:
// "CRPP_<month>_F<band>" and "CRPP_F<band>_<month>", with month 1–12 (one
// or two digits) and band 1–3.
//
// NOTE: no public layout of CRPP columns in the RCU extract is known; these
// names are an assumption to be checked against a real extract.
var crppColumn = regexp.MustCompile(`^CRPP_?(?:(\d{1,2})_?F([123])|F([123])_?(\d{1,2}))$`)

// crppCell is the month (0–11) and band (0–2) of a CRPP column.
type crppCell struct{ month, band int }

// parseCRPPColumn returns the cell of a CRPP column name.
func parseCRPPColumn(name string) (crppCell, bool) {
	m := crppColumn.FindStringSubmatch(name)
	if m == nil {
		return crppCell{}, false
	}
	month, band := m[1], m[2]
	if month == "" {
		month, band = m[4], m[3]
	}
	mm, _ := strconv.Atoi(month)
	bb, _ := strconv.Atoi(band)
	if mm < 1 || mm > 12 {
		return crppCell{}, false
	}
	return crppCell{month: mm - 1, band: bb - 1}, true
}
