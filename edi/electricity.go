package edi

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// ElectricityRoot is the root element name of the electricity detail as
// this package writes it. The reader accepts any root that holds
// TestataFlusso and Fatture.
const ElectricityRoot = "FlussoFattureTrasportoEnergia"

// ErrNotTransportDetail is returned when a file is not a transport detail
// flow of the kind requested.
var ErrNotTransportDetail = errors.New("not a transport-invoice detail flow")

// ElectricityReader reads an electricity transport detail one invoice
// (Fatture element) at a time. Memory grows with the largest invoice, not
// with the file.
type ElectricityReader struct {
	dec    *xml.Decoder
	codes  *TransportCodes
	header *FlowHeader
	root   string
	err    error
}

// NewElectricityReader returns a reader of r. codes resolves the type and
// entry letters; nil means DefaultTransportCodes.
func NewElectricityReader(r io.Reader, codes *TransportCodes) *ElectricityReader {
	if codes == nil {
		codes = DefaultTransportCodes()
	}
	return &ElectricityReader{dec: newXMLDecoder(r), codes: codes}
}

type xmlElectricityHeader struct {
	SenderName    string `xml:"TRagioneSocialeMittente"`
	SenderVAT     string `xml:"TPartitaIvaMittente"`
	RecipientName string `xml:"TRagioneSocialeDestinatario"`
	RecipientVAT  string `xml:"TPartitaIvaDestinatario"`
	Created       Date   `xml:"TDataCreazione"`
	Version       string `xml:"TVersione"`
}

type xmlElectricityInvoice struct {
	Number           string              `xml:"FNumeroFattura"`
	Date             Date                `xml:"FDataEmissione"`
	DueDate          Date                `xml:"FDataScadenza"`
	TypeCode         string              `xml:"FTipoFattura"`
	CorrectionReason string              `xml:"FMotivazioneRettifica"`
	CorrectedInvoice string              `xml:"FFatturaRettificata"`
	EntryCode        string              `xml:"FTipoAddebito"`
	PeriodStart      Date                `xml:"FPeriodoDa"`
	PeriodEnd        Date                `xml:"FPeriodoA"`
	Taxable          Number              `xml:"FTotaleImponibile"`
	VAT              Number              `xml:"FTotaleIVA"`
	Total            Number              `xml:"FTotaleFattura"`
	VATLines         []xmlElectricityVAT `xml:"FRiepilogoIVA"`
	Items            []xmlSummaryItem    `xml:"RComponente"`
	Points           []xmlPOD            `xml:"DettaglioPOD"`
}

type xmlElectricityVAT struct {
	Rate    Number `xml:"FAliquotaIVA"`
	Nature  string `xml:"FNatura"`
	Taxable Number `xml:"FImponibile"`
	Tax     Number `xml:"FImposta"`
}

type xmlSummaryItem struct {
	Component string `xml:"RCodice"`
	Taxable   Number `xml:"RImponibile"`
}

type xmlPOD struct {
	Code      string            `xml:"DCodicePod"`
	Technical *ElectricityPoint `xml:"DatiTecniciCommerciali"`
	Charges   []xmlCharge       `xml:"Corrispettivi"`
}

type xmlCharge struct {
	Component        string `xml:"DComponente"`
	Unit             string `xml:"DUnitaMisura"`
	Bracket          string `xml:"DScaglione"`
	From             Date   `xml:"DPeriodoCompetenzaDa"`
	To               Date   `xml:"DPeriodoCompetenzaA"`
	Quantity         Number `xml:"DQuantita"`
	UnitPrice        Number `xml:"DPrezzoUnitario"`
	Amount           Number `xml:"DImporto"`
	VATRate          Number `xml:"DAliquotaIVA"`
	EntryCode        string `xml:"DTipoAddebito"`
	CorrectionReason string `xml:"DMotivazioneRettifica"`
}

// Header reads up to the end of TestataFlusso and returns it.
func (r *ElectricityReader) Header() (*FlowHeader, error) {
	if r.header != nil || r.err != nil {
		return r.header, r.err
	}
	root, err := nextStart(r.dec, "")
	if err != nil {
		r.err = notDetail(r.dec, "empty input")
		return nil, r.err
	}
	r.root = root.Name.Local
	start, err := nextStart(r.dec, r.root)
	if err != nil || start.Name.Local != "TestataFlusso" {
		r.err = notDetail(r.dec, "TestataFlusso is not the first element under "+r.root)
		return nil, r.err
	}
	line, _ := r.dec.InputPos()
	var h xmlElectricityHeader
	if err := r.dec.DecodeElement(&h, &start); err != nil {
		r.err = syntaxError(r.dec, "TestataFlusso", err)
		return nil, r.err
	}
	r.header = &FlowHeader{Line: line, SenderName: strings.TrimSpace(h.SenderName), SenderVAT: strings.TrimSpace(h.SenderVAT),
		RecipientName: strings.TrimSpace(h.RecipientName), RecipientVAT: strings.TrimSpace(h.RecipientVAT),
		Created: h.Created, Version: strings.TrimSpace(h.Version)}
	return r.header, nil
}

