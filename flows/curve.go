package flows

import (
	"math/bits"
)

// CurveKind names the quantity a curve day carries.
type CurveKind uint8

const (
	// ActiveEnergy is Ea: active energy withdrawn, kWh per quarter-hour.
	ActiveEnergy CurveKind = iota
	// ReactiveEnergy is Er: reactive inductive energy withdrawn, kvarh.
	ReactiveEnergy
	// ReactiveCapacitiveInjected is Erc: reactive capacitive energy injected, kvarh.
	ReactiveCapacitiveInjected
	// ReactiveInductiveInjected is Eri: reactive inductive energy injected, kvarh.
	ReactiveInductiveInjected
)

var curveKindNames = [...]string{"Ea", "Er", "Erc", "Eri"}

// String returns the element name: "Ea", "Er", "Erc" or "Eri".
func (k CurveKind) String() string {
	if int(k) < len(curveKindNames) {
		return curveKindNames[k]
	}
	return "E?"
}

// CurveKindOf returns the kind for an element name, and false when the name
// is not a curve element.
func CurveKindOf(name string) (CurveKind, bool) {
	for i, n := range curveKindNames {
		if n == name {
			return CurveKind(i), true
		}
	}
	return 0, false
}

// MaxSlots is the number of E attributes a curve element can carry (E1..E100;
// current flows use E1..E96, some legacy hourly files up to E100).
const MaxSlots = 100

// Curve is one Ea, Er, Erc or Eri element: the quarter-hours of one day.
// The element text is the day of the month; the attributes E1..E96 are the
// quarter-hours and Dst tells which part of a daylight-saving day it is.
// Slot values are kept as read; absent and empty attributes stay distinct.
type Curve struct {
	Kind CurveKind
	// Day is the element text: the day of the month ("01".."31").
	Day Value
	// Dst is the Dst attribute: "0" normal day (also when absent), "1" spring
	// day, "2" first part and "3" second part of the autumn day.
	Dst Value
	// Line is the line of the start tag; Index its position in the parent.
	Line  int32
	Index uint16

	e     [MaxSlots]string
	eSet  [2]uint64
	s     [4]string // S1..S4 of the legacy 2G Energia2GType
	sSet  uint8
	extra []Attr
}

// Attr is an attribute this package does not know, kept as read.
type Attr struct {
	Name, Value string
}

// E returns the value of attribute En (1-based) and whether it was present.
func (c *Curve) E(n int) (string, bool) {
	if n < 1 || n > MaxSlots {
		return "", false
	}
	i := n - 1
	return c.e[i], c.eSet[i/64]&(1<<(i%64)) != 0
}

// SetE sets attribute En (1-based) to text; it panics when n is outside 1..100.
func (c *Curve) SetE(n int, text string) {
	i := n - 1
	c.e[i] = text
	c.eSet[i/64] |= 1 << (i % 64)
}

// UnsetE removes attribute En (1-based).
func (c *Curve) UnsetE(n int) {
	i := n - 1
	c.e[i] = ""
	c.eSet[i/64] &^= 1 << (i % 64)
}

// S returns the value of attribute Sn (1..4) of legacy 2G curves and whether
// it was present.
func (c *Curve) S(n int) (string, bool) {
	if n < 1 || n > 4 {
		return "", false
	}
	return c.s[n-1], c.sSet&(1<<(n-1)) != 0
}

// SetS sets attribute Sn (1..4); it panics when n is outside 1..4.
func (c *Curve) SetS(n int, text string) {
	c.s[n-1] = text
	c.sSet |= 1 << (n - 1)
}

// Count returns how many E attributes are present.
func (c *Curve) Count() int {
	return bits.OnesCount64(c.eSet[0]) + bits.OnesCount64(c.eSet[1])
}

// MaxE returns the highest n for which En is present, or 0.
func (c *Curve) MaxE() int {
	if c.eSet[1] != 0 {
		return 64 + 64 - bits.LeadingZeros64(c.eSet[1])
	}
	return 64 - bits.LeadingZeros64(c.eSet[0])
}

// ExtraAttrs returns attributes other than Dst, E1..E100 and S1..S4, in
// document order.
func (c *Curve) ExtraAttrs() []Attr { return c.extra }

// AddExtraAttr keeps an attribute this package does not know.
func (c *Curve) AddExtraAttr(name, value string) {
	c.extra = append(c.extra, Attr{name, value})
}

// DstPart returns the Dst attribute as a number, 0 when absent.
// The second result is false when the attribute is present but not 0..3.
func (c *Curve) DstPart() (int, bool) {
	if !c.Dst.Set {
		return 0, true
	}
	if len(c.Dst.Text) == 1 && c.Dst.Text[0] >= '0' && c.Dst.Text[0] <= '3' {
		return int(c.Dst.Text[0] - '0'), true
	}
	return 0, false
}
