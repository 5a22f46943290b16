package flows

import (
	"bufio"
	"errors"
	"io"
	"strconv"

	"github.com/shopspring/decimal"

	"github.com/bludispatcher/dispatcher/internal/itnum"
)

// ErrWriterState is returned when Writer methods are called out of order:
// Write before WriteHeader, WriteHeader twice, or anything after Close.
var ErrWriterState = errors.New("flows: writer methods called out of order")

// Writer encodes records in the official flow format: a UTF-8 XML
// declaration, the root with xmlns:xsi and CodFlusso, and the children of
// every container in the canonical order of the schema, whatever order
// they were read in. Values are written exactly as stored in Value.Text;
// elements with Set false are omitted. Unknown elements (Extra) are
// written back, unchanged, at the end of their container.
type Writer struct {
	w      *bufio.Writer
	flow   string
	root   string
	state  int // 0 new, 1 header written, 2 closed
	err    error
	indent []byte
	// scratch is reused to format attribute names without allocating.
	scratch []byte
}

// NewWriter returns a writer that encodes to w. Call WriteHeader once,
// Write for each record, then Close.
func NewWriter(w io.Writer) *Writer {
	return &Writer{w: bufio.NewWriterSize(w, 64<<10)}
}

// Decimal3 returns a present Value holding d with a decimal comma and
// exactly three decimals, as the Numerico*v3 types require, rounding half
// away from zero. A negative d gives a value the schema rejects.
func Decimal3(d decimal.Decimal) Value { return V(itnum.FormatDecimal(d, 3)) }

// WriteHeader writes the XML declaration, the root start tag and
// IdentificativiFlusso, which it leaves out only for a header read
// without one and still empty. The root is h.Root, or FlussoMisure when
// empty.
func (w *Writer) WriteHeader(h *Header) error {
	if w.err != nil {
		return w.err
	}
	if w.state != 0 {
		return ErrWriterState
	}
	w.state = 1
	w.root = h.Root
	if w.root == "" {
		w.root = "FlussoMisure"
	}
	w.flow = h.FlowCode.Text
	w.str(`<?xml version="1.0" encoding="utf-8"?>` + "\n<")
	w.str(w.root)
	w.str(` xmlns:xsi="` + xsiNamespace + `"`)
	if h.FlowCode.Set {
		w.attr("CodFlusso", h.FlowCode.Text)
	}
	w.str(">\n")
	w.push()
	if writesIdentifiers(h) {
		w.open("IdentificativiFlusso")
		for _, name := range identifierNames {
			w.simple(name, h.Field(name))
		}
		w.extras(h.Extra)
		w.close("IdentificativiFlusso")
	}
	w.extras(h.RootExtra)
	return w.flush(false)
}

// identifierNames are the children of IdentificativiFlusso in schema order.
var identifierNames = []string{"PIvaUtente", "PIvaDistributore", "CodContrDisp"}

// writesIdentifiers reports whether WriteHeader writes IdentificativiFlusso:
// always, unless the header was read without one and nothing was put in it
// since, so a file without it round-trips unchanged.
func writesIdentifiers(h *Header) bool {
	if !h.IdentifiersMissing || len(h.Extra) > 0 {
		return true
	}
	for _, name := range identifierNames {
		if h.Field(name).Set {
			return true
		}
	}
	return false
}

// Write writes one DatiPod record.
func (w *Writer) Write(r *Record) error {
	if w.err != nil {
		return w.err
	}
	if w.state != 1 {
		return ErrWriterState
	}
	sh := ShapesFor(w.flow, r)
	w.open("DatiPod")
	wroteMeasure := false
	for _, e := range orDefault(sh.Pod, genericPod).WriteOrder() {
		switch e.Name {
		case "DatiPdp":
			if r.Pdp.Set {
				w.pdp(&r.Pdp, sh.Pdp)
			}
		case "Misura", "Curva":
			if r.Measure != nil && !wroteMeasure {
				wroteMeasure = true
				w.measure(r.Measure, sh.Measure)
			}
		case "Consumo":
			if r.Consumption != nil {
				m := *r.Consumption
				m.Element = "Consumo"
				w.measure(&m, sh.Consumption)
			}
		case "Consumo_StD":
			if c := r.ConsumptionStD; c != nil {
				w.open("Consumo_StD")
				for _, s := range stdOrder {
					w.simple(s.Name, c.Field(s.Name))
				}
				w.extras(c.Extra)
				w.close("Consumo_StD")
			}
		case "Smontaggio":
			w.meterChange("Smontaggio", r.Removal, sh.Removal)
		case "Montaggio":
			w.meterChange("Montaggio", r.Installation, sh.Installation)
		default:
			w.simple(e.Name, r.Field(e.Name))
		}
	}
	w.extras(r.Extra)
	w.close("DatiPod")
	return w.flush(false)
}

// Close writes the root end tag and flushes. It does not close the
// underlying writer.
func (w *Writer) Close() error {
	if w.err != nil {
		return w.err
	}
	if w.state != 1 {
		return ErrWriterState
	}
	w.state = 2
	w.pop()
	w.str("</", w.root, ">\n")
	return w.flush(true)
}

