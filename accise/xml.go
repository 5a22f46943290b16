package accise

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
)

// ErrRoot is returned when an XML file has another root than the one read.
var ErrRoot = errors.New("accise: unexpected XML root")

// WriteXML writes an electricity or gas declaration as indented UTF-8 XML
// with its declaration line. The element order is the field order of the
// declaration types.
func WriteXML(w io.Writer, decl any) error {
	switch decl.(type) {
	case *ElectricityDeclaration, *GasDeclaration:
	default:
		return fmt.Errorf("accise: cannot write %T as a declaration; want *ElectricityDeclaration or *GasDeclaration", decl)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(decl); err != nil {
		return fmt.Errorf("accise: writing XML: %w", err)
	}
	if err := enc.Close(); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// ReadElectricityXML reads an EnergiaElettrica or EnergiaElettricaSemestrale
// declaration.
func ReadElectricityXML(r io.Reader) (*ElectricityDeclaration, error) {
	var d ElectricityDeclaration
	if err := decodeXML(r, &d); err != nil {
		return nil, err
	}
	if d.XMLName.Space != ElectricityNamespace || (d.XMLName.Local != "EnergiaElettrica" && d.XMLName.Local != "EnergiaElettricaSemestrale") {
		return nil, fmt.Errorf("%w: got {%s}%s, want EnergiaElettrica or EnergiaElettricaSemestrale in %s", ErrRoot, d.XMLName.Space, d.XMLName.Local, ElectricityNamespace)
	}
	return &d, nil
}

// ReadGasXML reads a GasNaturale or GasNaturaleSemestrale declaration.
func ReadGasXML(r io.Reader) (*GasDeclaration, error) {
	var d GasDeclaration
	if err := decodeXML(r, &d); err != nil {
		return nil, err
	}
	if d.XMLName.Space != GasNamespace || (d.XMLName.Local != "GasNaturale" && d.XMLName.Local != "GasNaturaleSemestrale") {
		return nil, fmt.Errorf("%w: got {%s}%s, want GasNaturale or GasNaturaleSemestrale in %s", ErrRoot, d.XMLName.Space, d.XMLName.Local, GasNamespace)
	}
	return &d, nil
}

// decodeXML decodes one document, with the line of the failure in the error.
func decodeXML(r io.Reader, v any) error {
	var buf bytes.Buffer
	dec := xml.NewDecoder(io.TeeReader(r, &buf))
	if err := dec.Decode(v); err != nil {
		line := bytes.Count(buf.Bytes()[:min(int(dec.InputOffset()), buf.Len())], []byte("\n")) + 1
		return fmt.Errorf("accise: invalid declaration XML at line %d: %w", line, err)
	}
	return nil
}
