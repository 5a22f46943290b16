package flows

import (
	"fmt"

	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/internal/itnum"
)

// curveField names a curve element by its position among the curves of
// the same kind, as in "Ea[12]".
func curveField(c *Curve, nth int) string { return fmt.Sprintf("%s[%d]", c.Kind, nth) }

// checkCurveValues checks one Ea, Er, Erc or Eri element against
// EnergiaType (day, Dst, E1..E96) or, for legacy 2G curves, Energia2GType
// (day, E1..E96, S1..S4).
func (v *Validator) checkCurveValues(out *Anomalies, key string, spec ElementSpec, c *Curve, nth int) {
	field := curveField(c, nth)
	if err := TypeDay.Check(c.Day.Text); err != nil {
		v.addSchema(out, RuleValue, RecordLevel, c.Line, key, field, c.Day.Text, valueMessage(field, err))
	}
	legacy2G := spec.Type == TypeEnergy2G
	if c.Dst.Set {
		if legacy2G {
			v.addSchema(out, RuleStructure, RecordLevel, c.Line, key, field+"/Dst", c.Dst.Text,
				fmt.Sprintf("attribute Dst is not allowed on %s (Energia2GType)", field))
		} else if err := TypeDst.Check(c.Dst.Text); err != nil {
			v.addSchema(out, RuleValue, RecordLevel, c.Line, key, field+"/Dst", c.Dst.Text, valueMessage(field+"/Dst", err))
		}
	}
	for n := 1; n <= MaxSlots; n++ {
		text, ok := c.E(n)
		if !ok {
			continue
		}
		if n > 96 {
			v.addSchema(out, RuleStructure, RecordLevel, c.Line, key, fmt.Sprintf("%s/E%d", field, n), text,
				fmt.Sprintf("attribute E%d is not allowed: a curve day has E1..E96", n))
			continue
		}
		// itnum.Check first: it does not allocate, and most values are valid.
		if itnum.Check(text, itnum.Numeric6v3) != nil {
			attr := fmt.Sprintf("%s/E%d", field, n)
			v.addSchema(out, RuleValue, RecordLevel, c.Line, key, attr, text, valueMessage(attr, TypeNumeric6v3.Check(text)))
		}
	}
	for n := 1; n <= 4; n++ {
		text, ok := c.S(n)
		if !ok {
			continue
		}
		attr := fmt.Sprintf("%s/S%d", field, n)
		if !legacy2G {
			v.addSchema(out, RuleStructure, RecordLevel, c.Line, key, attr, text,
				fmt.Sprintf("attribute S%d is not allowed on %s (EnergiaType)", n, field))
		} else if err := TypeNumeric6v3.Check(text); err != nil {
			v.addSchema(out, RuleValue, RecordLevel, c.Line, key, attr, text, valueMessage(attr, err))
		}
	}
	for _, a := range c.ExtraAttrs() {
		v.addSchema(out, RuleStructure, RecordLevel, c.Line, key, field+"/"+a.Name, a.Value,
			fmt.Sprintf("attribute %s is not allowed on %s", a.Name, field))
	}
}

// curveMonth returns the month the curve days of r belong to: MeseAnno,
// else the month of DataMisura, else the month of the file name.
func (v *Validator) curveMonth(r *Record) (civil.Month, bool) {
	if m, err := r.MonthYear.Month(); r.MonthYear.Set && err == nil {
		return m, true
	}
	if d, err := r.MeasureDate.Date(); r.MeasureDate.Set && err == nil {
		return d.MonthOf(), true
	}
	return v.fileMonth()
}

// curveDate returns the calendar date of a curve element, and false when
// its day is not a number or its month is unknown.
func curveDate(c *Curve, month civil.Month, haveMonth bool) (civil.Date, int, bool) {
	day, ok := dayNumber(c.Day.Text)
	if !ok || !haveMonth {
		return civil.Date{}, day, false
	}
	return civil.Date{Year: month.Year, Month: month.Month, Day: day}, day, true
}

// dayNumber parses a GiornoType day "01".."31".
func dayNumber(s string) (int, bool) {
	if TypeDay.Check(s) != nil {
		return 0, false
	}
	return int(s[0]-'0')*10 + int(s[1]-'0'), true
}

// hasLegacySlots reports whether c carries the S1..S4 attributes of legacy
// 2G curves, which mark the repeated autumn hour without Dst.
func hasLegacySlots(c *Curve) bool {
	for n := 1; n <= 4; n++ {
		if _, ok := c.S(n); ok {
			return true
		}
	}
	return false
}

// checkCurves checks that curve days exist in their month (RuleCurveDay)
// and rule 27, the daylight-saving rules of Europe/Rome.
func (v *Validator) checkCurves(out *Anomalies, r *Record) {
	month, haveMonth := v.curveMonth(r)
	for _, m := range []*Measure{r.Measure, r.Consumption} {
		if m != nil && len(m.Curves) > 0 {
			v.checkMeasureCurves(out, r.POD.Text, m, month, haveMonth)
		}
	}
}

// dstDay is one curve kind on one day, to pair the Dst=2 and Dst=3 tags
// of the autumn change day.
type dstDay struct {
	kind CurveKind
	day  int
}

// dstParts records which parts of an autumn day a measure carries and
// where the first of them is.
type dstParts struct {
	two, three bool
	line       int32
	field      string
	date       civil.Date
}

