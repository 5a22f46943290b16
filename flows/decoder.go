// Package flows reads, validates and writes the Italian electricity
// metering flows that distributors and the SII send to sellers. It covers
// Flusso 1 (PDO, PNO, VNO, SNM and their 2G variants) and the Flusso 2
// corrections (RFO, RNO, RNV, RSN). It also covers the switching data
// flows (SOF, SNF, F2G, SOS, SNS, S2G), meter replacements (SMIS) and the
// pre-2020 legacy layout.
//
// A Decoder streams one DatiPod Record at a time from an io.Reader, a
// Writer encodes records back in the official element order, and the
// schema table (Shape, ShapesFor, MeasureSchema) describes every container
// for the validator.
package flows

import (
	"bytes"
	"fmt"
	"io"
	"strings"
)

// Default limits of DecoderOptions.
const (
	// DefaultMaxRecordBytes bounds one DatiPod element. The largest official
	// record, a monthly curve with reactive injected energy, is about
	// 145 KB; the SII caps a whole file at 25 MB.
	DefaultMaxRecordBytes = 64 << 20
	// DefaultMaxDepth bounds element nesting; flow files nest five deep.
	DefaultMaxDepth = 64
	// DefaultMaxRecordNodes bounds the elements and attributes of one
	// DatiPod element. The largest official record has about 13000 of
	// them: 128 curve elements of up to 98 attributes each.
	DefaultMaxRecordNodes = 1 << 20
)

// xsiNamespace is the XML Schema instance namespace that xsi:type uses.
const xsiNamespace = "http://www.w3.org/2001/XMLSchema-instance"

// DecoderOptions tune a Decoder. The zero value gives the defaults.
type DecoderOptions struct {
	// MaxRecordBytes bounds the bytes of one DatiPod element, of any
	// single tag or text, and of the header and the unknown elements
	// outside the records taken together; 0 means DefaultMaxRecordBytes.
	MaxRecordBytes int
	// MaxDepth bounds element nesting; 0 means DefaultMaxDepth.
	MaxDepth int
	// MaxRecordNodes bounds the elements and attributes of one DatiPod
	// element, and of the header and the unknown elements outside the
	// records taken together; 0 means DefaultMaxRecordNodes. Decoded, each
	// costs tens of bytes, so the byte limit alone lets a record of tiny
	// elements take gigabytes.
	MaxRecordNodes int
	// ReuseRecord makes Next return the same *Record each time, refilled,
	// and reuse its curve storage. A caller that sets it must not keep a
	// record, or any slice in it, past the next call to Next.
	ReuseRecord bool
}

// Decoder reads a metering flow one DatiPod record at a time. Its memory
// use depends on the largest record, not on the file size.
type Decoder struct {
	opts DecoderOptions
	src  io.Reader
	s    *scanner

	header   *Header
	err      error // sticky: returned by every later call
	pending  bool  // the current token is a DatiPod start tag not yet decoded
	rootDone bool
	xsi      []string // prefixes bound to the XML Schema instance namespace
	trailing []Element

	rec       *Record
	spare     []*Measure
	curveHint int
	// trailingBytes and trailingNodes are the size of the markup kept in
	// trailing and the number of its elements and attributes.
	trailingBytes int64
	trailingNodes int
	// curveExtraNames holds the unknown attribute names of the curve tag
	// being decoded once it has many of them; nil otherwise.
	curveExtraNames map[string]struct{}
}

// NewDecoder returns a decoder of the flow file read from r, with default
// options. The encoding comes from a byte order mark or the XML
// declaration: UTF-8, UTF-16 with a byte order mark, ISO-8859-1 and
// windows-1252 are converted.
func NewDecoder(r io.Reader) *Decoder { return NewDecoderOptions(r, DecoderOptions{}) }

// NewDecoderOptions returns a decoder with explicit options.
func NewDecoderOptions(r io.Reader, opts DecoderOptions) *Decoder {
	if opts.MaxRecordBytes <= 0 {
		opts.MaxRecordBytes = DefaultMaxRecordBytes
	}
	if opts.MaxDepth <= 0 {
		opts.MaxDepth = DefaultMaxDepth
	}
	if opts.MaxRecordNodes <= 0 {
		opts.MaxRecordNodes = DefaultMaxRecordNodes
	}
	return &Decoder{opts: opts, src: r, xsi: []string{"xsi"}}
}

