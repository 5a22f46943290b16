// Package edigen generates consistent electricity transport invoices for
// tests and demos: an ARERA-style per-POD detail and the FatturaPA invoice
// that carries it as a zipped attachment. Every amount is rounded to the
// cent per charge, and the invoice totals are the sums of the charges, so a
// generated pair ties exactly unless a test alters it.
package edigen

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"fmt"
	"html"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/bludispatcher/dispatcher/internal/civil"
)

// POD is one point billed by the generated invoice.
type POD struct {
	Code           string          // DCodicePod
	EnergyKWh      decimal.Decimal // active energy of the month, kWh
	CommittedPower decimal.Decimal // DDTPotenzaImpegnata, kW
}

// Spec describes the invoice to generate.
type Spec struct {
	SenderName, SenderVAT       string // distributor
	RecipientName, RecipientVAT string // seller
	Number                      string // FNumeroFattura and Numero
	Issued                      civil.Date
	Month                       civil.Month
	TypeCode                    string // FTipoFattura; empty means "C"
	PODs                        []POD
	// Sign is -1 for a correction that credits every charge, else 1.
	Sign int
}

// Charge is one generated charge.
type Charge struct {
	Component string
	Unit      string
	Quantity  decimal.Decimal
	Price     decimal.Decimal
	Amount    decimal.Decimal
}

// Prices are the unit prices used by the generator, in euro. They are
// round figures of the order of the 2025 tariffs, not the official values.
var Prices = []struct {
	Component, Unit, Basis string
	Price                  decimal.Decimal
}{
	{"TRAS", "€/kWh", "energy", decimal.RequireFromString("0.01074")},
	{"DIS_FISSA", "€/POD/mese", "fixed", decimal.RequireFromString("1.85")},
	{"DIS_POTENZA", "€/kW/mese", "power", decimal.RequireFromString("1.9")},
	{"DIS_ENERGIA", "€/kWh", "energy", decimal.RequireFromString("0.00081")},
	{"MIS", "€/POD/mese", "fixed", decimal.RequireFromString("1.72")},
	{"ASOS", "€/kWh", "energy", decimal.RequireFromString("0.02942")},
	{"ARIM", "€/kWh", "energy", decimal.RequireFromString("0.00212")},
}

// VATRate is the VAT rate of every generated charge, in percent.
var VATRate = decimal.NewFromInt(22)

// Charges returns the charges of one POD.
func (s Spec) Charges(p POD) []Charge {
	sign := decimal.NewFromInt(int64(s.sign()))
	var out []Charge
	for _, pr := range Prices {
		qty := decimal.NewFromInt(1)
		switch pr.Basis {
		case "energy":
			qty = p.EnergyKWh
		case "power":
			qty = p.CommittedPower
		}
		qty = qty.Mul(sign)
		out = append(out, Charge{Component: pr.Component, Unit: pr.Unit, Quantity: qty, Price: pr.Price,
			Amount: qty.Mul(pr.Price).Round(2)})
	}
	return out
}

func (s Spec) sign() int {
	if s.Sign < 0 {
		return -1
	}
	return 1
}

// Totals returns the taxable amount, the VAT and the total of the invoice.
func (s Spec) Totals() (taxable, vat, total decimal.Decimal) {
	for _, p := range s.PODs {
		for _, c := range s.Charges(p) {
			taxable = taxable.Add(c.Amount)
		}
	}
	vat = taxable.Mul(VATRate).Div(decimal.NewFromInt(100)).Round(2)
	return taxable, vat, taxable.Add(vat)
}

func comma(d decimal.Decimal, places int32) string {
	return strings.Replace(d.StringFixed(places), ".", ",", 1)
}

func esc(s string) string { return html.EscapeString(s) }

