package config

import "fmt"

// Defaults of the switch validation.
const (
	// DefaultConsumptionTolerancePercent lets the monthly consumption
	// implied by a switching reading differ from the historical average by
	// half of it.
	DefaultConsumptionTolerancePercent = 50
	// DefaultMissingAfterDays is how many days after its first file a
	// switch still missing data is reported.
	DefaultMissingAfterDays = 10
)

// Switching sets the validation of switch-ins (package server/switching).
type Switching struct {
	// ConsumptionTolerancePercent is the allowed difference, in percent of
	// the historical monthly average, between that average and the monthly
	// consumption implied by the switching reading.
	ConsumptionTolerancePercent int `json:"consumption_tolerance_percent"`
	// MissingAfterDays is how many days after its first file a switch
	// that still misses its reading, functional data or historical data
	// is reported by the daily job.
	MissingAfterDays int `json:"missing_after_days"`
}

// validate returns the problems of the switching settings.
func (s Switching) validate() []error {
	var errs []error
	if s.ConsumptionTolerancePercent <= 0 {
		errs = append(errs, invalidf("switching consumption_tolerance_percent %d: want a positive number of percent, such as 50",
			s.ConsumptionTolerancePercent))
	}
	if s.MissingAfterDays <= 0 {
		errs = append(errs, invalidf("switching missing_after_days %d: want a positive number of days, such as 10",
			s.MissingAfterDays))
	}
	return errs
}

func invalidf(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalid}, args...)...)
}
