package main

import (
	"fmt"
	"time"

	"github.com/bludispatcher/dispatcher/flows"
	"github.com/bludispatcher/dispatcher/internal/civil"
)

// Element names printed from each container, in schema order.
var (
	recordFieldNames = []string{"MeseAnno", "DataMisura", "TipoRettifica", "DataRilevazione",
		"Motivazione", "DataPrest", "CodPrat_SII", "DataInizio"}
	pdpFieldNames = []string{"MessaRegime", "PuntoDispacciamento", "TipoMisuratore",
		"DataMessaRegime2G", "DataOperatMisur2G", "Trattamento", "Tensione", "PotContrImp",
		"PotImp", "PotDisp", "Forfait", "GruppoMis", "Ka", "Kr", "Kp", "MatrAtt", "MatrRea",
		"MatrPot", "DataInstMisAtt", "DataInstMisRea", "DataInstMisPot", "CifreAtt", "CifreRea",
		"CifrePot", "CodiceTariffa", "Residenza", "Disaliment", "ServizioTutela", "Prestazioni",
		"ConfMis", "RegimeComp"}
	measureFieldNames = append([]string{"DataInizioPeriodo", "Raccolta", "TipoDato",
		"CausaOstativa", "Validato", "PotMax"}, registerNames()...)
	meterChangeNames = []string{"TipoMisuratore", "DataMisura", "TipoDato", "DataMessaRegime2G",
		"Tensione", "Ka", "Kr", "Kp", "MatrAtt", "MatrRea", "MatrPot", "CifreAtt", "CifreRea", "CifrePot"}
	curveKinds = []flows.CurveKind{flows.ActiveEnergy, flows.ReactiveEnergy,
		flows.ReactiveCapacitiveInjected, flows.ReactiveInductiveInjected}
)

func registerNames() []string {
	var out []string
	for _, q := range []string{"Ea", "Er", "Pot", "Erc", "Eri"} {
		for b := 1; b <= 6; b++ {
			out = append(out, fmt.Sprintf("%sF%d", q, b))
		}
		out = append(out, q+"M")
	}
	return out
}

// present returns the named values that are present, as read.
func present(names []string, field func(string) *flows.Value) map[string]string {
	out := map[string]string{}
	for _, n := range names {
		if v := field(n); v != nil && v.Set {
			out[n] = v.Text
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// recordFacts builds the JSON object of record r, the n-th of its file.
func recordFacts(base inspectRecord, r *flows.Record, n int, timeline bool) inspectRecord {
	out := base
	out.Record, out.Line, out.POD = n, r.Line, r.POD.Text
	out.Fields = present(recordFieldNames, r.Field)
	if m, err := r.CurveMonth(); err == nil {
		out.Month = m.String()
	}
	if r.Pdp.Set {
		out.Pdp = present(pdpFieldNames, r.Pdp.Field)
		out.Factors = factors(base.Header.FlowCode, r, &out.Errors)
	}
	out.Measure = measureOf(r.Measure)
	out.Consumo = measureOf(r.Consumption)
	if s := r.ConsumptionStD; s != nil {
		out.ConsumoStD = present([]string{"EaF1_StD", "EaF2_StD", "EaF3_StD"}, s.Field)
	}
	out.Removal = meterChange(r.Removal)
	out.Install = meterChange(r.Installation)
	for _, e := range r.Extra {
		out.Extra = append(out.Extra, e.Name)
	}
	addTimeline(&out, r, timeline)
	return out
}

func measureOf(m *flows.Measure) *measureFacts {
	if m == nil {
		return nil
	}
	return &measureFacts{Element: m.Element, XSIType: m.XSIType,
		Fields: present(measureFieldNames, m.Field), Curves: len(m.Curves)}
}

func meterChange(c *flows.MeterChange) map[string]string {
	if c == nil {
		return nil
	}
	fields := map[string]*flows.Value{
		"TipoMisuratore": &c.MeterType, "DataMisura": &c.MeasureDate, "TipoDato": &c.DataType,
		"DataMessaRegime2G": &c.Regime2GDate, "Tensione": &c.Voltage, "Ka": &c.Ka, "Kr": &c.Kr,
		"Kp": &c.Kp, "MatrAtt": &c.ActiveMeter, "MatrRea": &c.ReactiveMeter, "MatrPot": &c.PowerMeter,
		"CifreAtt": &c.ActiveDigits, "CifreRea": &c.ReactiveDigits, "CifrePot": &c.PowerDigits,
	}
	out := present(meterChangeNames, func(n string) *flows.Value { return fields[n] })
	if regs := present(registerNames(), c.Registers.Field); regs != nil {
		if out == nil {
			out = map[string]string{}
		}
		for k, v := range regs {
			out[k] = v
		}
	}
	return out
}

// factors returns the effective Ka, Kr and Kp factors of the record.
func factors(flowCode string, r *flows.Record, errs *[]string) *factorFacts {
	info, ok := flows.LookupFlow(flowCode)
	if !ok {
		return nil
	}
	var out factorFacts
	for _, f := range []struct {
		q   flows.Quantity
		dst *string
	}{{flows.ActiveEnergyQuantity, &out.ActiveEnergy}, {flows.ReactiveEnergyQuantity, &out.ReactiveEnergy}, {flows.PowerQuantity, &out.Power}} {
		k, err := flows.EffectiveFactor(info, r.Pdp, f.q)
		if err != nil {
			*errs = append(*errs, err.Error())
			continue
		}
		*f.dst = k.String()
	}
	return &out
}

// addTimeline places the curves of the Misura, or of the Consumo of the
// historical switching flows, on the Europe/Rome timeline.
func addTimeline(out *inspectRecord, r *flows.Record, withIntervals bool) {
	m := r.Measure
	if m == nil || len(m.Curves) == 0 {
		m = r.Consumption
	}
	if m == nil || len(m.Curves) == 0 {
		return
	}
	month, err := r.CurveMonth()
	if err != nil {
		fm, ok := out.fileMonth()
		if !ok {
			out.Errors = append(out.Errors, err.Error())
			return
		}
		month = fm
	}
	out.Month = month.String()
	for _, kind := range curveKinds {
		ivs, err := m.Timeline(kind, month)
		if err != nil {
			for _, e := range unjoin(err) {
				out.Errors = append(out.Errors, e.Error())
			}
		}
		if len(ivs) == 0 {
			continue
		}
		name := kind.String()
		if withIntervals {
			if out.Timeline == nil {
				out.Timeline = map[string][]slot{}
			}
			slots := make([]slot, len(ivs))
			for i, iv := range ivs {
				slots[i] = slot{Start: iv.Start.Format(time.RFC3339), Slot: iv.Slot, Dst: iv.Part, Text: iv.Text, Value: iv.Value.String()}
			}
			out.Timeline[name] = slots
		}
		if out.DayTotals == nil {
			out.DayTotals, out.BandTotals = map[string][]dayTot{}, map[string]bandTot{}
		}
		for _, t := range flows.DayTotals(ivs) {
			out.DayTotals[name] = append(out.DayTotals[name], dayTot{Day: t.Day.String(), Count: t.Count, Total: t.Total.String()})
		}
		b := flows.TotalsByBand(ivs)
		out.BandTotals[name] = bandTot{F1: b.Get(civil.F1).String(), F2: b.Get(civil.F2).String(), F3: b.Get(civil.F3).String()}
	}
}

// unjoin returns the errors joined by errors.Join, or err alone.
func unjoin(err error) []error {
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		return joined.Unwrap()
	}
	return []error{err}
}
