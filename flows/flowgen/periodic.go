package flowgen

import (
	"math/rand/v2"
	"strconv"

	"github.com/bludispatcher/dispatcher/flows"
	"github.com/bludispatcher/dispatcher/internal/civil"
)

// Concrete Misura types (xsi:type) of the official complex-types schema.
const (
	typePDO       = "DettaglioMisuraPDOv2Type"
	typeNO        = "DettaglioMisuraNOv2Type"
	type2GOR      = "DettaglioMisuraPeriodico2GORType"
	type2GR       = "DettaglioMisuraPeriodico2GRType"
	type2GNR      = "DettaglioMisuraPeriodico2GNRType"
	typeSNM2G     = "DettaglioMisuraSNM2GType"
	typeRFO       = "DettaglioMisuraRFOv2Type"
	typeRNO       = "DettaglioMisuraRNOv2Type"
	typeRSN       = "DettaglioMisuraRSNRType"
	typeRNR       = "DettaglioMisuraRNRType"
	typeRR        = "DettaglioMisuraRRType"
	misuraElement = "Misura"
)

// energyDays is the measured energy of a POD over some days.
type energyDays struct {
	days   []civil.Date
	active [][]int64 // per day, per quarter-hour as lived, Wh
}

func (g *Generator) energy(p point, i int, days []civil.Date) energyDays {
	r := newRand(g.opts.Seed, streamCurve, i)
	e := energyDays{days: days}
	for _, d := range days {
		e.active = append(e.active, dayProfile(p, d, r))
	}
	return e
}

func monthDays(m civil.Month) []civil.Date {
	days := make([]civil.Date, 0, 31)
	for d := m.First(); m.Contains(d); d = d.AddDays(1) {
		days = append(days, d)
	}
	return days
}

// addCurves appends the Ea and Er curves (and Erc, Eri when reactive) of e
// to m, grouped by kind in schema order.
func addCurves(m *flows.Measure, e energyDays, explicitDst, reactive bool) {
	kinds := []struct {
		kind    flows.CurveKind
		percent int64
	}{{flows.ActiveEnergy, 100}, {flows.ReactiveEnergy, 30}}
	if reactive {
		kinds = append(kinds, struct {
			kind    flows.CurveKind
			percent int64
		}{flows.ReactiveCapacitiveInjected, 2}, struct {
			kind    flows.CurveKind
			percent int64
		}{flows.ReactiveInductiveInjected, 1})
	}
	for _, k := range kinds {
		for j, d := range e.days {
			m.Curves = append(m.Curves, dayCurves(k.kind, d, scale(e.active[j], k.percent), explicitDst)...)
		}
	}
}

// potMax returns the maximum quarter-hour power of e, in W.
func (e energyDays) potMax() int64 {
	var m int64
	for _, day := range e.active {
		m = max(m, maxOf(day))
	}
	return m * 4
}

// bands returns the energy sums and maximum powers per band F1..F3.
func (e energyDays) bands() (sum, maxW [3]int64) {
	for j, d := range e.days {
		s, w := bandSums(d, e.active[j])
		for b := range 3 {
			sum[b] += s[b]
			maxW[b] = max(maxW[b], w[b])
		}
	}
	return sum, maxW
}

// setRegisters sets the band registers: Ea and Er as cumulative readings
// (start reading plus the energy of the period), Pot as maximum powers.
// n is 3 or 6 bands. F4..F6 of 2G meters are programmable bands that the
// generator leaves unused, so their readings stay at the start reading and
// their powers at zero. reactive adds the Erc and Eri registers.
func setRegisters(reg *flows.Registers, p point, e energyDays, n int, reactive bool) {
	sum, maxW := e.bands()
	for b := 0; b < n; b++ {
		var energy, power int64
		if b < 3 {
			energy, power = sum[b], maxW[b]
		}
		reg.Ea[b] = flows.V(milli(p.reading/int64(b+1) + energy))
		reg.Er[b] = flows.V(milli(p.reading/int64(b+3) + energy*30/100))
		reg.Pot[b] = flows.V(milli(power))
		if reactive {
			reg.Erc[b] = flows.V(milli(p.reading/int64(b+7) + energy*2/100))
			reg.Eri[b] = flows.V(milli(p.reading/int64(b+9) + energy/100))
		}
	}
}

