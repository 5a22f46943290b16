package sii

import "github.com/bludispatcher/dispatcher/internal/civil"

// Date is a civil day with no time zone, such as a supply start or the day
// of BonusesAt. The alias lets programs outside this module write dates,
// because they cannot import the module's internal packages.
type Date = civil.Date

// Month is a calendar month, such as the month of Compare and of
// BillingRegistry. The alias lets programs outside this module write
// months and implement BillingRegistry.
type Month = civil.Month
