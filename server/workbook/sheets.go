package workbook

import (
	"fmt"
	"sort"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/bludispatcher/dispatcher/flows"
	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/internal/itnum"
	"github.com/bludispatcher/dispatcher/server/store"
)

// value parses a register or slot text; ok is false for text that is not
// a number (which the workbook then shows as text).
func value(text string) (decimal.Decimal, bool) {
	d, err := itnum.Parse(text, itnum.Numeric12v3)
	if err != nil {
		d, err = itnum.ParseLoose(text)
	}
	return d, err == nil
}

// cellOf returns the number of text, or the text itself.
func cellOf(text string) any {
	if d, ok := value(text); ok {
		return d
	}
	return text
}

func ptr[T any](v T) *T { return &v }

// totals are named exact sums, such as "EaF1" or "Curve Ea F1".
type totals map[string]decimal.Decimal

func (t totals) add(name string, d decimal.Decimal) { t[name] = t[name].Add(d) }

func (t totals) merge(o totals) {
	for k, v := range o {
		t.add(k, v)
	}
}

// registerOrder is the column order of registers: EaF1…EriF6, then
// EaM…EriM, each quantity also with the _StD suffix of Consumo_StD.
var registerOrder = func() map[string]int {
	order := map[string]int{}
	quantities := []string{"Ea", "Er", "Pot", "Erc", "Eri"}
	for _, suffix := range []string{"", "_StD"} {
		for _, q := range quantities {
			for b := 1; b <= 6; b++ {
				order[fmt.Sprintf("%sF%d%s", q, b, suffix)] = len(order)
			}
		}
		for _, q := range quantities {
			order[q+"M"+suffix] = len(order)
		}
	}
	return order
}()

// registerNames returns the register names present in readings, in
// registerOrder and then by name.
func registerNames(readings ...[]store.Reading) []string {
	seen := map[string]bool{}
	var names []string
	for _, list := range readings {
		for _, rd := range list {
			for name := range rd.Registers {
				if !seen[name] {
					seen[name] = true
					names = append(names, name)
				}
			}
		}
	}
	sort.Slice(names, func(i, j int) bool {
		a, aok := registerOrder[names[i]]
		b, bok := registerOrder[names[j]]
		if aok != bok {
			return aok
		}
		if aok {
			return a < b
		}
		return names[i] < names[j]
	})
	return names
}

func writeRegisters(s *sheet, d *data) totals {
	names := registerNames(d.readings)
	header := []any{"POD", "Flow", "Load", "Record", "Reading", "Date"}
	for _, n := range names {
		header = append(header, n)
	}
	s.add(header...)
	sum := totals{}
	for _, rd := range d.readings {
		row := []any{rd.POD, rd.FlowCode, int64(rd.Load), rd.Seq, string(rd.Kind), dateText(rd.Date)}
		for _, n := range names {
			text, ok := rd.Registers[n]
			if !ok {
				row = append(row, nil)
				continue
			}
			row = append(row, cellOf(text))
			if v, ok := value(text); ok {
				sum.add(n, v)
			}
		}
		s.add(row...)
	}
	total := []any{"Total", nil, nil, nil, nil, nil}
	for _, n := range names {
		total = append(total, ptrIf(sum, n))
	}
	s.add(total...)
	return sum
}

func ptrIf(t totals, name string) *decimal.Decimal {
	v, ok := t[name]
	if !ok {
		return nil
	}
	return &v
}