// setSingleRate sets the single-rate (monorario) registers EaM, ErM, PotM.
func setSingleRate(reg *flows.Registers, p point, e energyDays) {
	sum, maxW := e.bands()
	total := sum[0] + sum[1] + sum[2]
	reg.EaM = flows.V(milli(p.reading + total))
	reg.ErM = flows.V(milli(p.reading/3 + total*30/100))
	reg.PotM = flows.V(milli(max(maxW[0], maxW[1], maxW[2])))
}

// pdp returns DatiPdp (DatiPdp2GType) with Ka, Kr and Kp.
func pdp(p point, treatment string, k string) flows.Pdp {
	return flows.Pdp{
		Set:        true,
		Treatment:  flows.V(treatment),
		Voltage:    flows.V(p.voltage),
		Flat:       flows.V("NO"),
		MeterGroup: flows.V("SI"),
		Ka:         flows.V(k), Kr: flows.V(k), Kp: flows.V(k),
	}
}

// constant returns the meter constant of a 1G non-hourly POD: mostly 1,
// sometimes a current-transformer ratio.
func constant(p point, r *rand.Rand) string {
	if p.is2G || p.hourly || r.IntN(4) != 0 {
		return "1,000"
	}
	return []string{"20,000", "30,000", "40,000"}[r.IntN(3)]
}

// misura returns a Flusso 1 Misura with its base fields. One record in
// five is an estimate (TipoDato S), which carries CausaOstativa.
func misura(xsiType, collection string, r *rand.Rand) *flows.Measure {
	m := &flows.Measure{Element: misuraElement, XSIType: xsiType,
		Collection: flows.V(collection), DataType: flows.V("E"), Validated: flows.V("S")}
	if r.IntN(5) == 0 {
		m.DataType = flows.V("S")
		m.ObstacleCause = flows.V("NO")
	}
	return m
}

func practiceCode(i int) string { return "SII" + strconv.Itoa(100_000_000_000+i) }

// periodic builds a Flusso 1 record.
func (g *Generator) periodic(i int) *flows.Record {
	p := g.point(i)
	r := newRand(g.opts.Seed, streamRecord, i)
	rec := &flows.Record{POD: flows.V(p.pod)}
	code := g.info.Code
	switch code {
	case "PDO":
		if g.opts.Legacy {
			g.legacyPDO(rec, p, i)
			return rec
		}
		g.hourlyMonth(rec, p, i, r)
	case "PDO2G":
		g.hourlyDay(rec, p, i, r)
	case "PNO", "VNO", "SNM":
		g.nonHourly1G(rec, p, i, r)
	default: // PNO2G, VNO2G, SNM2G
		g.nonHourly2G(rec, p, i, r)
	}
	return rec
}

// collection returns Raccolta of the flow (V for voltura, S for switching,
// P otherwise) and the reading day. For V and S it also sets DataPrest and
// CodPrat_SII on rec.
func (g *Generator) collection(rec *flows.Record, i int) (string, civil.Date) {
	switch g.info.Code {
	case "VNO", "VNO2G", "SNM", "SNM2G":
		rec.ServiceDate = flows.V(g.opts.Day.Italian())
		rec.PracticeCode = flows.V(practiceCode(i))
		// The reading is at 24:00 of the day before the service date.
		day := g.opts.Day.AddDays(-1)
		if g.info.Code[0] == 'V' {
			return "V", day
		}
		return "S", day
	case "PNO2G":
		return "P", g.opts.Day
	}
	return "P", g.opts.Month.Last()
}

// hourlyMonth fills a PDO record: the month's curves of a 1G hourly POD.
func (g *Generator) hourlyMonth(rec *flows.Record, p point, i int, r *rand.Rand) {
	rec.MonthYear = flows.V(g.opts.Month.Italian())
	rec.Pdp = pdp(p, "O", "1,000")
	e := g.energy(p, i, monthDays(g.opts.Month))
	m := misura(typePDO, "P", r)
	m.PotMax = flows.V(milli(e.potMax()))
	addCurves(m, e, false, g.opts.Reactive)
	rec.Measure = m
}