// Header reads the root element and IdentificativiFlusso, if not read
// yet, and returns them.
func (d *Decoder) Header() (*Header, error) {
	if d.header != nil || d.err != nil {
		return d.header, d.err
	}
	h, err := d.readHeader()
	if err != nil {
		d.err = err
		return nil, err
	}
	d.header = h
	return h, nil
}

// Next returns the next DatiPod record, reading the header first if
// needed. At the end of the file it returns io.EOF. After any other error
// it keeps returning that error; records returned before it are complete.
func (d *Decoder) Next() (*Record, error) {
	if d.err != nil {
		return nil, d.err
	}
	if d.header == nil {
		if _, err := d.Header(); err != nil {
			return nil, err
		}
	}
	rec, err := d.next()
	if err != nil {
		d.err = err
	}
	return rec, err
}

// TrailingExtra returns the unknown elements found directly under the root
// after the first DatiPod, in document order. Those found before it are
// in Header.RootExtra.
func (d *Decoder) TrailingExtra() []Element { return d.trailing }

func (d *Decoder) next() (*Record, error) {
	s := d.s
	for {
		if d.rootDone {
			return nil, d.finish()
		}
		if d.pending {
			d.pending = false
		} else if err := s.next(); err != nil {
			return nil, err
		}
		switch s.kind {
		case tokStart:
			if string(s.name) == "DatiPod" {
				return d.decodeRecord()
			}
			if err := d.trailingExtra(); err != nil {
				return nil, err
			}
		case tokEnd:
			d.rootDone = true
		case tokEOF:
			return nil, d.eofError()
		}
	}
}

// trailingExtra keeps an unknown element found under the root after the
// first DatiPod. All of them together may take at most MaxRecordBytes, so
// a file made of unknown elements cannot make memory grow with its size.
func (d *Decoder) trailingExtra() error {
	s := d.s
	budget := int64(d.opts.MaxRecordBytes) - d.trailingBytes
	startNodes := 1 + len(s.attrs)
	s.limitFrom(s.base+int64(s.tokStart), budget, d.opts.MaxRecordNodes-d.trailingNodes-startNodes, outsideMarkup)
	err := d.extra(&d.trailing, 0)
	nodes := s.nodes
	s.limitOff()
	if err != nil {
		return err
	}
	d.trailingBytes += int64(len(d.trailing[len(d.trailing)-1].XML))
	d.trailingNodes += startNodes + nodes
	s.limitWhat = outsideMarkup
	if d.trailingBytes > int64(d.opts.MaxRecordBytes) {
		return s.errAt(s.tokStart, s.errLimit())
	}
	if d.trailingNodes > d.opts.MaxRecordNodes {
		return s.errAt(s.tokStart, s.errNodeLimit())
	}
	return nil
}

// outsideMarkup names, in limit errors, what the decoder keeps outside
// the records.
const outsideMarkup = "the header and the unknown elements outside the DatiPod records"

// finish checks that only whitespace, comments and processing
// instructions follow the root element.
func (d *Decoder) finish() error {
	s := d.s
	for {
		if err := s.next(); err != nil {
			return err
		}
		switch s.kind {
		case tokEOF:
			return io.EOF
		case tokText:
			if !s.isBlank() {
				return s.errAt(s.tokStart, fmt.Errorf("%w: text after the root element", ErrSyntax))
			}
		case tokStart:
			return s.errAt(s.tokStart, fmt.Errorf("%w: element <%s> after the root element", ErrSyntax, s.name))
		}
	}
}

func (d *Decoder) eofError() error {
	s := d.s
	return s.errAt(s.end, fmt.Errorf("%w: input ends before the root element closes", ErrUnexpectedEOF))
}

