// Package storetest is the conformance suite of store.Store: every
// implementation runs Run from its own tests. It also builds metering
// records in code for the suite and for the store benchmarks.
package storetest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/bludispatcher/dispatcher/flows"
	"github.com/bludispatcher/dispatcher/internal/civil"
)

// Header returns a flow header with the given CodFlusso.
func Header(code string) *flows.Header {
	return &flows.Header{
		Root:                "FlussoMisure",
		FlowCode:            flows.V(code),
		SellerVAT:           flows.V("01234567890"),
		DistributorVAT:      flows.V("09876543210"),
		DispatchingContract: flows.V("DP0001"),
	}
}

// POD returns a well-formed test POD code for n.
func POD(n int) string { return fmt.Sprintf("IT001E%08d", n) }

// quarterValue returns a deterministic kWh text with three decimals.
func quarterValue(seed, day, slot int) string {
	v := (seed*7919 + day*104729 + slot*31) % 50000
	return fmt.Sprintf("%d,%03d", v/1000, v%1000)
}

// HourlyRecord builds the DatiPod of an hourly POD for month m, as in a
// PDO file: MeseAnno, DatiPdp, and a Misura with one Ea element per day
// and band registers. Daylight-saving days follow the flows' layout: the
// spring day is one element with Dst 1 and E9..E12 absent, the autumn day
// two elements with Dst 2 (E1..E12) and Dst 3 (E9..E96).
func HourlyRecord(pod string, m civil.Month, seed int) *flows.Record {
	r := &flows.Record{
		POD:       flows.V(pod),
		MonthYear: flows.V(m.Italian()),
		Pdp: flows.Pdp{
			Set:            true,
			DispatchPoint:  flows.V("NORD"),
			Treatment:      flows.V("O"),
			Voltage:        flows.V("400"),
			AvailablePower: flows.V(fmt.Sprintf("%d,0", 10+seed%90)),
		},
		Measure: &flows.Measure{
			Element:    "Misura",
			XSIType:    "DettaglioMisuraPDOv2Type",
			Collection: flows.V("P"),
			DataType:   flows.V("E"),
			Validated:  flows.V("S"),
			Curves:     make([]flows.Curve, 0, m.Days()+1),
		},
	}
	for day := 1; day <= m.Days(); day++ {
		r.Measure.Curves = append(r.Measure.Curves, dayCurves(civil.Date{Year: m.Year, Month: m.Month, Day: day}, seed)...)
	}
	regs := &r.Measure.Registers
	regs.Ea[0] = flows.V(quarterValue(seed, 40, 1))
	regs.Ea[1] = flows.V(quarterValue(seed, 41, 2))
	regs.Ea[2] = flows.V(quarterValue(seed, 42, 3))
	return r
}

// dayCurves returns the Ea elements of one day.
func dayCurves(d civil.Date, seed int) []flows.Curve {
	text := flows.V(fmt.Sprintf("%02d", d.Day))
	fill := func(c *flows.Curve, from, to int) {
		for n := from; n <= to; n++ {
			c.SetE(n, quarterValue(seed, d.Day, n))
		}
	}
	switch civil.KindOf(d) {
	case civil.SpringDay:
		c := flows.Curve{Kind: flows.ActiveEnergy, Day: text, Dst: flows.V("1")}
		fill(&c, 1, 8)
		fill(&c, 13, 96)
		return []flows.Curve{c}
	case civil.AutumnDay:
		first := flows.Curve{Kind: flows.ActiveEnergy, Day: text, Dst: flows.V("2")}
		fill(&first, 1, 12)
		second := flows.Curve{Kind: flows.ActiveEnergy, Day: text, Dst: flows.V("3")}
		fill(&second, 9, 96)
		return []flows.Curve{first, second}
	}
	c := flows.Curve{Kind: flows.ActiveEnergy, Day: text, Dst: flows.V("0")}
	fill(&c, 1, 96)
	return []flows.Curve{c}
}

// QuarterHours returns how many quarter-hour values r carries.
func QuarterHours(r *flows.Record) int {
	n := 0
	for _, m := range []*flows.Measure{r.Measure, r.Consumption} {
		if m == nil {
			continue
		}
		for i := range m.Curves {
			n += m.Curves[i].Count()
		}
	}
	return n
}

// Original returns deterministic file bytes of about size bytes for seed,
// and their hex SHA-256.
func Original(seed, size int) ([]byte, string) {
	b := make([]byte, 0, size+64)
	b = fmt.Appendf(b, "<?xml version=\"1.0\"?>\n<!-- test file %d -->\n", seed)
	for i := 0; len(b) < size; i++ {
		b = fmt.Appendf(b, "<x n=\"%d\" s=\"%d\"/>\n", i, seed)
	}
	return b, SHA256(b)
}

// SHA256 returns the hex SHA-256 of b.
func SHA256(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