func notDetail(d *xml.Decoder, reason string) error {
	line, _ := d.InputPos()
	return &ParseError{Line: line, Err: fmt.Errorf("%w: %s", ErrNotTransportDetail, reason)}
}

// Next returns the next invoice, or io.EOF after the last.
func (r *ElectricityReader) Next() (*TransportInvoice, error) {
	if _, err := r.Header(); err != nil {
		return nil, err
	}
	if r.err != nil {
		return nil, r.err
	}
	for {
		start, err := nextStart(r.dec, r.root)
		if errors.Is(err, io.EOF) {
			r.err = io.EOF
			return nil, io.EOF
		}
		if err != nil {
			r.err = syntaxError(r.dec, r.root, err)
			return nil, r.err
		}
		if start.Name.Local != "Fatture" {
			if err := r.dec.Skip(); err != nil {
				r.err = syntaxError(r.dec, start.Name.Local, err)
				return nil, r.err
			}
			continue
		}
		line, _ := r.dec.InputPos()
		var x xmlElectricityInvoice
		if err := r.dec.DecodeElement(&x, &start); err != nil {
			r.err = syntaxError(r.dec, "Fatture", err)
			return nil, r.err
		}
		inv := x.invoice(*r.header, line)
		r.codes.resolve(inv)
		return inv, nil
	}
}

func (x *xmlElectricityInvoice) invoice(h FlowHeader, line int) *TransportInvoice {
	inv := &TransportInvoice{
		Commodity: Electricity, Flow: h, Line: line,
		Number: strings.TrimSpace(x.Number), Date: x.Date, DueDate: x.DueDate,
		TypeCode: strings.TrimSpace(x.TypeCode), CorrectionReason: strings.TrimSpace(x.CorrectionReason),
		CorrectedInvoice: strings.TrimSpace(x.CorrectedInvoice), EntryCode: strings.TrimSpace(x.EntryCode),
		PeriodStart: x.PeriodStart, PeriodEnd: x.PeriodEnd,
		Taxable: x.Taxable, VAT: x.VAT, Total: x.Total,
	}
	for _, v := range x.VATLines {
		inv.VATLines = append(inv.VATLines, VATLine{Rate: v.Rate, Nature: strings.TrimSpace(v.Nature), Taxable: v.Taxable, Tax: v.Tax})
	}
	for _, it := range x.Items {
		inv.Items = append(inv.Items, InvoiceItem{Component: strings.TrimSpace(it.Component), Taxable: it.Taxable})
	}
	for _, p := range x.Points {
		pt := Point{Line: lineOfPoint(p), Code: strings.TrimSpace(p.Code), Electricity: p.Technical}
		if pt.Electricity == nil {
			pt.Electricity = &ElectricityPoint{}
		}
		for _, c := range p.Charges {
			pt.Charges = append(pt.Charges, Charge{
				Line: c.Amount.Line, Component: strings.TrimSpace(c.Component), Unit: strings.TrimSpace(c.Unit),
				Bracket: strings.TrimSpace(c.Bracket), From: c.From, To: c.To, Quantity: c.Quantity,
				UnitPrice: c.UnitPrice, Amount: c.Amount, VATRate: c.VATRate,
				EntryCode: strings.TrimSpace(c.EntryCode), CorrectionReason: strings.TrimSpace(c.CorrectionReason),
			})
		}
		inv.Points = append(inv.Points, pt)
	}
	return inv
}

// lineOfPoint approximates the line of DettaglioPOD by its first charge,
// because encoding/xml gives no position for plain string fields.
func lineOfPoint(p xmlPOD) int {
	for _, c := range p.Charges {
		if c.From.Line > 0 {
			return c.From.Line
		}
	}
	return 0
}

// ReadElectricity reads every invoice of an electricity detail flow.
func ReadElectricity(r io.Reader, codes *TransportCodes) ([]*TransportInvoice, error) {
	er := NewElectricityReader(r, codes)
	var out []*TransportInvoice
	for {
		inv, err := er.Next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, inv)
	}
}