func (d *Decoder) readHeader() (*Header, error) {
	in, err := utf8Input(d.src)
	if err != nil {
		return nil, err
	}
	d.s = newScanner(in, d.opts.MaxRecordBytes, d.opts.MaxDepth)
	d.s.maxNodes = d.opts.MaxRecordNodes
	s := d.s
	if err := d.findRoot(); err != nil {
		return nil, err
	}

	h := &Header{Root: string(s.name)}
	if h.Root != "FlussoMisure" && h.Root != "FM" {
		return nil, s.errAt(s.tokStart, fmt.Errorf("%w: root element <%s>, want <FlussoMisure> or <FM>", ErrNotFlow, h.Root))
	}
	if err := d.rootAttrs(h); err != nil {
		return nil, err
	}
	h.IdentifiersMissing = true // until IdentificativiFlusso is read
	if s.selfClose {
		d.rootDone = true
		return h, nil
	}

	// The header and the unknown elements before the first DatiPod take
	// at most MaxRecordBytes and MaxRecordNodes, like a record.
	s.limitFrom(s.base+int64(s.tokEnd), int64(d.opts.MaxRecordBytes), d.opts.MaxRecordNodes, outsideMarkup)
	defer s.limitOff()
	var idx uint16
	for {
		if err := s.next(); err != nil {
			return nil, err
		}
		switch s.kind {
		case tokStart:
			idx = nextIndex(idx)
			switch string(s.name) {
			case "DatiPod":
				d.pending = true
				return h, nil
			case "IdentificativiFlusso":
				h.IdentifiersMissing = false
				if err := d.decodeIdentifiers(h); err != nil {
					return nil, err
				}
			default:
				if err := d.extra(&h.RootExtra, idx); err != nil {
					return nil, err
				}
			}
		case tokEnd:
			d.rootDone = true
			return h, nil
		case tokEOF:
			return nil, d.eofError()
		}
	}
}

// findRoot reads the prolog up to the root start tag.
func (d *Decoder) findRoot() error {
	s := d.s
	for {
		if err := s.next(); err != nil {
			return err
		}
		switch s.kind {
		case tokStart:
			return nil
		case tokText:
			if !s.isBlank() {
				return s.errAt(s.tokStart, fmt.Errorf("%w: text before the root element", ErrSyntax))
			}
		case tokEnd:
			return s.errAt(s.tokStart, fmt.Errorf("%w: end tag before the root element", ErrSyntax))
		case tokEOF:
			return s.errAt(s.end, fmt.Errorf("%w: no root element", ErrUnexpectedEOF))
		}
	}
}

func (d *Decoder) rootAttrs(h *Header) error {
	s := d.s
	for _, a := range s.attrs {
		name := s.attrName(a)
		switch {
		case string(name) == "CodFlusso":
			v, err := s.attrString(a)
			if err != nil {
				return err
			}
			h.FlowCode = Value{Text: v, Set: true, Line: int32(s.tokLine)}
		case string(name) == "xmlns":
			v, err := s.attrString(a)
			if err != nil {
				return err
			}
			h.RootNamespace = Value{Text: v, Set: true, Line: int32(s.tokLine)}
		case bytes.HasPrefix(name, []byte("xmlns:")):
			if string(s.attrRaw(a)) == xsiNamespace && string(name[6:]) != "xsi" {
				d.xsi = append(d.xsi, string(name[6:]))
			}
		}
	}
	return nil
}

func (d *Decoder) decodeIdentifiers(h *Header) error {
	s := d.s
	return d.children(func(idx uint16) error {
		if v := h.Field(string(s.name)); v != nil && !v.Set {
			return d.simple(v, idx, &h.Extra)
		}
		return d.extra(&h.Extra, idx)
	})
}

func nextIndex(i uint16) uint16 {
	if i == ^uint16(0) {
		return i
	}
	return i + 1
}

// children calls visit for each child element of the current start tag,
// with its 1-based index, and returns after the matching end tag. Text
// between children is skipped.
func (d *Decoder) children(visit func(idx uint16) error) error {
	s := d.s
	if s.selfClose {
		return nil
	}
	var idx uint16
	for {
		if err := s.next(); err != nil {
			return err
		}
		switch s.kind {
		case tokStart:
			idx = nextIndex(idx)
			if err := visit(idx); err != nil {
				return err
			}
		case tokEnd:
			return nil
		case tokEOF:
			return d.eofError()
		}
	}
}

