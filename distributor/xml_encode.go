package distributor

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
)

// xmlWriter builds an indented document in memory, tracking the open
// elements.
type xmlWriter struct {
	buf  bytes.Buffer
	open []string
}

func (x *xmlWriter) indent() { x.buf.WriteString(strings.Repeat("  ", len(x.open)+1)) }

func (x *xmlWriter) start(name string) {
	x.indent()
	fmt.Fprintf(&x.buf, "<%s>\n", name)
	x.open = append(x.open, name)
}

func (x *xmlWriter) end() {
	name := x.open[len(x.open)-1]
	x.open = x.open[:len(x.open)-1]
	x.indent()
	fmt.Fprintf(&x.buf, "</%s>\n", name)
}

// leaf writes <name>value</name>, with attrs (name, value pairs) when given.
func (x *xmlWriter) leaf(name, value string, attrs ...string) {
	x.indent()
	x.buf.WriteString("<" + name)
	for i := 0; i+1 < len(attrs); i += 2 {
		x.buf.WriteString(" " + attrs[i] + `="`)
		xml.EscapeText(&x.buf, []byte(attrs[i+1]))
		x.buf.WriteString(`"`)
	}
	x.buf.WriteString(">")
	xml.EscapeText(&x.buf, []byte(value))
	fmt.Fprintf(&x.buf, "</%s>\n", name)
}

// moveTo closes and opens elements so that the next leaf sits below the
// parent path (a slice of element names).
func (x *xmlWriter) moveTo(parent []string) {
	common := 0
	for common < len(x.open) && common < len(parent) && x.open[common] == parent[common] {
		common++
	}
	for len(x.open) > common {
		x.end()
	}
	for _, name := range parent[common:] {
		x.start(name)
	}
}

// attributeNames returns the names of the service and flow attributes in
// the profile's case.
func attributeNames(p *Profile) (service, flow string) {
	if p != nil && strings.EqualFold(p.AttributeCase, "upper") {
		return "COD_SERVIZIO", "COD_FLUSSO"
	}
	return "cod_servizio", "cod_flusso"
}

func (p *Profile) valueFormat() valueFormat {
	if p == nil {
		return valueFormat{}
	}
	return valueFormat{italianDates: p.DateFormat == "italian", decimalDot: p.DecimalSeparator == "."}
}

// SchemaPath returns the path of a flow's XSD in the layout that public
// seller code refers to, such as "D/D01_E050.xsd".
func SchemaPath(s *Service, flow string) string {
	folder := s.SchemaFolder
	if folder == "" {
		folder = s.Code[:1]
	}
	return folder + "/" + s.Code + "_" + flow + ".xsd"
}

// EncodeXML writes the request flow of r as one Prestazione document,
// following the profile's attribute case, date and number format. Only the
// elements that the service sends are written, in the order of the XSDs.
// A request whose piva_distr is empty gets the profile's DistributorVAT.
// EncodeXML does not validate: call Validate first.
func EncodeXML(w io.Writer, r *Request, p *Profile) error {
	svc, ok := p.Service(r.Service)
	if !ok {
		return fmt.Errorf("%w %q", ErrUnknownService, r.Service)
	}
	flow, _ := svc.Flow(PhaseRequest)
	req := *r
	if req.IDs.DistributorVAT == "" && p != nil {
		req.IDs.DistributorVAT = p.DistributorVAT
	}
	use := usage(standard, svc, p.requiredFor(svc.Code))
	vf := p.valueFormat()

	var x xmlWriter
	x.buf.WriteString(xml.Header)
	serviceAttr, flowAttr := attributeNames(p)
	fmt.Fprintf(&x.buf, `<Prestazione %s="%s" %s="%s"`, serviceAttr, svc.Code, flowAttr, flow)
	if p != nil && p.SchemaLocation {
		fmt.Fprintf(&x.buf, ` xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="file:./xsd/%s"`, SchemaPath(svc, flow))
	}
	x.buf.WriteString(">\n")
	for i := range fields {
		f := &fields[i]
		if f.path == "note" {
			writeExtra(&x, &req, svc)
		}
		if _, used := use[f.path]; !used {
			continue
		}
		value, set := f.text(&req, vf)
		if !set {
			continue
		}
		parts := strings.Split(f.path, "/")
		x.moveTo(parts[:len(parts)-1])
		x.leaf(parts[len(parts)-1], value)
	}
	x.moveTo(nil)
	x.buf.WriteString("</Prestazione>\n")
	_, err := w.Write(x.buf.Bytes())
	return err
}

// writeExtra writes the service's declared extra fields that r sets, as
// AltriDati/Dato elements in declaration order.
func writeExtra(x *xmlWriter, r *Request, svc *Service) {
	opened := false
	for _, e := range svc.Extra {
		value := r.Extra[e.Name]
		if value == "" {
			continue
		}
		if !opened {
			x.moveTo([]string{extraPath})
			opened = true
		}
		x.leaf("Dato", value, "nome", e.Name)
	}
}