// hourlyDay fills a PDO2G record: one day of a 2G hourly POD. A regime the
// file carries all six band registers; not a regime it carries the curve
// only, in the 1G hourly type.
func (g *Generator) hourlyDay(rec *flows.Record, p point, i int, r *rand.Rand) {
	rec.MonthYear = flows.V(g.opts.Month.Italian())
	rec.Pdp = pdp(p, "O", "1,000")
	e := g.energy(p, i, []civil.Date{g.opts.Day})
	if g.opts.NotRegime {
		m := misura(typePDO, "P", r)
		m.PotMax = flows.V(milli(e.potMax()))
		addCurves(m, e, true, g.opts.Reactive)
		rec.Measure = m
		return
	}
	m := misura(type2GOR, "P", r)
	m.PotMax = flows.V(milli(e.potMax()))
	addCurves(m, e, false, g.opts.Reactive)
	setRegisters(&m.Registers, p, e, 6, g.opts.Reactive)
	rec.Measure = m
}

// nonHourly1G fills a PNO, VNO or SNM record: band or single-rate
// registers of a 1G meter, or a flat-rate Consumo.
func (g *Generator) nonHourly1G(rec *flows.Record, p point, i int, r *rand.Rand) {
	collection, day := g.collection(rec, i)
	rec.MeasureDate = flows.V(day.Italian())
	e := g.energy(p, i, monthDays(day.MonthOf()))
	treatment := "F"
	if r.IntN(3) == 0 {
		treatment = "M"
	}
	rec.Pdp = pdp(p, treatment, constant(p, r))
	if g.info.Code == "PNO" && i%7 == 6 {
		rec.Pdp.Flat = flows.V("SI")
		sum, maxW := e.bands()
		rec.Consumption = &flows.Measure{Element: "Consumo",
			PeriodStart: flows.V(day.MonthOf().First().Italian()),
			Registers: flows.Registers{
				EaM:  flows.V(milli(sum[0] + sum[1] + sum[2])),
				PotM: flows.V(milli(max(maxW[0], maxW[1], maxW[2]))),
			}}
		return
	}
	m := misura(typeNO, collection, r)
	if treatment == "M" {
		setSingleRate(&m.Registers, p, e)
	} else {
		setRegisters(&m.Registers, p, e, 3, g.opts.Reactive)
	}
	rec.Measure = m
}

// nonHourly2G fills a PNO2G, VNO2G or SNM2G record: the registers of a 2G
// meter treated by bands, with the day's curve where the type has one.
func (g *Generator) nonHourly2G(rec *flows.Record, p point, i int, r *rand.Rand) {
	collection, day := g.collection(rec, i)
	rec.MeasureDate = flows.V(day.Italian())
	rec.Pdp = pdp(p, "F", "1,000")
	e := g.energy(p, i, []civil.Date{day})
	switch {
	case g.info.Code == "SNM2G":
		m := misura(typeSNM2G, collection, r)
		setRegisters(&m.Registers, p, e, 6, g.opts.Reactive)
		rec.Measure = m
	case g.opts.NotRegime:
		m := misura(type2GNR, collection, r)
		m.PotMax = flows.V(milli(e.potMax()))
		setRegisters(&m.Registers, p, e, 3, false)
		rec.Measure = m
	default:
		m := misura(type2GR, collection, r)
		m.PotMax = flows.V(milli(e.potMax()))
		addCurves(m, e, false, false)
		setRegisters(&m.Registers, p, e, 3, false)
		rec.Measure = m
	}
}

// legacyPDO fills a pre-2020 PDO record: DatiPdp with PuntoDispacciamento
// (DatiPdpOPType) and a Curva (DettaglioCurvaType).
func (g *Generator) legacyPDO(rec *flows.Record, p point, i int) {
	rec.MonthYear = flows.V(g.opts.Month.Italian())
	kw := milli(p.baseW * 3)
	rec.Pdp = flows.Pdp{Set: true,
		DispatchPoint: flows.V(p.zone), Treatment: flows.V("O"), Voltage: flows.V(p.voltage),
		ContractPower: flows.V(kw), AvailablePower: flows.V(kw),
		ActiveDigits: flows.V("6"), ReactiveDigits: flows.V("6")}
	e := g.energy(p, i, monthDays(g.opts.Month))
	m := &flows.Measure{Element: "Curva",
		Collection: flows.V("P"), DataType: flows.V("E"), Validated: flows.V("S"),
		PotMax: flows.V(milli(e.potMax()))}
	addCurves(m, e, false, false)
	rec.Measure = m
}