func dateText(d civil.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

// dayTotals sums one curve element: all its values and those of each
// band, by the instant each quarter-hour starts. It reuses d.scratch for
// the intervals, so a day costs no slice allocation.
func (d *data) dayTotals(c *store.CurveDay) curveRow {
	row := curveRow{RecordRef: c.RecordRef, POD: c.POD, FlowCode: c.FlowCode, KindName: c.KindName, Day: c.Day, Dst: c.Dst}
	intervals := d.scratch[:0]
	for _, slot := range c.Slots {
		if !slot.Set {
			continue
		}
		v, ok := value(slot.Text)
		if !ok {
			continue
		}
		row.Count++
		row.Total = row.Total.Add(v)
		if !slot.Start.IsZero() {
			intervals = append(intervals, flows.Interval{Start: slot.Start, Day: c.Day, Slot: slot.N, Text: slot.Text, Value: v})
		}
	}
	row.Bands = flows.TotalsByBand(intervals)
	clear(intervals)
	d.scratch = intervals[:0]
	return row
}

// curveSheet writes the Daily curve sheet one curve day at a time, as
// gather reads them, and sums each curve kind and its bands.
type curveSheet struct {
	*sheet
	sum totals
}

func newCurveSheet(s *sheet) *curveSheet {
	s.add("POD", "Flow", "Load", "Record", "Kind", "Day", "Dst", "Quarter-hours", "Total", "F1", "F2", "F3")
	return &curveSheet{sheet: s, sum: totals{}}
}

func (s *curveSheet) addDay(c curveRow) {
	s.add(c.POD, c.FlowCode, int64(c.Load), c.Seq, c.KindName, dateText(c.Day), deref(c.Dst), c.Count,
		c.Total, c.Bands.F1, c.Bands.F2, c.Bands.F3)
	s.sum.add("Curve "+c.KindName, c.Total)
	s.sum.add("Curve "+c.KindName+" F1", c.Bands.F1)
	s.sum.add("Curve "+c.KindName+" F2", c.Bands.F2)
	s.sum.add("Curve "+c.KindName+" F3", c.Bands.F3)
}

// finish writes one total row per curve kind and returns the sums.
func (s *curveSheet) finish() totals {
	sum := s.sum
	kinds := curveKinds(sum)
	for _, k := range kinds {
		s.add("Total "+k, nil, nil, nil, k, nil, nil, nil, sum["Curve "+k], sum["Curve "+k+" F1"],
			sum["Curve "+k+" F2"], sum["Curve "+k+" F3"])
	}
	return sum
}

// curveKindNames are the curve element names in element order.
var curveKindNames = []string{"Ea", "Er", "Erc", "Eri"}

// curveKinds returns the curve kinds with a total, in element order.
func curveKinds(t totals) []string {
	var out []string
	for _, k := range curveKindNames {
		if _, ok := t["Curve "+k]; ok {
			out = append(out, k)
		}
	}
	return out
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// registerMap merges the registers of a record's readings.
func registerMap(readings []store.Reading) map[string]string {
	out := map[string]string{}
	for _, rd := range readings {
		for k, v := range rd.Registers {
			out[k] = v
		}
	}
	return out
}

func writeCorrections(s *sheet, d *data) totals {
	s.add("POD", "Competence", "Type", "Load", "Record", "Replaces load", "Replaces record", "Value",
		"Replaced", "Corrected", "Difference")
	for _, c := range d.corrections {
		var repLoad, repSeq any
		if c.Replaces != nil {
			repLoad, repSeq = int64(c.Replaces.Load), c.Replaces.Seq
		}
		lead := []any{c.Record.POD, c.Competence, c.Type, int64(c.Record.Load), c.Record.Seq, repLoad, repSeq}
		before, after := registerMap(c.replaced), registerMap(c.values)
		for _, name := range registerNames(c.replaced, c.values) {
			s.add(append(append([]any{}, lead...), comparison(name, before[name], after[name])...)...)
		}
		for _, kind := range curveKindNames {
			old, hadOld := c.curveBefore[kind]
			cur, hasNew := c.curve[kind]
			if !hadOld && !hasNew {
				continue
			}
			row := append(append([]any{}, lead...), "Curve "+kind, optional(old, hadOld), optional(cur, hasNew))
			if hadOld && hasNew {
				row = append(row, cur.Sub(old))
			}
			s.add(row...)
		}
	}
	return nil
}

// comparison returns the register name, the replaced and corrected
// values and their difference when both are numbers.
func comparison(name, before, after string) []any {
	row := []any{name, textOrNil(before), textOrNil(after)}
	b, bok := value(before)
	a, aok := value(after)
	if bok && aok {
		row = append(row, a.Sub(b))
	}
	return row
}

func textOrNil(text string) any {
	if text == "" {
		return nil
	}
	return cellOf(text)
}

func optional(d decimal.Decimal, ok bool) any {
	if !ok {
		return nil
	}
	return d
}

func writeSummary(s *sheet, d *data, all totals) {
	if d.load != nil {
		s.add("Load", int64(d.load.ID))
		s.add("File", d.load.Name)
		s.add("Flow", d.load.FlowCode)
		s.add("SHA-256", d.load.SHA256)
	} else {
		s.add("Month", d.sel.Month.String())
	}
	s.add("Records", len(d.records))
	s.add("PODs", len(d.pods))
	s.add("Corrections", len(d.corrections))
	s.row++
	s.add("Total", "Value")
	names := make([]string, 0, len(all))
	for k := range all {
		names = append(names, k)
	}
	sort.Slice(names, func(i, j int) bool {
		ci, cj := strings.HasPrefix(names[i], "Curve "), strings.HasPrefix(names[j], "Curve ")
		if ci != cj {
			return !ci
		}
		a, aok := registerOrder[names[i]]
		b, bok := registerOrder[names[j]]
		if aok && bok {
			return a < b
		}
		return names[i] < names[j]
	})
	for _, k := range names {
		s.add(k, all[k])
	}
}