// simple reads a text-only element into v. An element that turns out to
// contain child elements is kept whole in extra instead, and v stays
// absent, so a writer puts back exactly what was read.
func (d *Decoder) simple(v *Value, idx uint16, extra *[]Element) error {
	s := d.s
	*v = Value{Set: true, Line: int32(s.tokLine), Index: idx}
	if s.selfClose {
		return nil
	}
	depth := s.depth()
	pieces := 0
	for {
		if err := s.next(); err != nil {
			return err
		}
		switch s.kind {
		case tokText:
			t, err := s.textString()
			if err != nil {
				return err
			}
			if pieces == 0 {
				v.Text = t
			} else {
				v.Text += t
			}
			pieces++
		case tokStart:
			prefix := append(append([]byte{'<'}, s.nameAt(depth)...), '>')
			prefix = appendEscaped(prefix, v.Text)
			e := Element{Name: string(s.nameAt(depth)), Line: v.Line, Index: idx}
			*v = Value{}
			return d.keepMixed(e, prefix, depth, extra)
		case tokEnd:
			return nil
		case tokEOF:
			return d.eofError()
		}
	}
}

// keepMixed keeps an element with mixed content as an Element: prefix is
// its start tag and text read so far, the current token is a child start
// tag, and the raw markup up to the element's end tag follows.
func (d *Decoder) keepMixed(e Element, prefix []byte, depth int, list *[]Element) error {
	s := d.s
	s.capture = append(s.capture[:0], prefix...)
	s.capture = append(s.capture, s.tag()...)
	s.capturing = true
	for s.depth() >= depth {
		if err := s.next(); err != nil {
			s.capturing = false
			return err
		}
		if s.kind == tokEOF {
			s.capturing = false
			return d.eofError()
		}
	}
	e.XML = s.stopCapture()
	*list = append(*list, e)
	return nil
}

// extra keeps the current element, with all its content, as an Element.
func (d *Decoder) extra(list *[]Element, idx uint16) error {
	s := d.s
	e := Element{Name: string(s.name), Line: int32(s.tokLine), Index: idx}
	s.startCapture()
	if !s.selfClose {
		depth := s.depth()
		for {
			if err := s.next(); err != nil {
				s.capturing = false
				return err
			}
			if s.kind == tokEOF {
				s.capturing = false
				return d.eofError()
			}
			if s.kind == tokEnd && s.depth() < depth {
				break
			}
		}
	}
	e.XML = s.stopCapture()
	*list = append(*list, e)
	return nil
}

func (d *Decoder) newRecord() *Record {
	if !d.opts.ReuseRecord {
		return &Record{}
	}
	r := d.rec
	if r == nil {
		r = &Record{}
		d.rec = r
	}
	for _, m := range []*Measure{r.Measure, r.Consumption} {
		if m != nil {
			d.spare = append(d.spare, m)
		}
	}
	*r = Record{}
	return r
}

func (d *Decoder) newMeasure(element string) *Measure {
	s := d.s
	var m *Measure
	if n := len(d.spare); n > 0 {
		m = d.spare[n-1]
		d.spare = d.spare[:n-1]
		*m = Measure{Curves: m.Curves[:0]}
	} else {
		m = &Measure{}
	}
	m.Element, m.Line = element, int32(s.tokLine)
	return m
}

func (d *Decoder) decodeRecord() (*Record, error) {
	s := d.s
	rec := d.newRecord()
	rec.Line = s.tokLine
	rec.Column = int(s.base+int64(s.tokStart)-s.tokLineStart) + 1
	s.limitFrom(s.base+int64(s.tokStart), int64(d.opts.MaxRecordBytes), d.opts.MaxRecordNodes-1-len(s.attrs), "record")
	defer s.limitOff()
	err := d.children(func(idx uint16) error { return d.recordChild(rec, idx) })
	if err != nil {
		return nil, err
	}
	return rec, nil
}

