package edi

import "github.com/bludispatcher/dispatcher/internal/civil"

// CivilDate is a civil day with no time zone, as taken by Registry and
// MeteredEnergy. The alias lets programs outside this module implement
// those interfaces, because they cannot import the module's internal
// packages. Date, in contrast, is a date element as read from a file.
type CivilDate = civil.Date

// Month is a calendar month, such as the month of PointMonth. The alias
// lets programs outside this module write months.
type Month = civil.Month
