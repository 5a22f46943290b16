package switching

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/internal/itnum"
	"github.com/bludispatcher/dispatcher/server/store"
)

// daysPerMonth is the mean length of a Gregorian month (365.2425 / 12),
// used to turn the energy between two readings into a monthly rate.
var daysPerMonth = decimal.RequireFromString("30.436875")

// minSpanDays is the shortest time between the starting reading and the
// other reading of the consumption check. A shorter span is a poor guide to
// a month, because one day's use varies with the weekday and the weather.
const minSpanDays = 7

// activeNames are the active energy registers, bands first.
var activeNames = []string{"EaF1", "EaF2", "EaF3", "EaF4", "EaF5", "EaF6", "EaM"}

// activeTotal sums the active energy registers of r that have a value:
// the bands when any band has one, else EaM. It returns the names summed.
func activeTotal(regs map[string]string) (decimal.Decimal, []string, bool) {
	var total decimal.Decimal
	var names []string
	for _, name := range activeNames {
		if name == "EaM" && len(names) > 0 {
			break
		}
		v, ok := regs[name]
		if !ok || v == "" {
			continue
		}
		d, err := itnum.Parse(v, itnum.Numeric12v3)
		if err != nil {
			return decimal.Decimal{}, nil, false
		}
		total = total.Add(d)
		names = append(names, name)
	}
	return total, names, len(names) > 0
}

// sumOf sums the named registers of regs; false when one is missing.
func sumOf(regs map[string]string, names []string) (decimal.Decimal, bool) {
	var total decimal.Decimal
	for _, name := range names {
		d, err := itnum.Parse(regs[name], itnum.Numeric12v3)
		if err != nil {
			return decimal.Decimal{}, false
		}
		total = total.Add(d)
	}
	return total, true
}

// monthlyAverage returns the mean monthly active energy of the history.
// Months whose bands are all empty (the SII writes a negative sum as an
// empty element) are left out.
func monthlyAverage(history []store.Reading) (decimal.Decimal, bool) {
	var sum decimal.Decimal
	n := 0
	for _, h := range history {
		total, _, ok := activeTotal(h.Registers)
		if !ok {
			continue
		}
		sum = sum.Add(total)
		n++
	}
	if n == 0 {
		return decimal.Decimal{}, false
	}
	return sum.Div(decimal.NewFromInt(int64(n))), true
}

// nearest returns the reading of others nearest in time to the start
// reading, at least minSpanDays away, that shares some of its active
// registers, and the names of the shared registers.
func nearest(start *store.Reading, names []string, others []store.Reading) (*store.Reading, []string, bool) {
	var best *store.Reading
	var bestNames []string
	bestDays := -1
	for i := range others {
		o := &others[i]
		days := absInt(daysBetween(start.Date, o.Date))
		if days < minSpanDays || bestDays >= 0 && days >= bestDays {
			continue
		}
		var shared []string
		for _, name := range names {
			if v, ok := o.Registers[name]; ok && v != "" {
				shared = append(shared, name)
			}
		}
		if len(shared) > 0 {
			best, bestNames, bestDays = o, shared, days
		}
	}
	return best, bestNames, best != nil
}

// consumption compares the monthly energy implied by the starting reading
// and the nearest other reading with the historical monthly average.
func (c *checker) consumption() {
	in, start := c.in, c.start()
	avg, ok := monthlyAverage(in.History)
	if !ok {
		c.data.Notes = append(c.data.Notes, "consumption not checked: the historical data carry no active energy")
		return
	}
	c.data.MonthlyAverageKWh = avg.StringFixed(3)

	_, names, ok := activeTotal(start.Registers)
	if !ok {
		return // the band rule already reports the missing registers
	}
	other, names, ok := nearest(start, names, in.Nearby)
	if !ok {
		c.data.Notes = append(c.data.Notes, "consumption not checked: no other reading of the meter from 7 to 400 days away")
		return
	}
	startTotal, okStart := sumOf(start.Registers, names)
	otherTotal, okOther := sumOf(other.Registers, names)
	if !okStart || !okOther {
		return // the register rule reports values that are not numbers
	}

	days := daysBetween(start.Date, other.Date)
	delta := otherTotal.Sub(startTotal)
	if days < 0 {
		days, delta = -days, delta.Neg()
	}
	between := fmt.Sprintf("between %s and %s (%s, load %d)", start.Date.Italian(), other.Date.Italian(), other.FlowCode, other.Load)
	if delta.IsNegative() {
		c.add(RuleConsumption.finding(in.POD, strings.Join(names, "+"), startTotal.StringFixed(3),
			"the active energy registers decreased "+between))
		return
	}
	monthly := delta.Mul(daysPerMonth).Div(decimal.NewFromInt(int64(days)))
	c.data.ImpliedMonthlyKWh = monthly.StringFixed(3)
	allowed := avg.Mul(c.opts.Tolerance)
	if monthly.Sub(avg).Abs().GreaterThan(allowed) {
		c.add(RuleConsumption.finding(in.POD, strings.Join(names, "+"), startTotal.StringFixed(3),
			fmt.Sprintf("%s kWh a month %s, against a historical average of %s kWh (tolerance %s%%)",
				monthly.StringFixed(0), between, avg.StringFixed(0), c.opts.Tolerance.Shift(2).String())))
	}
}

