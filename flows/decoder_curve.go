package flows

import "fmt"

// decodeCurve reads an Ea, Er, Erc or Eri element into a new curve of m.
// The start tag is copied into one string and the attribute values are
// substrings of it, so a curve costs one allocation for its values.
func (d *Decoder) decodeCurve(m *Measure, kind CurveKind, idx uint16) error {
	s := d.s
	m.Curves = append(m.Curves, Curve{})
	c := &m.Curves[len(m.Curves)-1]
	line := int32(s.tokLine)
	c.Kind, c.Line, c.Index = kind, line, idx
	tag := string(s.tag())
	d.curveExtraNames = nil
	for _, a := range s.attrs {
		name := tag[a.name0:a.name1]
		val := tag[a.val0:a.val1]
		// Fast path for E1..E100 without references.
		if n, ok := slotNumber(name, 'E', MaxSlots); ok && !a.escaped {
			i := n - 1
			if c.eSet[i>>6]&(1<<(i&63)) == 0 {
				c.e[i] = val
				c.eSet[i>>6] |= 1 << (i & 63)
				continue
			}
		}
		if a.escaped {
			v, err := s.attrString(a)
			if err != nil {
				return err
			}
			val = v
		}
		if err := d.curveAttr(c, name, val, a); err != nil {
			return err
		}
	}
	c.Day = Value{Set: true, Line: line}
	if s.selfClose {
		return nil
	}
	return d.curveDay(m, c, tag, idx)
}

func (d *Decoder) curveAttr(c *Curve, name, val string, a attrSpan) error {
	if n, ok := slotNumber(name, 'E', MaxSlots); ok {
		i := n - 1
		if c.eSet[i/64]&(1<<(i%64)) != 0 {
			return d.s.errAt(d.s.tokStart+int(a.name0), fmt.Errorf("%w: attribute %s repeated", ErrSyntax, name))
		}
		c.e[i] = val
		c.eSet[i/64] |= 1 << (i % 64)
		return nil
	}
	if name == "Dst" {
		if c.Dst.Set {
			return d.s.errAt(d.s.tokStart+int(a.name0), fmt.Errorf("%w: attribute Dst repeated", ErrSyntax))
		}
		c.Dst = Value{Text: val, Set: true, Line: c.Line}
		return nil
	}
	if n, ok := slotNumber(name, 'S', 4); ok {
		if c.sSet&(1<<(n-1)) != 0 {
			return d.s.errAt(d.s.tokStart+int(a.name0), fmt.Errorf("%w: attribute %s repeated", ErrSyntax, name))
		}
		c.SetS(n, val)
		return nil
	}
	if d.repeatedCurveExtra(c, name) {
		return d.s.errAt(d.s.tokStart+int(a.name0), fmt.Errorf("%w: attribute %s repeated", ErrSyntax, name))
	}
	c.AddExtraAttr(name, val)
	return nil
}

// repeatedCurveExtra reports whether c already has the unknown attribute
// name. A few are compared one by one, and past maxCheckedAttrs they go
// into a set, so a tag with many unknown attributes costs linear time.
func (d *Decoder) repeatedCurveExtra(c *Curve, name string) bool {
	if len(c.extra) < maxCheckedAttrs {
		for _, x := range c.extra {
			if x.Name == name {
				return true
			}
		}
		return false
	}
	if d.curveExtraNames == nil {
		d.curveExtraNames = make(map[string]struct{}, 2*len(c.extra))
		for _, x := range c.extra {
			d.curveExtraNames[x.Name] = struct{}{}
		}
	}
	if _, ok := d.curveExtraNames[name]; ok {
		return true
	}
	d.curveExtraNames[name] = struct{}{}
	return false
}

// curveDay reads the text of a curve element: the day of the month. A
// curve element with child elements is moved whole to m.Extra.
func (d *Decoder) curveDay(m *Measure, c *Curve, tag string, idx uint16) error {
	s := d.s
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
				c.Day.Text = t
			} else {
				c.Day.Text += t
			}
			pieces++
		case tokStart:
			e := Element{Name: c.Kind.String(), Line: c.Line, Index: idx}
			prefix := appendEscaped([]byte(tag), c.Day.Text)
			m.Curves = m.Curves[:len(m.Curves)-1]
			return d.keepMixed(e, prefix, depth, &m.Extra)
		case tokEnd:
			return nil
		case tokEOF:
			return d.eofError()
		}
	}
}

// slotNumber parses names like "E17" or "S3": the letter, then a number
// from 1 to max without leading zeros.
func slotNumber(name string, letter byte, max int) (int, bool) {
	if len(name) < 2 || len(name) > 4 || name[0] != letter || name[1] == '0' {
		return 0, false
	}
	n := 0
	for i := 1; i < len(name); i++ {
		c := name[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, n >= 1 && n <= max
}
