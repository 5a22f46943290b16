package edi

import (
	"encoding/xml"
	"errors"
	"io"
	"strings"
)

// GasRoot is the root element of the ARERA gas transport-invoice flow.
const GasRoot = "FlussoFattureTrasportoGas"

// GasReader reads a FlussoFattureTrasportoGas file: Invoice returns the
// flow header and the invoice summary, and Next yields one DettaglioPDR at a
// time, so memory does not grow with the number of PDRs.
type GasReader struct {
	dec     *xml.Decoder
	codes   *TransportCodes
	invoice *TransportInvoice
	inPDRs  bool
	err     error
}

// NewGasReader returns a reader of r. codes resolves the type and entry
// letters; nil means DefaultTransportCodes.
func NewGasReader(r io.Reader, codes *TransportCodes) *GasReader {
	if codes == nil {
		codes = DefaultTransportCodes()
	}
	return &GasReader{dec: newXMLDecoder(r), codes: codes}
}

type xmlGasFlowHeader struct {
	FlowType string `xml:"TipoFlusso"`
	Created  Date   `xml:"DataCreazione"`
	Version  string `xml:"Versione"`
	Sequence string `xml:"NumeroSequenza"`
}

type xmlGasParty struct {
	Name string `xml:"RagioneSociale"`
	VAT  string `xml:"PartitaIVA"`
}

type xmlGasInvoice struct {
	Number  string `xml:"Numero"`
	Date    Date   `xml:"DataEmissione"`
	DueDate Date   `xml:"DataScadenza"`
	Taxable Number `xml:"TotaleImponibile"`
	VAT     Number `xml:"TotaleIVA"`
	Total   Number `xml:"Totale"`
	Stamp   Number `xml:"ImportoBollo"`
	Notes   string `xml:"Note"`
	Items   []struct {
		Component string `xml:"CategoriaVoceFatturata"`
		VATCode   string `xml:"CodiceRiferimentoIVA"`
		Taxable   Number `xml:"Imponibile"`
	} `xml:"VociFattura>VoceFattura"`
	VATLines []struct {
		Code        string `xml:"Codice"`
		Description string `xml:"Descrizione"`
		Rate        Number `xml:"Aliquota"`
	} `xml:"RiferimentiIVA>RiferimentoIVA"`
}

type xmlGasPDR struct {
	Code string `xml:"CodicePDR"`
	GasPoint
	Charges []struct {
		From             Date   `xml:"DataInizio"`
		To               Date   `xml:"DataFine"`
		EntryCode        string `xml:"TipoMovimento"`
		Component        string `xml:"ComponenteTariffaria"`
		BonusRegime      string `xml:"RegimeCompensazioneBonus"`
		BonusCode        string `xml:"CodiceBonusSII"`
		UnitPrice        Number `xml:"Quota"`
		Bracket          string `xml:"Scaglione"`
		Quantity         Number `xml:"Quantita"`
		Amount           Number `xml:"Imponibile"`
		CorrectionReason string `xml:"MotivazioneRettifica"`
	} `xml:"Importi>Importo"`
}

// Invoice reads up to DettagliPDR and returns the flow header, the parties
// and the invoice summary, with no points.
func (r *GasReader) Invoice() (*TransportInvoice, error) {
	if r.invoice != nil || r.err != nil {
		return r.invoice, r.err
	}
	root, err := nextStart(r.dec, "")
	if err != nil || root.Name.Local != GasRoot {
		r.err = notDetail(r.dec, "the root element is not "+GasRoot)
		return nil, r.err
	}
	inv := &TransportInvoice{Commodity: Gas}
	for {
		start, err := nextStart(r.dec, GasRoot)
		if err != nil {
			r.err = r.fail(err, "DettagliPDR")
			return nil, r.err
		}
		line, _ := r.dec.InputPos()
		switch start.Name.Local {
		case "TestataFlusso":
			var h xmlGasFlowHeader
			err = r.dec.DecodeElement(&h, &start)
			inv.Flow.Line, inv.Flow.FlowType, inv.Flow.Created = line, strings.TrimSpace(h.FlowType), h.Created
			inv.Flow.Version, inv.Flow.Sequence = strings.TrimSpace(h.Version), strings.TrimSpace(h.Sequence)
			inv.TypeCode = inv.Flow.FlowType
		case "Mittente", "Destinatario":
			var p xmlGasParty
			err = r.dec.DecodeElement(&p, &start)
			if start.Name.Local == "Mittente" {
				inv.Flow.SenderName, inv.Flow.SenderVAT = strings.TrimSpace(p.Name), strings.TrimSpace(p.VAT)
			} else {
				inv.Flow.RecipientName, inv.Flow.RecipientVAT = strings.TrimSpace(p.Name), strings.TrimSpace(p.VAT)
			}
		case "Fattura":
			var x xmlGasInvoice
			err = r.dec.DecodeElement(&x, &start)
			inv.Line = line
			x.fill(inv)
		case "DettagliPDR":
			r.inPDRs = true
			r.codes.resolve(inv)
			r.invoice = inv
			return inv, nil
		default:
			err = r.dec.Skip()
		}
		if err != nil {
			r.err = syntaxError(r.dec, start.Name.Local, err)
			return nil, r.err
		}
	}
}

