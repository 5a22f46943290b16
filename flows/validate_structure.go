package flows

import (
	"fmt"
	"sort"
	"strings"
)

// child is one element found in a container, for the structure checks.
type child struct {
	name  string
	index uint16 // position among the container's children; 0 when built in code
	line  int32
	value *Value // nil for containers and curves
	curve *Curve // the curve of Ea, Er, Erc, Eri children
	nth   int    // 1-based position among the curves of the same kind
}

// container is one element with children, checked against its Shape.
type container struct {
	name     string // element name, such as "DatiPdp"
	line     int32
	shape    *Shape
	children []child
	extra    []Element
}

// checkHeaderStructure checks IdentificativiFlusso against its shape.
func (v *Validator) checkHeaderStructure(out *Anomalies) {
	h := &v.header
	if h.IdentifiersMissing {
		v.addSchema(out, RuleStructure, FileLevel, h.FlowCode.Line, "", "IdentificativiFlusso", "",
			"IdentificativiFlusso is missing: the root element must start with it, holding PIvaUtente, PIvaDistributore and CodContrDisp")
		return
	}
	shape, _ := LookupShape(ShapeHeader)
	c := container{name: "IdentificativiFlusso", shape: shape, extra: h.Extra}
	for _, spec := range shape.WriteOrder() {
		if val := h.Field(spec.Name); val != nil && val.Set {
			c.children = append(c.children, child{name: spec.Name, index: val.Index, line: val.Line, value: val})
		}
	}
	v.checkContainer(out, FileLevel, "", &c)
}

// checkRecordStructure checks a DatiPod and its containers against the
// shapes of the file's flow family, as the official schemas would.
func (v *Validator) checkRecordStructure(out *Anomalies, r *Record) {
	key := r.POD.Text
	shapes := ShapesFor(v.header.FlowCode.Text, r)
	if shapes.Pod == nil {
		return // unknown flow code: reported once by the header check
	}
	pod := podContainer(r, shapes.Pod)
	v.checkContainer(out, RecordLevel, key, &pod)
	if r.Pdp.Set && shapes.Pdp != nil {
		pdp := fieldContainer("DatiPdp", r.Pdp.Line, shapes.Pdp, r.Pdp.Extra, r.Pdp.Field)
		v.checkContainer(out, RecordLevel, key, &pdp)
	}
	if m := r.Measure; m != nil {
		v.checkMeasure(out, key, m, shapes.Measure, shapes.Pod)
		v.checkRegisterExclusion(out, key, m)
	}
	if m := r.Consumption; m != nil && shapes.Consumption != nil {
		c := measureContainer(m, shapes.Consumption)
		v.checkContainer(out, RecordLevel, key, &c)
		v.checkRegisterExclusion(out, key, m)
	}
	if s := r.ConsumptionStD; s != nil && shapes.ConsumptionStD != nil {
		c := fieldContainer("Consumo_StD", s.Line, shapes.ConsumptionStD, s.Extra, s.Field)
		v.checkContainer(out, RecordLevel, key, &c)
	}
	for _, mc := range []struct {
		name  string
		ch    *MeterChange
		shape *Shape
	}{{"Smontaggio", r.Removal, shapes.Removal}, {"Montaggio", r.Installation, shapes.Installation}} {
		if mc.ch != nil && mc.shape != nil {
			c := fieldContainer(mc.name, mc.ch.Line, mc.shape, mc.ch.Extra, mc.ch.Field)
			v.checkContainer(out, RecordLevel, key, &c)
		}
	}
}

// checkMeasure checks a Misura or Curva: its xsi:type, then its content.
func (v *Validator) checkMeasure(out *Anomalies, key string, m *Measure, shape, pod *Shape) {
	if m.Element == "Misura" && !pod.Reconstructed {
		want := ""
		if spec, _, ok := pod.Element("Misura"); ok {
			want = spec.Complex
		}
		switch {
		case strings.TrimSpace(m.XSIType) == "":
			v.addSchema(out, RuleStructure, RecordLevel, m.Line, key, "Misura", "",
				"Misura has no xsi:type: its type "+want+" is abstract, so xsi:type must name a concrete type")
			return
		case shape == nil:
			v.addSchema(out, RuleStructure, RecordLevel, m.Line, key, "Misura/@xsi:type", m.XSIType,
				fmt.Sprintf("xsi:type %q is not a Misura type of the official schema", m.XSIType))
			return
		case want != "" && shape.Base != want:
			v.addSchema(out, RuleStructure, RecordLevel, m.Line, key, "Misura/@xsi:type", m.XSIType,
				fmt.Sprintf("xsi:type %q does not derive from %s, the Misura type of this flow", m.XSIType, want))
			return
		}
	}
	if shape == nil {
		return
	}
	c := measureContainer(m, shape)
	v.checkContainer(out, RecordLevel, key, &c)
}

