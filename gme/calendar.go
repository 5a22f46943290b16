package gme

import "github.com/bludispatcher/dispatcher/internal/civil"

// Date is a civil day with no time zone, such as the market day of a row.
// The alias lets programs outside this module write dates, because they
// cannot import the module's internal packages.
type Date = civil.Date

// Month is a calendar month, such as the month of AveragerOptions. The
// alias lets programs outside this module write months.
type Month = civil.Month