// Detail returns the electricity detail flow of the invoice, in the layout
// of edi/schema/FlussoFattureTrasportoEnergia.xsd.
func (s Spec) Detail() []byte {
	var b strings.Builder
	typeCode := s.TypeCode
	if typeCode == "" {
		typeCode = "C"
	}
	taxable, vat, total := s.Totals()
	from, to := s.Month.First().String(), s.Month.Last().String()
	fmt.Fprintf(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<FlussoFattureTrasportoEnergia>\n")
	fmt.Fprintf(&b, "  <TestataFlusso>\n    <TRagioneSocialeMittente>%s</TRagioneSocialeMittente>\n    <TPartitaIvaMittente>%s</TPartitaIvaMittente>\n",
		esc(s.SenderName), esc(s.SenderVAT))
	fmt.Fprintf(&b, "    <TRagioneSocialeDestinatario>%s</TRagioneSocialeDestinatario>\n    <TPartitaIvaDestinatario>%s</TPartitaIvaDestinatario>\n",
		esc(s.RecipientName), esc(s.RecipientVAT))
	fmt.Fprintf(&b, "    <TDataCreazione>%s</TDataCreazione>\n    <TVersione>1.0</TVersione>\n  </TestataFlusso>\n", s.Issued)
	fmt.Fprintf(&b, "  <Fatture>\n    <FNumeroFattura>%s</FNumeroFattura>\n    <FDataEmissione>%s</FDataEmissione>\n", esc(s.Number), s.Issued)
	fmt.Fprintf(&b, "    <FTipoFattura>%s</FTipoFattura>\n", esc(typeCode))
	if s.sign() < 0 {
		fmt.Fprintf(&b, "    <FMotivazioneRettifica>01</FMotivazioneRettifica>\n    <FTipoAddebito>C</FTipoAddebito>\n")
	}
	fmt.Fprintf(&b, "    <FPeriodoDa>%s</FPeriodoDa>\n    <FPeriodoA>%s</FPeriodoA>\n", from, to)
	fmt.Fprintf(&b, "    <FTotaleImponibile>%s</FTotaleImponibile>\n    <FTotaleIVA>%s</FTotaleIVA>\n    <FTotaleFattura>%s</FTotaleFattura>\n",
		comma(taxable, 2), comma(vat, 2), comma(total, 2))
	fmt.Fprintf(&b, "    <FRiepilogoIVA>\n      <FAliquotaIVA>%s</FAliquotaIVA>\n      <FImponibile>%s</FImponibile>\n      <FImposta>%s</FImposta>\n    </FRiepilogoIVA>\n",
		comma(VATRate, 2), comma(taxable, 2), comma(vat, 2))
	for _, p := range s.PODs {
		fmt.Fprintf(&b, "    <DettaglioPOD>\n      <DCodicePod>%s</DCodicePod>\n      <DatiTecniciCommerciali>\n", esc(p.Code))
		fmt.Fprintf(&b, "        <DDTTensione>400</DDTTensione>\n        <DDTPotenzaImpegnata>%s</DDTPotenzaImpegnata>\n", comma(p.CommittedPower, 1))
		fmt.Fprintf(&b, "        <DDTTipologiaContrattuale>BTA</DDTTipologiaContrattuale>\n        <DDTResidente>NO</DDTResidente>\n      </DatiTecniciCommerciali>\n")
		for _, c := range s.Charges(p) {
			fmt.Fprintf(&b, "      <Corrispettivi>\n        <DComponente>%s</DComponente>\n        <DUnitaMisura>%s</DUnitaMisura>\n", c.Component, esc(c.Unit))
			fmt.Fprintf(&b, "        <DPeriodoCompetenzaDa>%s</DPeriodoCompetenzaDa>\n        <DPeriodoCompetenzaA>%s</DPeriodoCompetenzaA>\n", from, to)
			fmt.Fprintf(&b, "        <DQuantita>%s</DQuantita>\n        <DPrezzoUnitario>%s</DPrezzoUnitario>\n        <DImporto>%s</DImporto>\n",
				comma(c.Quantity, 3), comma(c.Price, 6), comma(c.Amount, 2))
			fmt.Fprintf(&b, "        <DAliquotaIVA>%s</DAliquotaIVA>\n      </Corrispettivi>\n", comma(VATRate, 2))
		}
		fmt.Fprintf(&b, "    </DettaglioPOD>\n")
	}
	fmt.Fprintf(&b, "  </Fatture>\n</FlussoFattureTrasportoEnergia>\n")
	return []byte(b.String())
}

// FatturaPA returns the FatturaPA invoice (FPR12, one body) with one line
// per component, summed over the PODs, and the zipped detail attached.
func (s Spec) FatturaPA() ([]byte, error) {
	zipped, err := zipOf(s.Number+".xml", s.Detail())
	if err != nil {
		return nil, err
	}
	perComponent := map[string]decimal.Decimal{}
	for _, p := range s.PODs {
		for _, c := range s.Charges(p) {
			perComponent[c.Component] = perComponent[c.Component].Add(c.Amount)
		}
	}
	taxable, vat, total := s.Totals()
	docType := "TD01"
	var b strings.Builder
	fmt.Fprintf(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
	fmt.Fprintf(&b, "<p:FatturaElettronica versione=\"FPR12\" xmlns:p=\"http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.2\">\n")
	fmt.Fprintf(&b, "<FatturaElettronicaHeader>\n<DatiTrasmissione><IdTrasmittente><IdPaese>IT</IdPaese><IdCodice>%s</IdCodice></IdTrasmittente>", esc(s.SenderVAT))
	fmt.Fprintf(&b, "<ProgressivoInvio>%s</ProgressivoInvio><FormatoTrasmissione>FPR12</FormatoTrasmissione><CodiceDestinatario>0000000</CodiceDestinatario></DatiTrasmissione>\n", "00001")
	fmt.Fprintf(&b, "<CedentePrestatore><DatiAnagrafici><IdFiscaleIVA><IdPaese>IT</IdPaese><IdCodice>%s</IdCodice></IdFiscaleIVA><Anagrafica><Denominazione>%s</Denominazione></Anagrafica><RegimeFiscale>RF01</RegimeFiscale></DatiAnagrafici>",
		esc(s.SenderVAT), esc(s.SenderName))
	fmt.Fprintf(&b, "<Sede><Indirizzo>Via della Rete 1</Indirizzo><CAP>00100</CAP><Comune>Roma</Comune><Provincia>RM</Provincia><Nazione>IT</Nazione></Sede></CedentePrestatore>\n")
	fmt.Fprintf(&b, "<CessionarioCommittente><DatiAnagrafici><IdFiscaleIVA><IdPaese>IT</IdPaese><IdCodice>%s</IdCodice></IdFiscaleIVA><Anagrafica><Denominazione>%s</Denominazione></Anagrafica></DatiAnagrafici>",
		esc(s.RecipientVAT), esc(s.RecipientName))
	fmt.Fprintf(&b, "<Sede><Indirizzo>Via del Mercato 2</Indirizzo><CAP>20100</CAP><Comune>Milano</Comune><Provincia>MI</Provincia><Nazione>IT</Nazione></Sede></CessionarioCommittente>\n</FatturaElettronicaHeader>\n")
	fmt.Fprintf(&b, "<FatturaElettronicaBody>\n<DatiGenerali><DatiGeneraliDocumento><TipoDocumento>%s</TipoDocumento><Divisa>EUR</Divisa><Data>%s</Data><Numero>%s</Numero>", docType, s.Issued, esc(s.Number))
	fmt.Fprintf(&b, "<ImportoTotaleDocumento>%s</ImportoTotaleDocumento><Causale>Servizio di trasporto energia elettrica %s</Causale></DatiGeneraliDocumento></DatiGenerali>\n", total.StringFixed(2), s.Month.Italian())
	fmt.Fprintf(&b, "<DatiBeniServizi>\n")
	line := 0
	for _, pr := range Prices {
		amount, ok := perComponent[pr.Component]
		if !ok {
			continue
		}
		line++
		fmt.Fprintf(&b, "<DettaglioLinee><NumeroLinea>%d</NumeroLinea><CodiceArticolo><CodiceTipo>COMPONENTE</CodiceTipo><CodiceValore>%s</CodiceValore></CodiceArticolo>", line, pr.Component)
		fmt.Fprintf(&b, "<Descrizione>Componente %s</Descrizione><DataInizioPeriodo>%s</DataInizioPeriodo><DataFinePeriodo>%s</DataFinePeriodo>", pr.Component, s.Month.First(), s.Month.Last())
		fmt.Fprintf(&b, "<PrezzoUnitario>%s</PrezzoUnitario><PrezzoTotale>%s</PrezzoTotale><AliquotaIVA>%s</AliquotaIVA></DettaglioLinee>\n", amount.StringFixed(2), amount.StringFixed(2), VATRate.StringFixed(2))
	}
	fmt.Fprintf(&b, "<DatiRiepilogo><AliquotaIVA>%s</AliquotaIVA><ImponibileImporto>%s</ImponibileImporto><Imposta>%s</Imposta><EsigibilitaIVA>I</EsigibilitaIVA></DatiRiepilogo>\n</DatiBeniServizi>\n",
		VATRate.StringFixed(2), taxable.StringFixed(2), vat.StringFixed(2))
	fmt.Fprintf(&b, "<DatiPagamento><CondizioniPagamento>TP02</CondizioniPagamento><DettaglioPagamento><ModalitaPagamento>MP05</ModalitaPagamento><DataScadenzaPagamento>%s</DataScadenzaPagamento><ImportoPagamento>%s</ImportoPagamento></DettaglioPagamento></DatiPagamento>\n",
		s.Issued.AddDays(30), total.StringFixed(2))
	fmt.Fprintf(&b, "<Allegati><NomeAttachment>%s.zip</NomeAttachment><AlgoritmoCompressione>ZIP</AlgoritmoCompressione><FormatoAttachment>XML</FormatoAttachment><DescrizioneAttachment>Dettaglio per POD</DescrizioneAttachment><Attachment>%s</Attachment></Allegati>\n",
		esc(strings.ReplaceAll(s.Number, "/", "-")), base64.StdEncoding.EncodeToString(zipped))
	fmt.Fprintf(&b, "</FatturaElettronicaBody>\n</p:FatturaElettronica>\n")
	return []byte(b.String()), nil
}

func zipOf(name string, content []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateHeader(&zip.FileHeader{Name: strings.ReplaceAll(name, "/", "-"), Method: zip.Deflate})
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(content); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Example returns the spec used by the package's golden files: three PODs
// of one month.
func Example() Spec {
	d := decimal.RequireFromString
	return Spec{
		SenderName: "Rete Elettrica Esempio S.p.A.", SenderVAT: "01234567890",
		RecipientName: "Venditore Esempio S.r.l.", RecipientVAT: "12345678901",
		Number: "TR-2025-0001", Issued: civil.Date{Year: 2025, Month: 2, Day: 10},
		Month: civil.Month{Year: 2025, Month: 1},
		PODs: []POD{
			{Code: "IT001E00000001", EnergyKWh: d("1234.567"), CommittedPower: d("6")},
			{Code: "IT001E00000002", EnergyKWh: d("250"), CommittedPower: d("3")},
			{Code: "IT001E00000003", EnergyKWh: d("98765.432"), CommittedPower: d("150")},
		},
	}
}
