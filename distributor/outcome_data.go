package distributor

import (
	"strings"

	"github.com/shopspring/decimal"
)

// data reads DatiTecnici, in either of the two forms of OutcomeData.
func (p *outcomeParser) data(n *node, prefix string) {
	for _, c := range n.children {
		if len(c.children) > 0 {
			if strings.EqualFold(c.name, extraPath) {
				p.extraData(c)
				continue
			}
			p.data(c, prefix+c.name+"/")
			continue
		}
		p.dataLeaf(c, prefix)
	}
}

// bandElements maps reading element names to their readings and band.
var bandElements = func() map[string]struct {
	which func(d *OutcomeData) *BandReadings
	band  int
} {
	type entry = struct {
		which func(d *OutcomeData) *BandReadings
		band  int
	}
	active := func(d *OutcomeData) *BandReadings { return &d.Active }
	reactive := func(d *OutcomeData) *BandReadings { return &d.Reactive }
	power := func(d *OutcomeData) *BandReadings { return &d.Power }
	m := map[string]entry{}
	for i := 1; i <= 3; i++ {
		n := string(rune('0' + i))
		m["segn_attiva"+n] = entry{active, i - 1}
		m["lett_att_"+n] = entry{active, i - 1}
		m["segn_reattiva"+n] = entry{reactive, i - 1}
		m["segn_potenza"+n] = entry{power, i - 1}
	}
	return m
}()

func (p *outcomeParser) dataLeaf(c *node, prefix string) {
	d := &p.out.Data
	path := "DatiTecnici/" + prefix + c.name
	name := strings.ToLower(c.name)
	if e, ok := bandElements[name]; ok {
		if v, ok := p.decimal(c, path); ok {
			e.which(d)[e.band] = v
		}
		return
	}
	switch name {
	case "cod_pod":
		d.POD = c.text
	case "data_esecuzione", "data_attivazione", "data_disattivazione":
		day, err := parseDate(c.text)
		if err != nil {
			p.add(CodeOutcome, c.line, path, c.text, "invalid date: want yyyy-mm-dd or dd/mm/yyyy")
			return
		}
		d.ExecutionDate = day
	case "matr_mis1", "matr_mis_attiva":
		d.MeterSerial = c.text
	case "pot_disp":
		if v, ok := p.decimal(c, path); ok {
			d.AvailablePower = v
		}
	case "tensione":
		d.Voltage = c.text
	case "fase":
		d.PhaseCount = c.text
	default:
		if d.Other == nil {
			d.Other = map[string]string{}
		}
		d.Other[prefix+c.name] = c.text
	}
}

func (p *outcomeParser) decimal(c *node, path string) (decimal.NullDecimal, bool) {
	if c.text == "" {
		return decimal.NullDecimal{}, false
	}
	v, err := parseDecimal(c.text)
	if err != nil {
		p.add(CodeOutcome, c.line, path, c.text, err.Error())
		return decimal.NullDecimal{}, false
	}
	return decimal.NewNullDecimal(v), true
}

func (p *outcomeParser) extraData(n *node) {
	d := &p.out.Data
	for _, c := range n.children {
		key := c.attr("nome")
		if key == "" {
			key = extraPath + "/" + c.name
		}
		if d.Other == nil {
			d.Other = map[string]string{}
		}
		d.Other[key] = c.text
	}
}
