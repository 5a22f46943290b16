package flows

import "github.com/bludispatcher/dispatcher/internal/civil"

// Date is a calendar day with no time and no zone, as the flows write it in
// DataMisura, DataPrest and the other dd/MM/yyyy elements. It is an alias of
// the module's internal civil date, so programs outside the module can name
// the values that Value.Date, FileName.Day and Interval.Day return.
type Date = civil.Date

// Month is a calendar month, as MeseAnno (MM/yyyy) and the yyyyMM token of
// file names carry it. Measure.Timeline takes one; build it with
// ParseMonthYear, or as Month{Year: 2025, Month: time.October}.
type Month = civil.Month

// ParseMonthYear parses "MM/yyyy", the format of MeseAnno.
func ParseMonthYear(s string) (Month, error) { return civil.ParseMonthYear(s) }

// ParseDate parses "dd/MM/yyyy", the format of DataMisura and the other
// date elements.
func ParseDate(s string) (Date, error) { return civil.ParseDate(s) }