// podContainer lists the children of a DatiPod.
func podContainer(r *Record, shape *Shape) container {
	c := container{name: "DatiPod", line: int32(r.Line), shape: shape, extra: r.Extra}
	for _, spec := range shape.WriteOrder() {
		if val := r.Field(spec.Name); val != nil && val.Set {
			c.children = append(c.children, child{name: spec.Name, index: val.Index, line: val.Line, value: val})
		}
	}
	if r.Pdp.Set {
		c.children = append(c.children, child{name: "DatiPdp", index: r.Pdp.Index, line: r.Pdp.Line})
	}
	for _, m := range []*Measure{r.Measure, r.Consumption} {
		if m != nil {
			c.children = append(c.children, child{name: m.Element, index: m.Index, line: m.Line})
		}
	}
	if s := r.ConsumptionStD; s != nil {
		c.children = append(c.children, child{name: "Consumo_StD", index: s.Index, line: s.Line})
	}
	if m := r.Removal; m != nil {
		c.children = append(c.children, child{name: "Smontaggio", index: m.Index, line: m.Line})
	}
	if m := r.Installation; m != nil {
		c.children = append(c.children, child{name: "Montaggio", index: m.Index, line: m.Line})
	}
	return c
}

// fieldContainer lists the text children of a container whose Values
// field returns by element name.
func fieldContainer(name string, line int32, shape *Shape, extra []Element, field func(string) *Value) container {
	c := container{name: name, line: line, shape: shape, extra: extra}
	for _, spec := range shape.WriteOrder() {
		if val := field(spec.Name); val != nil && val.Set {
			c.children = append(c.children, child{name: spec.Name, index: val.Index, line: val.Line, value: val})
		}
	}
	return c
}

// measureContainer lists the children of a Misura, Curva or Consumo: its
// text elements and its curve days.
func measureContainer(m *Measure, shape *Shape) container {
	c := fieldContainer(m.Element, m.Line, shape, m.Extra, m.Field)
	var nth [4]int
	for i := range m.Curves {
		cv := &m.Curves[i]
		k := int(cv.Kind) & 3
		nth[k]++
		c.children = append(c.children, child{name: cv.Kind.String(), index: cv.Index, line: cv.Line, curve: cv, nth: nth[k]})
	}
	return c
}

// checkContainer checks one container against its shape: unknown and
// repeated elements, required elements and choices, maxOccurs, order, and
// the simple type of every value and curve attribute. In shapes without
// an official schema (Reconstructed) unknown elements are warnings.
func (v *Validator) checkContainer(out *Anomalies, level Level, key string, c *container) {
	shape := c.shape
	counts := make(map[string]int, len(c.children))
	for _, ch := range c.children {
		spec, _, ok := shape.Element(ch.name)
		if !ok {
			v.reportUnknown(out, level, key, c, ch.name, ch.line, ch.value)
			continue
		}
		counts[ch.name]++
		v.checkChildValue(out, level, key, spec, ch)
	}
	for _, e := range c.extra {
		v.reportExtra(out, level, key, c, e)
	}
	v.checkOccurs(out, level, key, c, counts)
	v.checkOrder(out, level, key, c)
}

// structureRule returns the rule for structure findings in c: warnings in
// shapes without an official schema.
func structureRule(c *container) string {
	if c.shape.Reconstructed {
		return RuleStructureReconstructed
	}
	return RuleStructure
}

func (v *Validator) reportUnknown(out *Anomalies, level Level, key string, c *container, name string, line int32, val *Value) {
	text := ""
	if val != nil {
		text = val.Text
	}
	rule := structureRule(c)
	v.addSchema(out, rule, level, line, key, name, text,
		fmt.Sprintf("element %s is not allowed in %s (%s)", name, c.name, c.shape.Name))
}

func (v *Validator) reportExtra(out *Anomalies, level Level, key string, c *container, e Element) {
	rule := structureRule(c)
	if spec, _, ok := c.shape.Element(e.Name); ok && spec.Max == 1 {
		v.addSchema(out, rule, level, e.Line, key, e.Name, "",
			fmt.Sprintf("element %s appears more than once in %s; at most one is allowed", e.Name, c.name))
		return
	}
	v.addSchema(out, rule, level, e.Line, key, e.Name, "",
		fmt.Sprintf("element %s is not allowed in %s (%s)", e.Name, c.name, c.shape.Name))
}

