package distributor

import "github.com/bludispatcher/dispatcher/internal/civil"

// Date is a civil day with no time zone, such as Request.NotBefore or
// FileOptions.Day. The alias lets programs outside this module write
// dates, because they cannot import the module's internal packages.
type Date = civil.Date
