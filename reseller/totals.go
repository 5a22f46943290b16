package reseller

import (
	"fmt"
	"maps"
	"slices"

	"github.com/shopspring/decimal"

	"github.com/bludispatcher/dispatcher/flows"
	"github.com/bludispatcher/dispatcher/sii"
)

// Totals are the control figures of a flow file or of one part. Values are
// summed exactly as decimals from the text of each element. A value that
// does not parse is counted in Unparsed and left out of the sums.
type Totals struct {
	// Records is the number of DatiPod elements (or RCU rows, or GME
	// files copied).
	Records int
	// PODs is the number of distinct points (first 14 characters).
	PODs int
	// EaQuarterHours is the sum of every E1..E100 attribute of the Ea
	// curves of Misura, Curva and Consumo, in kWh as written.
	EaQuarterHours decimal.Decimal
	// Registers sums each register element by name: EaF1..EaF6, EaM, the
	// Er, Erc and Eri bands and single rates, and EaF1_StD..EaF3_StD.
	// Power registers (PotF*, PotM, PotMax) are maxima, not energies, and
	// are left out.
	Registers map[string]decimal.Decimal
	// Unparsed counts values left out of the sums because they are empty
	// or malformed.
	Unparsed int

	pods map[string]struct{}
}

func newTotals() Totals {
	return Totals{Registers: map[string]decimal.Decimal{}, pods: map[string]struct{}{}}
}

// energyRegisters are the register names summed in Totals.Registers.
var energyRegisters = func() []string {
	var names []string
	for _, q := range []string{"Ea", "Er", "Erc", "Eri"} {
		for b := 1; b <= 6; b++ {
			names = append(names, fmt.Sprintf("%sF%d", q, b))
		}
		names = append(names, q+"M")
	}
	return names
}()

// add counts one record.
func (t *Totals) add(r *flows.Record) {
	t.Records++
	t.addPOD(r.POD.Text)
	t.addMeasure(r.Measure)
	t.addMeasure(r.Consumption)
	if s := r.ConsumptionStD; s != nil {
		for i, v := range s.Ea {
			t.addValue(fmt.Sprintf("EaF%d_StD", i+1), v)
		}
	}
}

// addPOD counts pod once, by its first 14 characters.
func (t *Totals) addPOD(pod string) {
	key := sii.PODKey(pod)
	if _, ok := t.pods[key]; !ok {
		t.pods[key] = struct{}{}
		t.PODs++
	}
}

func (t *Totals) addMeasure(m *flows.Measure) {
	if m == nil {
		return
	}
	for i := range m.Curves {
		c := &m.Curves[i]
		if c.Kind != flows.ActiveEnergy {
			continue
		}
		for n := 1; n <= flows.MaxSlots; n++ {
			if text, ok := c.E(n); ok {
				t.addQuarterHour(text)
			}
		}
	}
	for _, name := range energyRegisters {
		if v := m.Registers.Field(name); v != nil {
			t.addValue(name, *v)
		}
	}
}

func (t *Totals) addQuarterHour(text string) {
	d, err := flows.V(text).Decimal()
	if err != nil {
		t.Unparsed++
		return
	}
	t.EaQuarterHours = t.EaQuarterHours.Add(d)
}

func (t *Totals) addValue(name string, v flows.Value) {
	if !v.Set {
		return
	}
	d, err := v.Decimal()
	if err != nil {
		t.Unparsed++
		return
	}
	t.Registers[name] = t.Registers[name].Add(d)
}

// equalSums reports whether two totals have the same energy sums and
// unparsed count.
func (t Totals) equalSums(o Totals) bool {
	if !t.EaQuarterHours.Equal(o.EaQuarterHours) || t.Unparsed != o.Unparsed {
		return false
	}
	names := map[string]bool{}
	for k := range t.Registers {
		names[k] = true
	}
	for k := range o.Registers {
		names[k] = true
	}
	for k := range names {
		if !t.Registers[k].Equal(o.Registers[k]) {
			return false
		}
	}
	return true
}

// RegisterNames returns the names in Registers, sorted.
func (t Totals) RegisterNames() []string {
	return slices.Sorted(maps.Keys(t.Registers))
}

// sumParts adds up the totals of the parts.
func sumParts(parts []PartReport) Totals {
	sum := newTotals()
	for _, p := range parts {
		sum.Records += p.Totals.Records
		sum.PODs += p.Totals.PODs
		sum.EaQuarterHours = sum.EaQuarterHours.Add(p.Totals.EaQuarterHours)
		sum.Unparsed += p.Totals.Unparsed
		for k, v := range p.Totals.Registers {
			sum.Registers[k] = sum.Registers[k].Add(v)
		}
	}
	return sum
}
