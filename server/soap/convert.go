package soap

import (
	"sort"
	"time"

	"github.com/hooklift/gowsdl/soap"

	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/server/soap/client"
	"github.com/bludispatcher/dispatcher/server/store"
)

// dateTime converts an instant to xsd:dateTime in UTC; the zero time is
// an absent element.
func dateTime(t time.Time) soap.XSDDateTime {
	if t.IsZero() {
		return soap.XSDDateTime{}
	}
	return soap.CreateXsdDateTime(t.UTC(), true)
}

// xsdDate converts a civil date; the zero date is an absent element.
func xsdDate(d civil.Date) soap.XSDDate {
	if d.IsZero() {
		return soap.XSDDate{}
	}
	return soap.CreateXsdDate(time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC), false)
}

// instant converts a request xsd:dateTime; absent is the zero time.
func instant(t soap.XSDDateTime) time.Time {
	v := t.ToGoTime()
	if v.Year() <= 1 {
		return time.Time{}
	}
	return v
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func exportItem(it store.ExportItem) *client.ExportItem {
	kind := client.ExportKind(it.Kind)
	out := &client.ExportItem{Sequence: it.Seq, Kind: &kind, LoadId: int64(it.Record.Load),
		RecordSeq: int32(it.Record.Seq), Pod: it.POD, FlowCode: it.FlowCode, CreatedAt: dateTime(it.CreatedAt),
		TakenBy: it.TakenBy, Exports: int32(it.Exports), Offer: it.Offer}
	if it.TakenAt != nil {
		out.TakenAt = dateTime(*it.TakenAt)
	}
	return out
}

func exportEntity(e store.ExportEntity) *client.ExportEntity {
	out := &client.ExportEntity{Sequence: e.Seq}
	if !e.Found {
		return out
	}
	out.Item = exportItem(e.ExportItem)
	out.Record = recordData(e.Row)
	for _, r := range e.Readings {
		out.Reading = append(out.Reading, reading(r))
	}
	for _, d := range e.Curve {
		out.CurveDay = append(out.CurveDay, curveDay(d))
	}
	out.Technical = nameValues(e.Technical)
	out.SwitchingKind = string(e.SwitchingKind)
	if r := e.Replaces; r != nil {
		out.Replaces = &client.Replaced{LoadId: int64(r.Record.Load), RecordSeq: int32(r.Record.Seq), Sequence: r.Seq}
		if r.TakenAt != nil {
			out.Replaces.TakenAt = dateTime(*r.TakenAt)
		}
	}
	if sw := e.Switch; sw != nil {
		out.Switch = switchEvent(*sw)
	}
	return out
}

func switchEvent(sw store.ExportSwitch) *client.SwitchEvent {
	out := &client.SwitchEvent{Id: sw.ID, PracticeCode: sw.PracticeCode, Pod: sw.POD, SwitchDate: xsdDate(sw.SwitchDate),
		Status: string(sw.Status), ReasonCode: sw.ReasonCodes, CompletedSequence: sw.CompletedSeq}
	if d := sw.Decision; d != nil {
		out.Decision = &client.SwitchDecision{Decision: string(d.Decision), Actor: d.Actor, Reason: d.Reason,
			DecidedAt: dateTime(d.DecidedAt)}
	}
	return out
}

func recordData(r store.RecordRow) *client.RecordData {
	return &client.RecordData{Competence: r.Competence, Date: xsdDate(r.Date), MonthYear: deref(r.MonthYear),
		MeasureDate: deref(r.MeasureDate), CorrectionType: deref(r.CorrectionType),
		DetectionDate: deref(r.DetectionDate), Reason: deref(r.Reason), ServiceDate: deref(r.ServiceDate),
		PracticeCode: deref(r.PracticeCode), StartDate: deref(r.StartDate), Line: int32(r.Line)}
}

func reading(r store.Reading) *client.Reading {
	return &client.Reading{Kind: string(r.Kind), Date: xsdDate(r.Date), XsiType: deref(r.XSIType),
		PeriodStart: deref(r.PeriodStart), Collection: deref(r.Collection), DataType: deref(r.DataType),
		ObstacleCause: deref(r.ObstacleCause), Validated: deref(r.Validated), PotMax: deref(r.PotMax),
		Register: nameValues(r.Registers), Meter: nameValues(r.Meter)}
}

func curveDay(d store.CurveDay) *client.CurveDay {
	out := &client.CurveDay{Kind: d.KindName, Day: xsdDate(d.Day), Dst: deref(d.Dst)}
	for _, s := range d.Slots {
		if s.Set {
			out.Slot = append(out.Slot, &client.Slot{N: int32(s.N), Value: s.Text})
		}
	}
	return out
}

// nameValues returns the entries of m sorted by name.
func nameValues(m map[string]string) []*client.NameValue {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names)
	out := make([]*client.NameValue, 0, len(names))
	for _, k := range names {
		out = append(out, &client.NameValue{Name: k, Value: m[k]})
	}
	return out
}
