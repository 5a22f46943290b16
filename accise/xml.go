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

// ErrPeriod is returned when the period elements of a declaration do not
// match its root: Anno for an annual declaration, Periodo with Anno and
// PeriodoRiferimento 1 or 2 for a half-year one.
var ErrPeriod = errors.New("accise: invalid declaration period")

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
	if err := checkPeriodElements(d.XMLName.Local, d.XMLName.Local == "EnergiaElettricaSemestrale", d.Year, d.Period); err != nil {
		return nil, err
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
	if err := checkPeriodElements(d.XMLName.Local, d.XMLName.Local == "GasNaturaleSemestrale", d.Year, d.Period); err != nil {
		return nil, err
	}
	return &d, nil
}

// checkPeriodElements checks that an annual root has Anno and no Periodo,
// and a half-year root Periodo with Anno and PeriodoRiferimento 1 or 2
// and no Anno of its own.
func checkPeriodElements(root string, halfYear bool, year int, p *Period) error {
	if !halfYear {
		switch {
		case p != nil:
			return fmt.Errorf("%w: %s is an annual declaration but has a Periodo element; use the root %sSemestrale for a half-year", ErrPeriod, root, root)
		case year == 0:
			return fmt.Errorf("%w: %s has no Anno element or Anno is 0; give the tax year", ErrPeriod, root)
		}
		return nil
	}
	switch {
	case p == nil:
		return fmt.Errorf("%w: %s is a half-year declaration but has no Periodo element; give Periodo with Anno and PeriodoRiferimento", ErrPeriod, root)
	case year != 0:
		return fmt.Errorf("%w: %s has an Anno element outside Periodo; a half-year declaration gives the year in Periodo/Anno", ErrPeriod, root)
	case p.Year == 0:
		return fmt.Errorf("%w: %s has no Periodo/Anno element or it is 0; give the tax year", ErrPeriod, root)
	case p.Half != 1 && p.Half != 2:
		return fmt.Errorf("%w: %s has Periodo/PeriodoRiferimento %d; want 1 or 2", ErrPeriod, root, p.Half)
	}
	return nil
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