func (d *Decoder) recordChild(rec *Record, idx uint16) error {
	s := d.s
	switch name := string(s.name); name {
	case "DatiPdp":
		if rec.Pdp.Set {
			break
		}
		return d.decodePdp(&rec.Pdp, idx)
	case "Misura", "Curva", "Consumo":
		target := &rec.Measure
		if name == "Consumo" {
			target = &rec.Consumption
		}
		if *target != nil {
			break
		}
		m := d.newMeasure(measureElementName(name))
		m.Index = idx
		*target = m
		return d.decodeMeasure(m)
	case "Consumo_StD":
		if rec.ConsumptionStD != nil {
			break
		}
		c := &StDConsumption{Line: int32(s.tokLine), Index: idx}
		rec.ConsumptionStD = c
		return d.children(func(i uint16) error {
			if v := c.Field(string(s.name)); v != nil && !v.Set {
				return d.simple(v, i, &c.Extra)
			}
			return d.extra(&c.Extra, i)
		})
	case "Smontaggio", "Montaggio":
		target := &rec.Removal
		if name == "Montaggio" {
			target = &rec.Installation
		}
		if *target != nil {
			break
		}
		c := &MeterChange{Line: int32(s.tokLine), Index: idx}
		*target = c
		return d.children(func(i uint16) error {
			if v := c.Field(string(s.name)); v != nil && !v.Set {
				return d.simple(v, i, &c.Extra)
			}
			return d.extra(&c.Extra, i)
		})
	default:
		if v := rec.Field(name); v != nil && !v.Set {
			return d.simple(v, idx, &rec.Extra)
		}
	}
	return d.extra(&rec.Extra, idx)
}

// measureElementName returns a constant string for the element names of
// Measure, so records share them.
func measureElementName(name string) string {
	switch name {
	case "Misura":
		return "Misura"
	case "Curva":
		return "Curva"
	}
	return "Consumo"
}

func (d *Decoder) decodePdp(p *Pdp, idx uint16) error {
	s := d.s
	p.Set, p.Line, p.Index = true, int32(s.tokLine), idx
	return d.children(func(i uint16) error {
		if v := p.Field(string(s.name)); v != nil && !v.Set {
			return d.simple(v, i, &p.Extra)
		}
		return d.extra(&p.Extra, i)
	})
}

func (d *Decoder) decodeMeasure(m *Measure) error {
	s := d.s
	local := d.localXSIPrefixes()
	for _, a := range s.attrs {
		if !d.isXSIType(s.attrName(a), local) {
			continue
		}
		v, err := s.attrString(a)
		if err != nil {
			return err
		}
		m.XSIType = strings.TrimSpace(v)
	}
	if m.Curves == nil && d.curveHint > 0 {
		m.Curves = make([]Curve, 0, d.curveHint)
	}
	err := d.children(func(i uint16) error {
		if kind, ok := curveKindOf(s.name); ok {
			return d.decodeCurve(m, kind, i)
		}
		if v := m.Field(string(s.name)); v != nil && !v.Set {
			return d.simple(v, i, &m.Extra)
		}
		return d.extra(&m.Extra, i)
	})
	if n := len(m.Curves); n > d.curveHint && n <= 4*32 {
		d.curveHint = n
	}
	return err
}

// isXSIType reports whether an attribute name is "type" in the XML Schema
// instance namespace: prefix "xsi", or a prefix bound to that namespace on
// the root or, as listed in local, on the current tag.
func (d *Decoder) isXSIType(name []byte, local map[string]bool) bool {
	colon := bytes.IndexByte(name, ':')
	if colon < 0 || string(name[colon+1:]) != "type" {
		return false
	}
	prefix := name[:colon]
	if bound, ok := local[string(prefix)]; ok {
		return bound
	}
	for _, p := range d.xsi {
		if string(prefix) == p {
			return true
		}
	}
	return false
}

// localXSIPrefixes returns the prefixes that the current tag declares,
// each mapped to whether it is bound to the XML Schema instance namespace,
// or nil when the tag declares none.
func (d *Decoder) localXSIPrefixes() map[string]bool {
	s := d.s
	var out map[string]bool
	for _, a := range s.attrs {
		n := s.attrName(a)
		if !bytes.HasPrefix(n, []byte("xmlns:")) {
			continue
		}
		if out == nil {
			out = map[string]bool{}
		}
		out[string(n[6:])] = string(s.attrRaw(a)) == xsiNamespace
	}
	return out
}

func curveKindOf(name []byte) (CurveKind, bool) {
	switch string(name) {
	case "Ea":
		return ActiveEnergy, true
	case "Er":
		return ReactiveEnergy, true
	case "Erc":
		return ReactiveCapacitiveInjected, true
	case "Eri":
		return ReactiveInductiveInjected, true
	}
	return 0, false
}
