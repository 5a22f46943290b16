package flows

import (
	"fmt"

	"github.com/bludispatcher/dispatcher/internal/civil"
)

// dupKey identifies a measure of a file that is not a dated curve day: the
// competence of a record without curves, or a curve day whose month is
// unknown.
type dupKey struct {
	pod        string
	correction string // TipoRettifica: corrections of different kinds may share a day
	kind       int8   // CurveKind, or -1 for a record without curves
	part       uint8  // 0 for a whole day (Dst 0 or 1), 2 or 3 for the autumn parts
	text       string // day text of a curve; "MeseAnno=…" or "DataMisura=…" otherwise
}

// dayGroup identifies the curve days of one POD, kind, daylight-saving
// part and month. Grouping the days of a month keeps one map entry per
// month instead of one per day.
type dayGroup struct {
	pod        string
	correction string
	kind       CurveKind
	part       uint8
	month      civil.Month
}

// daySet records which days of a month a dayGroup has, with the line of
// each first occurrence.
type daySet struct {
	days  uint32 // bit d-1 set for day d
	lines [31]int32
}

// checkDuplicates reports a measure that the file already carried for the
// same POD and day or competence. The Dst=2 and Dst=3 tags of the autumn
// day are different parts, and Flusso 2 corrections of different kinds
// (TipoRettifica) do not collide.
func (v *Validator) checkDuplicates(out *Anomalies, r *Record) {
	if !v.isFlusso() && !(v.flowKnown && v.flow.Family == SwitchingHistorical) {
		return
	}
	pod := r.POD.Text
	month, haveMonth := v.curveMonth(r)
	curves := 0
	for _, m := range []*Measure{r.Measure, r.Consumption} {
		if m == nil {
			continue
		}
		var nth [4]int
		for i := range m.Curves {
			c := &m.Curves[i]
			k := int(c.Kind) & 3
			nth[k]++
			curves++
			part := uint8(0)
			if dst, _ := c.DstPart(); dst == 2 || dst == 3 {
				part = uint8(dst)
			}
			field := curveField(c, nth[k])
			date, day, ok := curveDate(c, month, haveMonth)
			if ok && day <= month.Days() {
				group := dayGroup{pod, r.CorrectionType.Text, c.Kind, part, month}
				v.seenDay(out, group, date, c.Line, field, c.Day.Text)
				continue
			}
			key := dupKey{pod: pod, correction: r.CorrectionType.Text, kind: int8(c.Kind), part: part, text: c.Day.Text}
			v.seenOnce(out, key, c.Line, field, c.Day.Text, "day "+c.Day.Text)
		}
	}
	if curves > 0 {
		return
	}
	field, val := "MeseAnno", r.MonthYear
	if !val.Set {
		field, val = "DataMisura", r.MeasureDate
	}
	key := dupKey{pod: pod, correction: r.CorrectionType.Text, kind: -1, text: field + "=" + val.Text}
	v.seenOnce(out, key, lineOr(val, r), field, val.Text, field+" "+val.Text)
}

func (v *Validator) seenDay(out *Anomalies, group dayGroup, date civil.Date, line int32, field, day string) {
	set := v.days[group]
	if set == nil {
		set = &daySet{}
		v.days[group] = set
	}
	bit := uint32(1) << (date.Day - 1)
	if set.days&bit == 0 {
		set.days |= bit
		set.lines[date.Day-1] = line
		return
	}
	v.reportDuplicate(out, group.pod, line, field, day, date.Italian(), group.part, set.lines[date.Day-1])
}

func (v *Validator) seenOnce(out *Anomalies, key dupKey, line int32, field, value, subject string) {
	first, dup := v.seen[key]
	if !dup {
		v.seen[key] = line
		return
	}
	v.reportDuplicate(out, key.pod, line, field, value, subject, key.part, first)
}

func (v *Validator) reportDuplicate(out *Anomalies, pod string, line int32, field, value, subject string, part uint8, first int32) {
	if part != 0 {
		subject += fmt.Sprintf(" (Dst=%d)", part)
	}
	v.add(out, RuleDuplicate, line, pod, field, value,
		fmt.Sprintf("POD %s has a second measure for %s; the first is on line %d", pod, subject, first))
}
