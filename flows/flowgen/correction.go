package flowgen

import (
	"strconv"

	"github.com/bludispatcher/dispatcher/flows"
	"github.com/bludispatcher/dispatcher/internal/civil"
)

// Motivazione values with a special shape.
const (
	reasonSentByMistake = 3 // no Misura and no Consumo
	reasonFraud         = 4 // reconstruction: Consumo unless hourly
	reasonMalfunction   = 5 // reconstruction: Consumo unless hourly
)

// reconstructionDays is the length of the period a reconstruction
// (Motivazione 4 or 5) covers, ending on DataRilevazione.
const reconstructionDays = 60

// correction builds a Flusso 2 record. Motivazione comes from
// Options.Reasons in turn: 3 carries neither Misura nor Consumo, 4 and 5
// carry a Consumo over the reconstructed period (a Misura for hourly
// points), the others a Misura of the flow's type.
func (g *Generator) correction(i int) *flows.Record {
	p := g.point(i)
	r := newRand(g.opts.Seed, streamRecord, i)
	reason := g.opts.Reasons[i%len(g.opts.Reasons)]
	rec := &flows.Record{POD: flows.V(p.pod), Reason: flows.V(strconv.Itoa(reason))}

	code := g.info.Code
	corrType := "P"
	switch code[:3] {
	case "RNV":
		corrType = "V"
	case "RSN":
		corrType = "S"
	}
	rec.CorrectionType = flows.V(corrType)

	var days []civil.Date
	treatment := "F"
	if g.info.Hourly {
		treatment = "O"
		rec.MonthYear = flows.V(g.opts.Month.Italian())
		rec.DetectionDate = flows.V(g.opts.Month.Last().Italian())
		days = g.correctedDays()
	} else {
		day := g.opts.Month.Last()
		if corrType != "P" {
			rec.ServiceDate = flows.V(g.opts.Day.Italian())
			rec.PracticeCode = flows.V(practiceCode(i))
			day = g.opts.Day.AddDays(-1)
		}
		rec.MeasureDate = flows.V(day.Italian())
		days = []civil.Date{day}
	}
	rec.Pdp = pdp(p, treatment, constant(p, r))
	if reason == reasonSentByMistake {
		return rec
	}
	if !g.info.Hourly && (reason == reasonFraud || reason == reasonMalfunction) {
		g.reconstruction(rec, p, i, days[0])
		return rec
	}
	rec.Measure = g.correctionMeasure(p, i, days)
	return rec
}

// correctedDays returns the days of an hourly correction: the whole month
// for 1G meters and 2G meters not a regime, up to three daily curves
// ending on Options.Day for 2G a regime.
func (g *Generator) correctedDays() []civil.Date {
	if !g.info.Is2G || g.opts.NotRegime {
		return monthDays(g.opts.Month)
	}
	var days []civil.Date
	for d := g.opts.Day.AddDays(-2); !d.After(g.opts.Day); d = d.AddDays(1) {
		if g.opts.Month.Contains(d) {
			days = append(days, d)
		}
	}
	return days
}

// correctionMeasure returns the Misura of a Flusso 2 record, whose base
// (DettaglioMisuraGenericoRType) has only CausaOstativa and PotMax.
func (g *Generator) correctionMeasure(p point, i int, days []civil.Date) *flows.Measure {
	e := g.energy(p, i, days)
	m := &flows.Measure{Element: misuraElement}
	regime2G := g.info.Is2G && !g.opts.NotRegime
	switch g.info.Code {
	case "RFO", "RFO2G":
		m.XSIType = typeRFO
		m.PotMax = flows.V(milli(e.potMax()))
		addCurves(m, e, false, g.opts.Reactive)
		if regime2G {
			m.XSIType = typeRR
			setRegisters(&m.Registers, p, e, 3, false)
		}
	case "RNO", "RNV":
		m.XSIType = typeRNO
		setRegisters(&m.Registers, p, e, 3, g.opts.Reactive)
	case "RSN":
		m.XSIType = typeRSN
		setRegisters(&m.Registers, p, e, 3, false)
	case "RSN2G":
		m.XSIType = typeRSN
		setRegisters(&m.Registers, p, e, 6, false)
	default: // RNO2G, RNV2G
		m.PotMax = flows.V(milli(e.potMax()))
		if regime2G {
			m.XSIType = typeRR
			addCurves(m, e, false, false)
		} else {
			m.XSIType = typeRNR
		}
		setRegisters(&m.Registers, p, e, 3, false)
	}
	return m
}

// reconstruction fills a Consumo (DettaglioConsumoRv2Type) for Motivazione
// 4 or 5 of a non-hourly point: the period from DataInizioPeriodo to
// DataRilevazione and its energy by band.
func (g *Generator) reconstruction(rec *flows.Record, p point, i int, end civil.Date) {
	start := end.AddDays(-reconstructionDays + 1)
	days := make([]civil.Date, 0, reconstructionDays)
	for d := start; !d.After(end); d = d.AddDays(1) {
		days = append(days, d)
	}
	rec.DetectionDate = flows.V(end.Italian())
	e := g.energy(p, i, days)
	sum, maxW := e.bands()
	c := &flows.Measure{Element: "Consumo", PeriodStart: flows.V(start.Italian())}
	for b := range 3 {
		c.Registers.Ea[b] = flows.V(milli(sum[b]))
		c.Registers.Er[b] = flows.V(milli(sum[b] * 30 / 100))
		c.Registers.Pot[b] = flows.V(milli(maxW[b]))
	}
	rec.Consumption = c
}