// registry checks the POD against the billing registry on the switch
// date, and the functional data against the registry's technical facts.
func (c *checker) registry() {
	in := c.in
	found := false
	for _, e := range in.Registry {
		if !e.ValidFrom.After(in.SwitchDate) && (e.ValidTo.IsZero() || !e.ValidTo.Before(in.SwitchDate)) {
			found = true
			break
		}
	}
	if !found {
		c.add(RuleRegistryMissing.finding(in.POD, "Pod", in.POD, "switch date "+in.SwitchDate.Italian()))
		return
	}
	if in.RegistryFacts == nil {
		c.data.Notes = append(c.data.Notes, "treatment, power and voltage not compared: the billing registry does not record them")
		return
	}
	for _, name := range sortedKeys(in.RegistryFacts) {
		want := in.RegistryFacts[name]
		got := in.Functional.Fields[name]
		if want == "" || sameValue(got, want) {
			continue
		}
		c.add(RuleRegistryMismatch.finding(in.POD, name, got, "the billing registry has "+want))
	}
}

// sameValue compares two texts as numbers when both are numbers, else
// exactly after trimming spaces.
func sameValue(a, b string) bool {
	da, errA := itnum.ParseLoose(a)
	db, errB := itnum.ParseLoose(b)
	if errA == nil && errB == nil {
		return da.Equal(db)
	}
	return strings.TrimSpace(a) == strings.TrimSpace(b)
}

// data returns what the validation read, for the stored switch and the
// billing event.
func data(in *Inputs) store.SwitchData {
	var d store.SwitchData
	switch {
	case in.Correction != nil && in.CorrectionRow != nil:
		d.Reading = startingReading(in.Correction, in.CorrectionRow)
	case in.Reading != nil && in.ReadingRow != nil:
		d.Reading = startingReading(in.Reading, in.ReadingRow)
	}
	if in.Functional != nil {
		ref := in.Functional.Record.RecordRef
		d.Functional, d.FunctionalFlow, d.Technical = &ref, in.Functional.Record.FlowCode, in.Functional.Fields
	}
	for _, h := range in.History {
		d.HistoryMonths = append(d.HistoryMonths, h.Date.MonthOf().String())
	}
	return d
}

func startingReading(r *store.Reading, row *store.RecordRow) *store.SwitchReading {
	date, _ := civil.ParseDate(text(row.MeasureDate))
	return &store.SwitchReading{Record: r.RecordRef, FlowCode: r.FlowCode, Date: date,
		DataType: text(r.DataType), Registers: r.Registers, Reason: text(row.Reason)}
}

// fingerprint identifies the records a validation used, so a later run
// can tell whether its data changed.
func fingerprint(in *Inputs) string {
	ref := func(r *store.RecordRow) string {
		if r == nil {
			return "-"
		}
		return strconv.FormatInt(int64(r.Load), 10) + "/" + strconv.Itoa(r.Seq)
	}
	var functional *store.RecordRow
	if in.Functional != nil {
		functional = &in.Functional.Record
	}
	history := make([]string, 0, len(in.History))
	for _, h := range in.History {
		history = append(history, strconv.FormatInt(int64(h.Load), 10)+"/"+strconv.Itoa(h.Seq))
	}
	return "reading=" + ref(in.ReadingRow) + ";correction=" + ref(in.CorrectionRow) +
		";functional=" + ref(functional) + ";history=" + strings.Join(history, ",")
}

// daysBetween returns the days from a to b, negative when b is before a.
func daysBetween(a, b civil.Date) int {
	return int(b.Midnight(time.UTC).Sub(a.Midnight(time.UTC)).Hours() / 24)
}

func absInt(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
