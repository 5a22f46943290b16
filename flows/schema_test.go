package flows

import (
	"encoding/xml"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/internal/testref"
)

// xsdNode is a generic element of an XSD document.
type xsdNode struct {
	XMLName  xml.Name
	Attrs    []xml.Attr `xml:",any,attr"`
	Children []xsdNode  `xml:",any"`
}

func (n *xsdNode) attr(name string) string {
	for _, a := range n.Attrs {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// elements lists the xs:element descendants of n in document order, with
// the choice group they belong to.
func (n *xsdNode) elements(choice uint8, next *uint8, out *[]ElementSpec) {
	for i := range n.Children {
		c := &n.Children[i]
		switch c.XMLName.Local {
		case "element":
			*out = append(*out, specOf(c, choice))
		case "choice":
			*next++
			c.elements(*next, next, out)
		case "complexType":
			// An inline type: its elements belong to another shape.
		default:
			c.elements(choice, next, out)
		}
	}
}

func specOf(n *xsdNode, choice uint8) ElementSpec {
	occurs := func(s string) int {
		switch s {
		case "":
			return 1
		case "unbounded":
			return Unbounded
		}
		v, _ := strconv.Atoi(s)
		return v
	}
	return ElementSpec{
		Name:    n.attr("name"),
		Min:     occurs(n.attr("minOccurs")),
		Max:     occurs(n.attr("maxOccurs")),
		Complex: n.attr("type"),
		Default: n.attr("default"),
		Choice:  choice,
	}
}

func parseXSD(t *testing.T, name string) xsdNode {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(testref.Flows(t, "sii-standard-tracciati-misure-v1.8", "xsd"), name))
	require.NoError(t, err)
	var root xsdNode
	require.NoError(t, xml.Unmarshal(b, &root))
	return root
}

// comparable turns a shape into the XSD's view of it: simple types by
// name and complex children by their declared type.
func comparable(s *Shape) []ElementSpec {
	out := make([]ElementSpec, len(s.Elements))
	for i, e := range s.Elements {
		name := e.Complex
		if e.Type != TypeComplex {
			name = e.Type.XSDName()
		}
		out[i] = ElementSpec{Name: e.Name, Min: e.Min, Max: e.Max, Complex: name, Default: e.Default, Choice: e.Choice}
	}
	return out
}

func TestShapesMatchComplexTypesXSD(t *testing.T) {
	root := parseXSD(t, "FlussiDatiMisuraPrelievoEE-DefComplexTypes.xsd")
	seen := 0
	for i := range root.Children {
		ct := &root.Children[i]
		name := ct.attr("name")
		if ct.XMLName.Local != "complexType" || name == "EnergiaType" || name == "Energia2GType" {
			continue
		}
		seen++
		t.Run(name, func(t *testing.T) {
			var want []ElementSpec
			var next uint8
			ct.elements(0, &next, &want)
			if ext := findExtension(ct); ext != "" {
				base, ok := LookupShape(ext)
				require.True(t, ok, "base %s", ext)
				want = append(comparable(base), want...)
			}
			shape, ok := LookupShape(name)
			require.True(t, ok, "shape %s missing", name)
			assert.False(t, shape.Reconstructed)
			if diff := cmp.Diff(want, comparable(shape)); diff != "" {
				t.Errorf("%s differs from the XSD (-xsd +schema.go):\n%s", name, diff)
			}
		})
	}
	assert.Equal(t, 35, seen, "complex types compared")
}

func findExtension(n *xsdNode) string {
	for i := range n.Children {
		c := &n.Children[i]
		if c.XMLName.Local == "extension" {
			return c.attr("base")
		}
		if b := findExtension(c); b != "" {
			return b
		}
	}
	return ""
}

func TestDatiPodMatchesFlowXSD(t *testing.T) {
	for _, tc := range []struct{ file, shape string }{
		{"FlussiDatiMisuraPrelievoEE-Flusso1-Periodico.xsd", ShapePodPeriodic},
		{"FlussiDatiMisuraPrelievoEE-Flusso2-Rettifica.xsd", ShapePodCorrection},
	} {
		t.Run(tc.shape, func(t *testing.T) {
			root := parseXSD(t, tc.file)
			pod := findElement(&root, "DatiPod")
			require.NotNil(t, pod)
			var want []ElementSpec
			var next uint8
			pod.Children[0].elements(0, &next, &want)
			// A choice with minOccurs="0" makes each member optional.
			if tc.shape == ShapePodCorrection {
				for i := range want {
					if want[i].Choice != 0 {
						want[i].Min = 0
					}
				}
			}
			shape, _ := LookupShape(tc.shape)
			if diff := cmp.Diff(want, comparable(shape)); diff != "" {
				t.Errorf("DatiPod differs from %s (-xsd +schema.go):\n%s", tc.file, diff)
			}
		})
	}
}

func findElement(n *xsdNode, name string) *xsdNode {
	for i := range n.Children {
		c := &n.Children[i]
		if c.XMLName.Local == "element" && c.attr("name") == name {
			return c
		}
		if f := findElement(c, name); f != nil {
			return f
		}
	}
	return nil
}

func TestEnumerationsMatchSimpleTypesXSD(t *testing.T) {
	root := parseXSD(t, "FlussiDatiMisuraPrelievoEE-DefSimpleTypes.xsd")
	byName := map[string][]string{}
	for i := range root.Children {
		st := &root.Children[i]
		var vals []string
		var walk func(n *xsdNode)
		walk = func(n *xsdNode) {
			for j := range n.Children {
				if n.Children[j].XMLName.Local == "enumeration" {
					vals = append(vals, n.Children[j].attr("value"))
				}
				walk(&n.Children[j])
			}
		}
		walk(st)
		byName[st.attr("name")] = vals
	}
	for typ := TypeString; typ <= TypeEnergy2G; typ++ {
		if typ.Values() == nil {
			continue
		}
		assert.Equal(t, byName[typ.XSDName()], typ.Values(), typ.XSDName())
	}
}

func TestMeasureSchemaTypes(t *testing.T) {
	for _, name := range MeasureTypes() {
		s, ok := MeasureSchema(" " + name + " ")
		require.True(t, ok, name)
		assert.Equal(t, name, s.Name)
		assert.NotEmpty(t, s.Base)
	}
	_, ok := MeasureSchema(ShapeMisuraBase)
	assert.False(t, ok, "abstract type")
	_, ok = MeasureSchema("DettaglioMisuraNonEsiste")
	assert.False(t, ok)
}

func TestSimpleTypeCheck(t *testing.T) {
	tests := []struct {
		typ  SimpleType
		text string
		ok   bool
	}{
		{TypeNumeric6v3, "0,000", true},
		{TypeNumeric6v3, "999999,999", true},
		{TypeNumeric6v3, "1000000,000", false},
		{TypeNumeric7v3, "1000000,000", true},
		{TypeNumeric12v3, "1.234,567", false},
		{TypeNumeric12v3, "-0,500", false},
		{TypeNumeric12v3, "0,5", false},
		{TypeNumeric12v3, "", false},
		{TypeDate, "31/01/2013", true},
		{TypeDate, "31/02/2013", false},
		{TypeDate, "01/01/2113", false},
		{TypeMonthYear, "07/2012", true},
		{TypeMonthYear, "7/2012", false},
		{TypeDay, "01", true},
		{TypeDay, "32", false},
		{TypeInt3, "0", true},
		{TypeInt3, "06", false},
		{TypeInt10, "132000", true},
		{TypePOD, "IT999E00000003", true},
		{TypePOD, "IT999E0000000", false},
		{TypePracticeCode, "SII201311111111", true},
		{TypePracticeCode, "SII20131111111_", false},
		{TypeVAT, "4444555666", true},
		{TypeVAT, "12345678901234567", false},
		{TypeDispatchingContract, "DP0001", true},
		{TypeDispatchingContract, "DP00001", false},
		{TypeOnOff, "SI", true},
		{TypeOnOff, "si", false},
		{TypeDispatchPoint, "NORE", true},
		{TypeReason, "7", false},
		{TypeString, "", true},
	}
	for _, tc := range tests {
		err := tc.typ.Check(tc.text)
		if tc.ok {
			assert.NoError(t, err, "%s %q", tc.typ, tc.text)
		} else {
			assert.ErrorIs(t, err, ErrInvalidValue, "%s %q", tc.typ, tc.text)
		}
	}
}

func TestFieldAccessorsCoverShapes(t *testing.T) {
	var r Record
	var p Pdp
	var m Measure
	var c MeterChange
	var s StDConsumption
	for name, shape := range shapes {
		for _, e := range shape.Elements {
			if e.Type == TypeComplex || e.Type == TypeEnergy || e.Type == TypeEnergy2G {
				continue
			}
			var v *Value
			switch {
			case name == ShapeHeader:
				v = (&Header{}).Field(e.Name)
			case strings.HasPrefix(name, "DatiPod"):
				v = r.Field(e.Name)
			case strings.HasPrefix(name, "DatiPdp"):
				v = p.Field(e.Name)
			case name == ShapeRemoval || name == ShapeInstallation:
				v = c.Field(e.Name)
			case name == ShapeConsumptionStD:
				v = s.Field(e.Name)
			default:
				v = m.Field(e.Name)
			}
			assert.NotNil(t, v, "%s/%s has no model field", name, e.Name)
		}
	}
}

func TestRegistersField(t *testing.T) {
	var r Registers
	assert.Same(t, &r.Erc[5], r.Field("ErcF6"))
	assert.Same(t, &r.Er[0], r.Field("ErF1"))
	assert.Same(t, &r.PotM, r.Field("PotM"))
	assert.Nil(t, r.Field("EaF7"))
	assert.Nil(t, r.Field("Ea"))
	assert.Nil(t, r.Field("EaF"))
}

func TestShapesForRecords(t *testing.T) {
	current := &Record{Pdp: Pdp{Set: true}, Measure: &Measure{Element: "Misura", XSIType: "DettaglioMisuraRRType"}}
	got := ShapesFor("RNO2G", current)
	assert.Equal(t, ShapePodCorrection, got.Pod.Name)
	assert.Equal(t, "DatiPdp2GType", got.Pdp.Name)
	assert.Equal(t, "DettaglioMisuraRRType", got.Measure.Name)

	legacy := &Record{Pdp: Pdp{Set: true, DispatchPoint: V("NORD")}, Measure: &Measure{Element: "Curva", Collection: V("P")}}
	got = ShapesFor("XXX", legacy)
	assert.Equal(t, ShapePodLegacy, got.Pod.Name)
	assert.Equal(t, "DatiPdpOPType", got.Pdp.Name)
	assert.Equal(t, "DettaglioCurvaType", got.Measure.Name)

	hist := &Record{Pdp: Pdp{Set: true}, Consumption: &Measure{Element: "Consumo"}}
	got = ShapesFor("S2G", hist)
	assert.Equal(t, "DatiPdpS2GType", got.Pdp.Name)
	assert.True(t, got.Consumption.Reconstructed)
	assert.True(t, got.Consumption.Elements[len(got.Consumption.Elements)-1].EmptyAllowed)
}
