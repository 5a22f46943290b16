package flows

import (
	"fmt"

	"github.com/bludispatcher/dispatcher/internal/civil"
)

// monthMatch tracks, for one POD of an RFO or RFO2G file, whether any of
// its records has a MeseAnno or DataMisura in the file's month, and the
// first value seen, for the message.
type monthMatch struct {
	ok    bool
	line  int32
	field string
	value string
}

// isHourlyCorrection reports whether rule 15 uses its per-POD form for the
// flow: RFO and RFO2G corrections, whose records may refer to several
// months as long as each POD has one in the file's month.
func isHourlyCorrection(code string) bool { return code == "RFO" || code == "RFO2G" }

// previousMonthAllowed reports whether rule 15 accepts the month before the
// file's month: switching readings (SNM, SNM2G) and their corrections
// (RSN, RSN2G) are taken on the last day before a switch on the 1st.
func previousMonthAllowed(code string) bool {
	switch code {
	case "SNM", "SNM2G", "RSN", "RSN2G":
		return true
	}
	return false
}

// competenceValues returns the MeseAnno and DataMisura of r that parse, as
// months, with the element names and lines.
func competenceValues(r *Record) []competence {
	var out []competence
	if m, err := r.MonthYear.Month(); r.MonthYear.Set && err == nil {
		out = append(out, competence{"MeseAnno", r.MonthYear, m})
	}
	if d, err := r.MeasureDate.Date(); r.MeasureDate.Set && err == nil {
		out = append(out, competence{"DataMisura", r.MeasureDate, d.MonthOf()})
	}
	return out
}

type competence struct {
	field string
	value Value
	month civil.Month
}

// checkMonthCoherence runs rule 15 (code 906) on one record of a Flusso 1
// or Flusso 2 file: every MeseAnno and DataMisura must be in the month of
// the file name, or the month before for SNM, SNM2G, RSN and RSN2G. For
// RFO and RFO2G the check is per POD and ends in Finish.
func (v *Validator) checkMonthCoherence(out *Anomalies, r *Record) {
	month, ok := v.fileMonth()
	if !ok || !v.isFlusso() {
		return
	}
	values := competenceValues(r)
	if isHourlyCorrection(v.flow.Code) {
		v.trackCorrectionMonth(r, values, month)
		return
	}
	for _, c := range values {
		if c.month == month || (previousMonthAllowed(v.flow.Code) && c.month == month.AddMonths(-1)) {
			continue
		}
		allowed := month.Italian()
		if previousMonthAllowed(v.flow.Code) {
			allowed = month.AddMonths(-1).Italian() + " or " + allowed
		}
		v.add(out, RuleMonthCoherence, c.value.Line, r.POD.Text, c.field, c.value.Text,
			fmt.Sprintf("%s %s is outside the month of the file name: want %s", c.field, c.value.Text, allowed))
	}
}

func (v *Validator) trackCorrectionMonth(r *Record, values []competence, month civil.Month) {
	pod := r.POD.Text
	m := v.rfoPods[pod]
	if m == nil {
		m = &monthMatch{line: int32(r.Line)}
		v.rfoPods[pod] = m
		v.rfoList = append(v.rfoList, pod)
	}
	for _, c := range values {
		if m.field == "" {
			m.field, m.value, m.line = c.field, c.value.Text, c.value.Line
		}
		if c.month == month {
			m.ok = true
		}
	}
}

// finishMonthCoherence reports the PODs of an RFO or RFO2G file with no
// MeseAnno or DataMisura in the file's month.
func (v *Validator) finishMonthCoherence(out *Anomalies) {
	month, ok := v.fileMonth()
	if !ok {
		return
	}
	for _, pod := range v.rfoList {
		m := v.rfoPods[pod]
		if m.ok {
			continue
		}
		field := m.field
		if field == "" {
			field = "MeseAnno"
		}
		v.add(out, RuleMonthCoherence, m.line, pod, field, m.value,
			fmt.Sprintf("POD %s has no MeseAnno or DataMisura in %s, the month of the file name", pod, month.Italian()))
	}
}
