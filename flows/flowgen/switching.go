package flowgen

import (
	"strconv"
	"time"

	"github.com/bludispatcher/dispatcher/flows"
	"github.com/bludispatcher/dispatcher/internal/civil"
)

// functional builds a SOF, SNF or F2G record: the technical data of a POD
// that switches to the seller on the first day of Options.Month.
func (g *Generator) functional(i int) *flows.Record {
	p := g.point(i)
	r := newRand(g.opts.Seed, streamRecord, i)
	code := g.info.Code
	rec := &flows.Record{
		POD:          flows.V(p.pod),
		PracticeCode: flows.V(practiceCode(i)),
		StartDate:    flows.V(g.opts.Month.First().Italian()),
	}
	treatment := "F"
	switch {
	case code == "SOF":
		treatment = "O"
	case code == "SNF" && r.IntN(3) == 0:
		treatment = "M"
	}

	meterType := "O"
	if g.info.Is2G {
		meterType = "G"
	}
	committed := 3_000 + int64(r.IntN(4))*1_500
	pdp := flows.Pdp{Set: true,
		DispatchPoint:  flows.V(p.zone),
		MeterType:      flows.V(meterType),
		Treatment:      flows.V(treatment),
		Voltage:        flows.V(p.voltage),
		CommittedPower: flows.V(milli(committed)),
		AvailablePower: flows.V(milli(committed * 110 / 100)),
		ActiveMeter:    flows.V(p.serial),
		MeterGroup:     flows.V("SI"),
		Flat:           flows.V("NO"),
		TariffCode:     flows.V([]string{"BTA1", "BTA3", "BTA6", "MTA1"}[r.IntN(4)]),
		Resident:       flows.V([]string{"SI", "NO"}[r.IntN(2)]),
		Disconnectable: flows.V("SI"),
		MeterConfig:    flows.V("SI"),
	}

	if g.info.Is2G {
		pdp.Regime2GDate = flows.V(civil.Date{Year: 2021, Month: 3, Day: 1 + r.IntN(28)}.Italian())
	}
	if code != "SOF" {
		k := constant(p, r)
		pdp.Ka, pdp.Kr, pdp.Kp = flows.V(k), flows.V(k), flows.V(k)
		pdp.ReactiveMeter, pdp.PowerMeter = flows.V(p.serial), flows.V(p.serial)
		installed := civil.Date{Year: 2017 + r.IntN(6), Month: time.Month(1 + r.IntN(12)), Day: 1 + r.IntN(28)}.Italian()
		pdp.ActiveMeterDate, pdp.ReactiveMeterDate, pdp.PowerMeterDate = flows.V(installed), flows.V(installed), flows.V(installed)
		pdp.ActiveDigits, pdp.ReactiveDigits, pdp.PowerDigits = flows.V("6"), flows.V("6"), flows.V("3")
	}
	if r.IntN(4) == 0 {
		pdp.ProtectionService = flows.V("MT")
	}
	rec.Pdp = pdp
	return rec
}

// historical builds the record of month j (0..11, oldest first) of POD i in
// a SOS, SNS or S2G file: the 12 months from 13 to 2 months before the
// switching month. Values are monthly sums by band and maximum powers,
// with the daily curves for hourly points and 2G meters. One month in ten
// has an empty EaF2, as the SII generator writes a negative sum.
func (g *Generator) historical(i, j int) *flows.Record {
	p := g.point(i)
	r := newRand(g.opts.Seed, streamRecord, i*historyMonths+j)
	month := g.opts.Month.AddMonths(j - historyMonths - 1)
	rec := &flows.Record{POD: flows.V(p.pod), MonthYear: flows.V(month.Italian())}

	treatment := "F"
	switch {
	case g.info.Code == "SOS", g.info.Is2G && i%4 == 3:
		treatment = "O"
	case g.info.Code == "SNS" && i%3 == 2:
		treatment = "M"
	}
	rec.Pdp = flows.Pdp{Set: true, Treatment: flows.V(treatment), MeterType: flows.V("O")}
	if g.info.Is2G {
		rec.Pdp.MeterType = flows.V("G")
		rec.Pdp.Regime2G = flows.V("SI")
	}

	days := monthDays(month)
	e := g.energy(p, i*historyMonths+j, days)
	sum, maxW := e.bands()
	c := &flows.Measure{Element: "Consumo", DataType: flows.V("E")}
	if g.info.Is2G || treatment == "O" {
		c.PotMax = flows.V(milli(e.potMax()))
		addCurves(c, e, false, false)
		c.Curves = c.Curves[:len(c.Curves)/2] // active energy only: no Er in historical flows
	}
	switch {
	case treatment == "M" && !g.info.Is2G:
		c.Registers.EaM = flows.V(milli(sum[0] + sum[1] + sum[2]))
		c.Registers.PotM = flows.V(milli(max(maxW[0], maxW[1], maxW[2])))
	case g.info.Is2G || treatment == "F" || treatment == "C":
		bands := 3
		if g.info.Is2G {
			bands = 6
		}
		for b := 0; b < bands; b++ {
			var energy, power int64
			if b < 3 {
				energy, power = sum[b], maxW[b]
			}
			c.Registers.Ea[b] = flows.V(milli(energy))
			c.Registers.Pot[b] = flows.V(milli(power))
		}
		if r.IntN(10) == 0 {
			c.Registers.Ea[1] = flows.V("")
		}
	}
	rec.Consumption = c
	if g.info.Is2G && treatment == "O" {
		rec.ConsumptionStD = &flows.StDConsumption{Ea: [3]flows.Value{
			flows.V(milli(sum[0])), flows.V(milli(sum[1])), flows.V(milli(sum[2])),
		}}
	}
	return rec
}

// replacement builds a SMIS record: a 1G meter removed and a 2G meter
// installed on Options.Day, with the registers of both at the change.
func (g *Generator) replacement(i int) *flows.Record {
	p := g.point(i)
	day := g.opts.Day.Italian()
	e := g.energy(p, i, monthDays(g.opts.Month))
	removed := &flows.MeterChange{
		MeterType:   flows.V("O"),
		MeasureDate: flows.V(day),
		DataType:    flows.V("E"),
	}
	setRegisters(&removed.Registers, p, e, 3, false)
	installed := &flows.MeterChange{
		MeterType:    flows.V("G"),
		MeasureDate:  flows.V(day),
		Regime2GDate: flows.V(day),
		Voltage:      flows.V(p.voltage),
		Ka:           flows.V("1,000"), Kr: flows.V("1,000"), Kp: flows.V("1,000"),
		ActiveMeter:  flows.V("G" + p.serial[1:]),
		ActiveDigits: flows.V("6"),
	}
	for b := range 6 {
		installed.Registers.Ea[b] = flows.V("0,000")
		installed.Registers.Er[b] = flows.V("0,000")
		installed.Registers.Pot[b] = flows.V("0,000")
	}
	return &flows.Record{
		POD:          flows.V(p.pod),
		Reason:       flows.V(strconv.Itoa(1 + i%3)),
		Removal:      removed,
		Installation: installed,
	}
}
