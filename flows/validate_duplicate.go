package flows

import (
	"fmt"

	"github.com/bludispatcher/dispatcher/internal/civil"
)

// dupKey identifies one measure of a file: a curve day of one kind (with
// its daylight-saving part, so the Dst=2 and Dst=3 tags of the autumn day
// differ), or the competence of a record without curves.
type dupKey struct {
	pod        string
	correction string // TipoRettifica: corrections of different kinds may share a day
	kind       int8   // CurveKind, or -1 for a record without curves
	date       civil.Date
	part       uint8  // 0 for a whole day (Dst 0 or 1), 2 or 3 for the autumn parts
	text       string // day text when the date is unknown; competence otherwise
}

// checkDuplicates reports a measure that the file already carried for the
// same POD and day or competence. Flusso 2 may carry several DatiPod for
// one POD, and they are duplicates only when they overlap.
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
			key := dupKey{pod: pod, correction: r.CorrectionType.Text, kind: int8(c.Kind)}
			if date, _, ok := curveDate(c, month, haveMonth); ok {
				key.date = date
			} else {
				key.text = c.Day.Text
			}
			if dst, _ := c.DstPart(); dst == 2 || dst == 3 {
				key.part = uint8(dst)
			}
			v.seenOnce(out, key, c.Line, pod, curveField(c, nth[k]), c.Day.Text)
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
	v.seenOnce(out, key, lineOr(val, r), pod, field, val.Text)
}

func (v *Validator) seenOnce(out *Anomalies, key dupKey, line int32, pod, field, value string) {
	first, dup := v.seen[key]
	if !dup {
		v.seen[key] = line
		return
	}
	what := "day " + value
	if !key.date.IsZero() {
		what = key.date.Italian()
	}
	if key.kind < 0 {
		what = field + " " + value
	}
	if key.part != 0 {
		what += fmt.Sprintf(" (Dst=%d)", key.part)
	}
	v.add(out, RuleDuplicate, line, pod, field, value,
		fmt.Sprintf("POD %s has a second measure for %s; the first is on line %d", pod, what, first))
}