func orDefault(s, def *Shape) *Shape {
	if s == nil {
		return def
	}
	return s
}

func (w *Writer) pdp(p *Pdp, shape *Shape) {
	w.open("DatiPdp")
	for _, e := range orDefault(shape, genericPdp).WriteOrder() {
		w.simple(e.Name, p.Field(e.Name))
	}
	w.extras(p.Extra)
	w.close("DatiPdp")
}

func (w *Writer) measure(m *Measure, shape *Shape) {
	name := m.Element
	if name == "" {
		name = "Misura"
	}
	w.ind()
	w.str("<", name)
	if m.XSIType != "" {
		w.attr("xsi:type", m.XSIType)
	}
	w.str(">\n")
	w.push()
	for _, e := range orDefault(shape, genericMeasure).WriteOrder() {
		switch e.Type {
		case TypeEnergy, TypeEnergy2G:
			kind, _ := CurveKindOf(e.Name)
			for i := range m.Curves {
				if m.Curves[i].Kind == kind {
					w.curve(&m.Curves[i])
				}
			}
		default:
			w.simple(e.Name, m.Field(e.Name))
		}
	}
	w.extras(m.Extra)
	w.close(name)
}

func (w *Writer) meterChange(name string, c *MeterChange, shape *Shape) {
	if c == nil {
		return
	}
	w.open(name)
	for _, e := range orDefault(shape, genericMeterChange).WriteOrder() {
		w.simple(e.Name, c.Field(e.Name))
	}
	w.extras(c.Extra)
	w.close(name)
}

// curve writes one curve element on one line: Dst, E1..E100, S1..S4, then
// unknown attributes in the order read.
func (w *Writer) curve(c *Curve) {
	w.ind()
	name := c.Kind.String()
	w.str("<", name)
	if c.Dst.Set {
		w.attr("Dst", c.Dst.Text)
	}
	for n := 1; n <= MaxSlots; n++ {
		v, ok := c.E(n)
		if !ok {
			continue
		}
		w.scratch = strconv.AppendInt(append(w.scratch[:0], " E"...), int64(n), 10)
		w.bytes(w.scratch)
		w.str(`="`)
		w.escape(v, true)
		w.str(`"`)
	}
	for n := 1; n <= 4; n++ {
		if v, ok := c.S(n); ok {
			w.attr("S"+strconv.Itoa(n), v)
		}
	}
	for _, a := range c.ExtraAttrs() {
		w.attr(a.Name, a.Value)
	}
	w.str(">")
	w.escape(c.Day.Text, false)
	w.str("</", name, ">\n")
}

func (w *Writer) simple(name string, v *Value) {
	if v == nil || !v.Set {
		return
	}
	w.ind()
	if v.Text == "" {
		w.str("<", name, "/>\n")
		return
	}
	w.str("<", name, ">")
	w.escape(v.Text, false)
	w.str("</", name, ">\n")
}

func (w *Writer) extras(list []Element) {
	for _, e := range list {
		w.ind()
		w.str(e.XML)
		w.str("\n")
	}
}

func (w *Writer) open(name string) {
	w.ind()
	w.str("<", name, ">\n")
	w.push()
}

func (w *Writer) close(name string) {
	w.pop()
	w.ind()
	w.str("</", name, ">\n")
}

func (w *Writer) push() { w.indent = append(w.indent, ' ', ' ') }

func (w *Writer) pop() {
	if len(w.indent) >= 2 {
		w.indent = w.indent[:len(w.indent)-2]
	}
}

func (w *Writer) ind() { w.bytes(w.indent) }

func (w *Writer) attr(name, value string) {
	w.str(" ", name, `="`)
	w.escape(value, true)
	w.str(`"`)
}

// str writes the strings in order, after the first error only keeping it.
func (w *Writer) str(parts ...string) {
	for _, s := range parts {
		if w.err != nil {
			return
		}
		_, w.err = w.w.WriteString(s)
	}
}

func (w *Writer) bytes(b []byte) {
	if w.err == nil {
		_, w.err = w.w.Write(b)
	}
}

// escape writes s with the characters that XML reserves replaced: "&",
// "<", ">" always, and in attribute values also quotes and the
// whitespace characters that attribute normalization would change.
func (w *Writer) escape(s string, attr bool) {
	last := 0
	for i := 0; i < len(s); i++ {
		var rep string
		switch s[i] {
		case '&':
			rep = "&amp;"
		case '<':
			rep = "&lt;"
		case '>':
			rep = "&gt;"
		case '\r':
			rep = "&#13;"
		case '"':
			if attr {
				rep = "&quot;"
			}
		case '\n':
			if attr {
				rep = "&#10;"
			}
		case '\t':
			if attr {
				rep = "&#9;"
			}
		}
		if rep == "" {
			continue
		}
		w.str(s[last:i])
		w.str(rep)
		last = i + 1
	}
	w.str(s[last:])
}

// flush writes buffered output when it is large, or always when force is
// set, and returns the first error.
func (w *Writer) flush(force bool) error {
	if w.err == nil && (force || w.w.Buffered() > 32<<10) {
		w.err = w.w.Flush()
	}
	return w.err
}