func (r *GasReader) fail(err error, want string) error {
	if errors.Is(err, io.EOF) {
		return notDetail(r.dec, want+" is missing")
	}
	return syntaxError(r.dec, want, err)
}

func (x *xmlGasInvoice) fill(inv *TransportInvoice) {
	inv.Number, inv.Date, inv.DueDate = strings.TrimSpace(x.Number), x.Date, x.DueDate
	inv.Taxable, inv.VAT, inv.Total, inv.Stamp = x.Taxable, x.VAT, x.Total, x.Stamp
	inv.Notes = strings.TrimSpace(x.Notes)
	for _, it := range x.Items {
		inv.Items = append(inv.Items, InvoiceItem{Component: strings.TrimSpace(it.Component),
			VATCode: strings.TrimSpace(it.VATCode), Taxable: it.Taxable})
	}
	for _, v := range x.VATLines {
		inv.VATLines = append(inv.VATLines, VATLine{Code: strings.TrimSpace(v.Code),
			Description: strings.TrimSpace(v.Description), Rate: v.Rate})
	}
}

// Next returns the next DettaglioPDR, or io.EOF after the last. After
// io.EOF, the invoice's Flow.LastInSequence holds UltimoElementoSequenza.
func (r *GasReader) Next() (*Point, error) {
	inv, err := r.Invoice()
	if err != nil {
		return nil, err
	}
	if r.err != nil {
		return nil, r.err
	}
	for {
		stop := GasRoot
		if r.inPDRs {
			stop = "DettagliPDR"
		}
		start, err := nextStart(r.dec, stop)
		if errors.Is(err, io.EOF) && r.inPDRs {
			r.inPDRs = false
			continue
		}
		if errors.Is(err, io.EOF) {
			r.err = io.EOF
			return nil, io.EOF
		}
		if err != nil {
			r.err = syntaxError(r.dec, stop, err)
			return nil, r.err
		}
		switch {
		case r.inPDRs && start.Name.Local == "DettaglioPDR":
			return r.point(inv, start)
		case start.Name.Local == "ChiusuraFlusso":
			var c struct {
				Last string `xml:"UltimoElementoSequenza"`
			}
			if err := r.dec.DecodeElement(&c, &start); err != nil {
				r.err = syntaxError(r.dec, "ChiusuraFlusso", err)
				return nil, r.err
			}
			inv.Flow.LastInSequence = strings.TrimSpace(c.Last)
		default:
			if err := r.dec.Skip(); err != nil {
				r.err = syntaxError(r.dec, start.Name.Local, err)
				return nil, r.err
			}
		}
	}
}

func (r *GasReader) point(inv *TransportInvoice, start xml.StartElement) (*Point, error) {
	line, _ := r.dec.InputPos()
	var x xmlGasPDR
	if err := r.dec.DecodeElement(&x, &start); err != nil {
		r.err = syntaxError(r.dec, "DettaglioPDR", err)
		return nil, r.err
	}
	gas := x.GasPoint
	p := &Point{Line: line, Code: strings.TrimSpace(x.Code), Gas: &gas}
	for _, c := range x.Charges {
		ch := Charge{Line: c.From.Line, Component: strings.TrimSpace(c.Component), Bracket: strings.TrimSpace(c.Bracket),
			From: c.From, To: c.To, Quantity: c.Quantity, UnitPrice: c.UnitPrice, Amount: c.Amount,
			EntryCode: strings.TrimSpace(c.EntryCode), CorrectionReason: strings.TrimSpace(c.CorrectionReason),
			BonusRegime: strings.TrimSpace(c.BonusRegime), BonusCode: strings.TrimSpace(c.BonusCode)}
		ch.Entry, _ = r.codes.EntryKind(Gas, inv.Flow.SenderVAT, ch.EntryCode)
		p.Charges = append(p.Charges, ch)
	}
	return p, nil
}

// ReadGas reads a whole gas flow into one invoice with all its points.
func ReadGas(r io.Reader, codes *TransportCodes) (*TransportInvoice, error) {
	gr := NewGasReader(r, codes)
	inv, err := gr.Invoice()
	if err != nil {
		return nil, err
	}
	for {
		p, err := gr.Next()
		if errors.Is(err, io.EOF) {
			return inv, nil
		}
		if err != nil {
			return inv, err
		}
		inv.Points = append(inv.Points, *p)
	}
}
