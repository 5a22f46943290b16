package flowgen

import (
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/bludispatcher/dispatcher/flows"
	"github.com/bludispatcher/dispatcher/internal/civil"
)

// milli formats a quantity in thousandths (Wh for kWh, W for kW) as a
// decimal-comma number with three decimals, such as 1250 → "1,250".
func milli(v int64) string {
	if v < 0 {
		v = 0
	}
	frac := v % 1000
	b := strconv.AppendInt(make([]byte, 0, 16), v/1000, 10)
	b = append(b, ',', byte('0'+frac/100), byte('0'+frac/10%10), byte('0'+frac%10))
	return string(b)
}

// point is the profile of one POD: everything that stays the same across
// its records, drawn from the POD's own random stream.
type point struct {
	pod     string
	is2G    bool
	hourly  bool
	baseW   int64 // average power in W
	reading int64 // starting register reading, Wh
	voltage string
	zone    string
	serial  string
}

// newRand returns the random stream of record or POD i: independent of
// every other index, so records can be built in any order.
func newRand(seed uint64, stream uint64, i int) *rand.Rand {
	return rand.New(rand.NewPCG(seed^0x9e3779b97f4a7c15, stream<<32|uint64(i)))
}

// Streams of newRand, one per use, so adding draws to one does not change
// the others.
const (
	streamPoint = iota + 1
	streamCurve
	streamRecord
)

var zones = []string{"NORD", "CNOR", "CSUD", "SUD", "SICI", "SARD"}

func (g *Generator) point(i int) point {
	r := newRand(g.opts.Seed, streamPoint, i)
	p := point{
		pod:     podCode(g.opts.DistributorVAT, i),
		is2G:    g.info.Is2G,
		hourly:  g.info.Hourly,
		reading: 10_000_000 + r.Int64N(90_000_000),
		zone:    zones[r.IntN(len(zones))],
		serial:  "M" + strconv.Itoa(10_000_000+r.IntN(89_999_999)),
	}
	if p.hourly {
		p.baseW = 20_000 + r.Int64N(380_000) // 20–400 kW: businesses
		p.voltage = []string{"400", "15000", "20000"}[r.IntN(3)]
	} else {
		p.baseW = 300 + r.Int64N(4_000) // 0.3–4.3 kW: homes and shops
		p.voltage = []string{"230", "400"}[r.IntN(2)]
	}
	return p
}

// podCode builds a 14-character POD: IT, a 3-digit distributor code taken
// from its VAT number, E, and 8 digits.
func podCode(distributorVAT string, i int) string {
	code := "001"
	if n := len(distributorVAT); n >= 3 {
		code = distributorVAT[n-3:]
	}
	s := strconv.Itoa(10_000_000 + i%90_000_000)
	return "IT" + code + "E" + s
}

// dayProfile returns the energy of each quarter-hour of d as lived (92, 96
// or 100 values, in Wh): a base load shaped by hour and weekday, with
// noise.
func dayProfile(p point, d civil.Date, r *rand.Rand) []int64 {
	starts := civil.QuarterHours(d)
	out := make([]int64, len(starts))
	weekend := d.Weekday() == time.Saturday || d.Weekday() == time.Sunday || civil.IsNationalHoliday(d)
	for i, t := range starts {
		h := t.Hour()
		shape := 45 // percent of the base load at night
		switch {
		case h >= 8 && h < 19 && !weekend:
			shape = 140
		case h >= 7 && h < 23:
			shape = 85
		}
		noise := 85 + r.Int64N(31) // 85–115 %
		out[i] = p.baseW / 4 * int64(shape) / 100 * noise / 100
	}
	return out
}

// dayCurves returns the curve elements of kind for day d with the slot
// layout of the SII standard. A normal day has one element (Dst absent, or
// "0" when explicitDst). The spring day has one element with Dst 1 and no
// E9..E12. The autumn day has two: Dst 2 (E1..E12) and Dst 3 (E9..E96).
func dayCurves(kind flows.CurveKind, d civil.Date, energy []int64, explicitDst bool) []flows.Curve {
	day := flows.V(twoDigits(d.Day))
	switch len(energy) {
	case 92:
		c := flows.Curve{Kind: kind, Day: day, Dst: flows.V("1")}
		for k := 1; k <= 96; k++ {
			switch {
			case k <= 8:
				c.SetE(k, milli(energy[k-1]))
			case k >= 13:
				c.SetE(k, milli(energy[k-5]))
			}
		}
		return []flows.Curve{c}
	case 100:
		first := flows.Curve{Kind: kind, Day: day, Dst: flows.V("2")}
		for k := 1; k <= 12; k++ {
			first.SetE(k, milli(energy[k-1]))
		}
		second := flows.Curve{Kind: kind, Day: day, Dst: flows.V("3")}
		for k := 9; k <= 96; k++ {
			second.SetE(k, milli(energy[k+3]))
		}
		return []flows.Curve{first, second}
	}
	c := flows.Curve{Kind: kind, Day: day}
	if explicitDst {
		c.Dst = flows.V("0")
	}
	for k := 1; k <= 96; k++ {
		c.SetE(k, milli(energy[k-1]))
	}
	return []flows.Curve{c}
}

func twoDigits(n int) string {
	return string([]byte{byte('0' + n/10%10), byte('0' + n%10)})
}

// scale returns v·percent/100, for reactive energies derived from active.
func scale(v []int64, percent int64) []int64 {
	out := make([]int64, len(v))
	for i, x := range v {
		out[i] = x * percent / 100
	}
	return out
}

// bandSums returns the sums of a day's energy per ARERA band F1..F3 and
// the maximum quarter-hour power per band, in W.
func bandSums(d civil.Date, energy []int64) (sum, maxW [3]int64) {
	for i, t := range civil.QuarterHours(d) {
		b := int(civil.BandAt(t)) - 1
		sum[b] += energy[i]
		if w := energy[i] * 4; w > maxW[b] {
			maxW[b] = w
		}
	}
	return sum, maxW
}

func maxOf(v []int64) int64 {
	var m int64
	for _, x := range v {
		m = max(m, x)
	}
	return m
}