// checkOccurs reports missing required elements, choices with no or
// several members, and elements repeated beyond maxOccurs.
func (v *Validator) checkOccurs(out *Anomalies, level Level, key string, c *container, counts map[string]int) {
	choices := map[uint8][]string{}
	choiceMin := map[uint8]int{}
	for _, spec := range c.shape.Elements {
		n := counts[spec.Name]
		if spec.Choice != 0 {
			choices[spec.Choice] = append(choices[spec.Choice], spec.Name)
			choiceMin[spec.Choice] = spec.Min
			continue
		}
		if n < spec.Min {
			v.addSchema(out, structureRule(c), level, c.line, key, spec.Name, "",
				fmt.Sprintf("required element %s is missing from %s", spec.Name, c.name))
		}
		if spec.Max != Unbounded && n > spec.Max {
			v.addSchema(out, structureRule(c), level, c.line, key, spec.Name, fmt.Sprint(n),
				fmt.Sprintf("%s has %d %s elements; at most %d are allowed", c.name, n, spec.Name, spec.Max))
		}
	}
	for group, names := range choices {
		present := 0
		for _, n := range names {
			present += counts[n]
		}
		switch {
		case present == 0 && choiceMin[group] > 0:
			v.addSchema(out, structureRule(c), level, c.line, key, strings.Join(names, "|"), "",
				fmt.Sprintf("%s needs one of %s", c.name, strings.Join(names, ", ")))
		case present > 1:
			v.addSchema(out, structureRule(c), level, c.line, key, strings.Join(names, "|"), "",
				fmt.Sprintf("%s may carry only one of %s", c.name, strings.Join(names, ", ")))
		}
	}
}

// checkOrder reports children that come after an element the shape puts
// later. Children built in code (Index 0) are not checked.
func (v *Validator) checkOrder(out *Anomalies, level Level, key string, c *container) {
	type placed struct {
		child
		pos int
	}
	var list []placed
	for _, ch := range c.children {
		if _, pos, ok := c.shape.Element(ch.name); ok && ch.index > 0 {
			list = append(list, placed{ch, pos})
		}
	}
	sort.SliceStable(list, func(i, j int) bool { return list[i].index < list[j].index })
	maxPos, maxName := -1, ""
	for _, p := range list {
		if p.pos < maxPos {
			v.addSchema(out, structureRule(c), level, p.line, key, p.name, "",
				fmt.Sprintf("element %s is out of order in %s: it must come before %s", p.name, c.name, maxName))
			continue
		}
		maxPos, maxName = p.pos, p.name
	}
}

// checkChildValue checks the text of a simple element, or the day and
// attributes of a curve element, against its simple type.
func (v *Validator) checkChildValue(out *Anomalies, level Level, key string, spec ElementSpec, ch child) {
	switch {
	case ch.curve != nil:
		v.checkCurveValues(out, key, spec, ch.curve, ch.nth)
	case ch.value == nil:
	case spec.EmptyAllowed && ch.value.Text == "":
		v.add(out, RuleEmptyValue, ch.line, key, spec.Name, "",
			fmt.Sprintf("%s is empty: the switching history writes a negative monthly sum this way, so the value is unknown", spec.Name))
	default:
		err := spec.Type.Check(ch.value.Text)
		switch {
		case err == nil:
		case spec.Type == TypeDate && matchesDatePattern(ch.value.Text):
			v.add(out, RuleCalendarDate, ch.line, key, spec.Name, ch.value.Text,
				fmt.Sprintf("%s %s matches the schema pattern but is not a day of the calendar", spec.Name, ch.value.Text))
		default:
			v.addSchema(out, RuleValue, level, ch.line, key, spec.Name, ch.value.Text, valueMessage(spec.Name, err))
		}
	}
}

// matchesDatePattern reports whether s matches the pattern of DataItaType,
// which accepts any day 01..31 in any month: "dd/MM/yyyy" with years
// 1900..2099.
func matchesDatePattern(s string) bool {
	if len(s) != 10 || s[2] != '/' || s[5] != '/' || !digitsOnly(s[:2]+s[3:5]+s[6:]) {
		return false
	}
	day, month, century := s[:2], s[3:5], s[6:8]
	return day >= "01" && day <= "31" && month >= "01" && month <= "12" && (century == "19" || century == "20")
}

func valueMessage(field string, err error) string {
	return fmt.Sprintf("%s: %v", field, err)
}

// checkRegisterExclusion reports a single-rate register sent together with
// band registers of the same quantity (RuleSingleRateAndBands).
func (v *Validator) checkRegisterExclusion(out *Anomalies, key string, m *Measure) {
	regs := &m.Registers
	for _, q := range []struct {
		name   string
		single Value
		bands  *[6]Value
	}{
		{"Ea", regs.EaM, &regs.Ea}, {"Er", regs.ErM, &regs.Er}, {"Pot", regs.PotM, &regs.Pot},
		{"Erc", regs.ErcM, &regs.Erc}, {"Eri", regs.EriM, &regs.Eri},
	} {
		if !q.single.Set {
			continue
		}
		for i, b := range q.bands {
			if b.Set {
				v.add(out, RuleSingleRateAndBands, q.single.Line, key, q.name+"M", q.single.Text,
					fmt.Sprintf("%sM (single rate) and %sF%d (bands) exclude each other in %s", q.name, q.name, i+1, m.Element))
				break
			}
		}
	}
}