func (v *Validator) checkMeasureCurves(out *Anomalies, key string, m *Measure, month civil.Month, haveMonth bool) {
	var nth [4]int
	autumn := map[dstDay]*dstParts{}
	var order []dstDay
	for i := range m.Curves {
		c := &m.Curves[i]
		k := int(c.Kind) & 3
		nth[k]++
		field := curveField(c, nth[k])
		date, day, ok := curveDate(c, month, haveMonth)
		if !ok {
			continue
		}
		if day > month.Days() {
			v.add(out, RuleCurveDay, c.Line, key, field, c.Day.Text,
				fmt.Sprintf("%s is day %d, but %s has %d days", field, day, month.Italian(), month.Days()))
			continue
		}
		dst, ok := c.DstPart()
		if !ok || hasLegacySlots(c) {
			continue
		}
		v.checkDST(out, key, c, field, date, dst)
		if dst == 2 || dst == 3 {
			if civil.KindOf(date) != civil.AutumnDay {
				continue
			}
			d := dstDay{c.Kind, day}
			p := autumn[d]
			if p == nil {
				p = &dstParts{line: c.Line, field: field, date: date}
				autumn[d] = p
				order = append(order, d)
			}
			p.two = p.two || dst == 2
			p.three = p.three || dst == 3
		}
	}
	for _, d := range order {
		p := autumn[d]
		switch {
		case !p.two:
			v.add(out, RuleDST, p.line, key, p.field+"/Dst", "3",
				fmt.Sprintf("%s on %s has a Dst=3 tag but no Dst=2 tag: the autumn change day needs both (E1..E12, then E9..E96)", d.kind, p.date.Italian()))
		case !p.three:
			v.add(out, RuleDST, p.line, key, p.field+"/Dst", "2",
				fmt.Sprintf("%s on %s has a Dst=2 tag but no Dst=3 tag: the autumn change day needs both (E1..E12, then E9..E96)", d.kind, p.date.Italian()))
		}
	}
}

// checkDST applies rule 27 to one curve element. On the spring change day
// (92 quarter-hours) the day is one tag with Dst=1 and E9..E12 absent. On
// the autumn change day (100 quarter-hours) the first part is a Dst=2 tag
// with E1..E12 only and the second a Dst=3 tag with E9..E96 only, so the
// repeated hour 02:00–03:00 is E9..E12 in both. Dst 1, 2 or 3 on any other
// day, and Dst 0 on a change day, are errors.
func (v *Validator) checkDST(out *Anomalies, key string, c *Curve, field string, date civil.Date, dst int) {
	kind := civil.KindOf(date)
	day := date.Italian()
	switch {
	case dst == 0 && kind == civil.SpringDay:
		v.add(out, RuleDST, c.Line, key, field+"/Dst", c.Dst.Text,
			fmt.Sprintf("%s is the spring daylight-saving day in Europe/Rome: %s must have Dst=1 and no E9..E12", day, field))
	case dst == 0 && kind == civil.AutumnDay:
		v.add(out, RuleDST, c.Line, key, field+"/Dst", c.Dst.Text,
			fmt.Sprintf("%s is the autumn daylight-saving day in Europe/Rome: send it as a Dst=2 tag (E1..E12) and a Dst=3 tag (E9..E96), not with Dst=0", day))
	case dst == 1 && kind != civil.SpringDay:
		v.add(out, RuleDST, c.Line, key, field+"/Dst", c.Dst.Text,
			fmt.Sprintf("Dst=1 marks the spring daylight-saving day, but %s is not that day in Europe/Rome", day))
	case (dst == 2 || dst == 3) && kind != civil.AutumnDay:
		v.add(out, RuleDST, c.Line, key, field+"/Dst", c.Dst.Text,
			fmt.Sprintf("Dst=%d marks a part of the autumn daylight-saving day, but %s is not that day in Europe/Rome", dst, day))
	case dst == 1:
		for n := 9; n <= 12; n++ {
			if text, ok := c.E(n); ok {
				v.add(out, RuleDST, c.Line, key, fmt.Sprintf("%s/E%d", field, n), text,
					fmt.Sprintf("on the spring daylight-saving day %s the skipped hour 02:00–03:00 (E9..E12) must be absent", day))
			}
		}
	case dst == 2:
		v.reportSlotsOutside(out, key, c, field, 13, 96,
			fmt.Sprintf("the Dst=2 tag of %s carries only E1..E12", day))
	case dst == 3:
		v.reportSlotsOutside(out, key, c, field, 1, 8,
			fmt.Sprintf("the Dst=3 tag of %s carries only E9..E96", day))
	}
}

// reportSlotsOutside reports, once per curve, the attributes En present
// for n in from..to, naming the first of them.
func (v *Validator) reportSlotsOutside(out *Anomalies, key string, c *Curve, field string, from, to int, rule string) {
	first, count, text := 0, 0, ""
	for n := from; n <= to; n++ {
		if t, ok := c.E(n); ok {
			if first == 0 {
				first, text = n, t
			}
			count++
		}
	}
	if count == 0 {
		return
	}
	v.add(out, RuleDST, c.Line, key, fmt.Sprintf("%s/E%d", field, first), text,
		fmt.Sprintf("%s, but E%d..E%d has %d attribute(s) starting at E%d", rule, from, to, count, first))
}
