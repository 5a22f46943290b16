package accise

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/bludispatcher/dispatcher/internal/civil"
)

//go:embed data/calendar.json
var calendarJSON []byte

// ClosedDay is a day without payments that is not a national holiday.
type ClosedDay struct {
	// Date is the closed day.
	Date civil.Date `json:"date"`
	// Reason names the day.
	Reason string `json:"reason"`
	// Source names the act that closes the day.
	Source string `json:"source"`
}

// Calendar is the payment calendar: due dates that fall on a closed weekday,
// a national holiday or an extra closed day move to the next working day.
type Calendar struct {
	// Source states the rule and where it comes from.
	Source string `json:"source"`
	// LegalBasis names the acts behind the rule, with their confidence.
	LegalBasis Citation `json:"legal_basis"`
	// ClosedWeekdays are the weekdays without payments, in English
	// ("Saturday", "Sunday").
	ClosedWeekdays []string `json:"closed_weekdays"`
	// ExtraClosed lists the closed days that are not national holidays.
	ExtraClosed []ClosedDay `json:"extra_closed_days"`
	// Note records open points about the calendar.
	Note string `json:"note"`

	weekdays map[time.Weekday]bool
	extra    map[civil.Date]bool
}

var (
	defaultCalendarOnce sync.Once
	defaultCalendar     *Calendar
)

// DefaultCalendar returns the embedded payment calendar. It panics only if
// the embedded file is invalid, which the tests rule out.
func DefaultCalendar() *Calendar {
	defaultCalendarOnce.Do(func() {
		c, err := LoadCalendar(bytes.NewReader(calendarJSON))
		if err != nil {
			panic(err)
		}
		defaultCalendar = c
	})
	return defaultCalendar
}

// LoadCalendar reads a payment calendar in the format of data/calendar.json.
func LoadCalendar(r io.Reader) (*Calendar, error) {
	var c Calendar
	if err := json.NewDecoder(r).Decode(&c); err != nil {
		return nil, fmt.Errorf("accise: invalid payment calendar: %w", err)
	}
	c.weekdays = map[time.Weekday]bool{}
	for _, name := range c.ClosedWeekdays {
		wd, ok := weekdayByName(name)
		if !ok {
			return nil, fmt.Errorf("accise: invalid payment calendar: unknown weekday %q; want an English name such as Saturday", name)
		}
		c.weekdays[wd] = true
	}
	c.extra = map[civil.Date]bool{}
	for _, d := range c.ExtraClosed {
		if d.Date.IsZero() {
			return nil, fmt.Errorf("accise: invalid payment calendar: closed day %q has no date", d.Reason)
		}
		c.extra[d.Date] = true
	}
	return &c, nil
}

func weekdayByName(name string) (time.Weekday, bool) {
	for wd := time.Sunday; wd <= time.Saturday; wd++ {
		if wd.String() == name {
			return wd, true
		}
	}
	return 0, false
}

// IsWorkingDay reports whether payments can be made on d.
func (c *Calendar) IsWorkingDay(d civil.Date) bool {
	return !c.weekdays[d.Weekday()] && !civil.IsNationalHoliday(d) && !c.extra[d]
}

// NextWorkingDay returns d when it is a working day, otherwise the first
// working day after it.
func (c *Calendar) NextWorkingDay(d civil.Date) civil.Date {
	// A year has far fewer than 30 consecutive closed days; the bound only
	// stops a calendar that closes every weekday.
	for range 30 {
		if c.IsWorkingDay(d) {
			return d
		}
		d = d.AddDays(1)
	}
	return d
}
