package reseller

import (
	"strconv"

	"github.com/bludispatcher/dispatcher/flows"
	"github.com/bludispatcher/dispatcher/internal/civil"
)

// recordDay returns the day that routes a whole record, by the rules in the
// package documentation, and zero when the record gives none.
func recordDay(info flows.FlowInfo, fileMonth civil.Month, r *flows.Record) civil.Date {
	switch info.Family {
	case flows.SwitchingHistorical:
		// The twelve months of history go to the company that takes the
		// point at the switch, which happens in the file's month.
		if !fileMonth.IsZero() {
			return fileMonth.First()
		}
	case flows.SwitchingFunctional:
		if d, err := r.StartDate.Date(); err == nil {
			return d
		}
	case flows.MeterReplacement:
		if d, ok := meterChangeDay(r); ok {
			return d
		}
	}
	if d, err := r.ServiceDate.Date(); err == nil {
		return d
	}
	if d, err := r.MeasureDate.Date(); err == nil {
		return d
	}
	if d, ok := lastCurveDay(r); ok {
		return d
	}
	if m, err := r.MonthYear.Month(); err == nil {
		return m.Last()
	}
	if !fileMonth.IsZero() {
		return fileMonth.Last()
	}
	return civil.Date{}
}

// meterChangeDay returns DataMisura of Montaggio, else of Smontaggio.
func meterChangeDay(r *flows.Record) (civil.Date, bool) {
	for _, c := range []*flows.MeterChange{r.Installation, r.Removal} {
		if c == nil {
			continue
		}
		if d, err := c.MeasureDate.Date(); err == nil {
			return d, true
		}
	}
	return civil.Date{}, false
}

// lastCurveDay returns the latest day of the curves of the record's Misura
// or Curva, and false when it has none or a day cannot be read.
func lastCurveDay(r *flows.Record) (civil.Date, bool) {
	days, ok := curveDays(r)
	if !ok || len(days) == 0 {
		return civil.Date{}, false
	}
	last := days[0]
	for _, d := range days[1:] {
		if d.After(last) {
			last = d
		}
	}
	return last, true
}

// curveDays returns the day of each curve element of the record's Misura or
// Curva, in element order. It returns false when the record has no such
// measure, no competence month, or a day that is not in the month.
func curveDays(r *flows.Record) ([]civil.Date, bool) {
	m := r.Measure
	if m == nil || len(m.Curves) == 0 {
		return nil, false
	}
	month, err := r.CurveMonth()
	if err != nil {
		return nil, false
	}
	days := make([]civil.Date, len(m.Curves))
	for i := range m.Curves {
		d, ok := curveDay(month, m.Curves[i].Day.Text)
		if !ok {
			return nil, false
		}
		days[i] = d
	}
	return days, true
}

// curveDay turns the element text of a curve ("01".."31") into a day of
// month.
func curveDay(month civil.Month, text string) (civil.Date, bool) {
	n, err := strconv.Atoi(text)
	if err != nil || len(text) != 2 || n < 1 || n > month.Days() {
		return civil.Date{}, false
	}
	return civil.Date{Year: month.Year, Month: month.Month, Day: n}, true
}

// hasRegisters reports whether m carries any band or single-rate register.
// Registers total a whole period, so a measure with them cannot be divided
// by day.
func hasRegisters(m *flows.Measure) bool {
	for _, q := range []*[6]flows.Value{&m.Registers.Ea, &m.Registers.Er, &m.Registers.Pot, &m.Registers.Erc, &m.Registers.Eri} {
		for _, v := range q {
			if v.Set {
				return true
			}
		}
	}
	rg := &m.Registers
	return rg.EaM.Set || rg.ErM.Set || rg.PotM.Set || rg.ErcM.Set || rg.EriM.Set
}
