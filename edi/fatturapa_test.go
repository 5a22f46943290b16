package edi

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/internal/testref"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func assertDec(t *testing.T, want string, got decimal.Decimal, msg string) {
	t.Helper()
	assert.Truef(t, dec(want).Equal(got), "%s: want %s, got %s", msg, want, got)
}

func readSample(t *testing.T, name string) *Invoice {
	t.Helper()
	f, err := os.Open(testref.Dir(t, "distributor-edi", "fatturapa", name))
	require.NoError(t, err)
	defer f.Close()
	inv, signed, err := ReadInvoiceFile(f)
	require.NoError(t, err)
	assert.False(t, signed)
	return inv
}

func TestReadInvoiceSimpleSample(t *testing.T) {
	inv := readSample(t, "invoice-simple.xml")
	assert.Equal(t, "FPR12", inv.Version)
	assert.Equal(t, "12345678903", inv.Header.Supplier.VATNumber)
	assert.Equal(t, "MªF. Services", inv.Header.Supplier.Name())
	assert.Equal(t, "RF02", inv.Header.Supplier.TaxRegime)
	assert.Equal(t, "IT09876543217", inv.Header.Customer.VATID())
	assert.Equal(t, "ABCDEF1", inv.Header.Transmission.RecipientCode)
	require.Len(t, inv.Bodies, 1)

	b := inv.Bodies[0]
	assert.Equal(t, "TD06", b.Document.Type)
	assert.Equal(t, "SAMPLE-001", b.Document.Number)
	assert.Equal(t, civil.Date{Year: 2023, Month: 3, Day: 2}, b.Document.Date.Value)
	assertDec(t, "1388.40", b.Document.Total.Value, "ImportoTotaleDocumento")
	require.Len(t, b.Document.Discounts, 2)
	assertDec(t, "172.00", b.Document.Discounts[1].Amount.Value, "MG amount")
	require.Len(t, b.Lines, 2)
	assertDec(t, "1620.00", b.Lines[0].TotalPrice.Value, "line 1")
	assertDec(t, "9.0000", b.Lines[0].Discounts[0].Amount.Value, "line 1 discount")
	assert.Equal(t, "N2.2", b.Lines[1].Nature)
	require.Len(t, b.VATSummary, 2)
	assertDec(t, "356.40", b.VATSummary[0].Tax.Value, "tax 22%")
	assert.Equal(t, "S", b.VATSummary[1].Chargeability)
	assertDec(t, "1720.00", b.TaxableTotal(), "taxable total")
	require.Len(t, b.Payments, 1)
	assert.Equal(t, "TP02", b.Payments[0].Terms)
	assert.Equal(t, "MP08", b.Payments[0].Details[0].Method)
	assertDec(t, "1388.40", b.Payments[0].Details[0].Amount.Value, "payment")
	assert.Equal(t, KindInvoice, b.Kind())
}

func TestReadInvoiceCreditNoteSample(t *testing.T) {
	inv := readSample(t, "invoice-credit-note.xml")
	require.Len(t, inv.Bodies, 1)
	b := inv.Bodies[0]
	assert.Equal(t, "TD04", b.Document.Type)
	assert.Equal(t, "CN-001", b.Document.Number)
	assert.Equal(t, KindCreditNote, b.Kind())
	assert.True(t, b.Kind().IsCredit())
	require.NotEmpty(t, b.LinkedInvoices)
	assert.Equal(t, civil.Date{Year: 2023, Month: 3, Day: 2}, b.LinkedInvoices[0].Date.Value)
}

func TestReadInvoiceServicesPeriodSample(t *testing.T) {
	inv := readSample(t, "invoice-services-period.xml")
	b := inv.Bodies[0]
	require.Len(t, b.Lines, 2)
	assert.Equal(t, civil.Date{Year: 2024, Month: 1, Day: 1}, b.Lines[0].PeriodStart.Value)
	assert.Equal(t, civil.Date{Year: 2024, Month: 1, Day: 31}, b.Lines[0].PeriodEnd.Value)
	assert.False(t, b.Lines[1].PeriodStart.Set)
	assertDec(t, "2806.00", b.GrandTotal(), "total")
	assertDec(t, "2300.00", b.LinesTotal(), "lines")
}

func TestReadInvoiceReverseChargeSample(t *testing.T) {
	inv := readSample(t, "invoice-reverse-charge.xml")
	b := inv.Bodies[0]
	assert.Equal(t, "TD01", b.Document.Type)
	require.Len(t, b.VATSummary, 1)
	assert.Equal(t, "N2.1", b.VATSummary[0].Nature)
	assertDec(t, "0.00", b.VATSummary[0].Tax.Value, "tax")
	assertDec(t, "2300.00", b.TaxableTotal(), "taxable")
}

func TestCheckInvoiceSamplesClean(t *testing.T) {
	for _, name := range []string{"invoice-simple.xml", "invoice-credit-note.xml", "invoice-services-period.xml", "invoice-reverse-charge.xml"} {
		t.Run(name, func(t *testing.T) {
			inv := readSample(t, name)
			got := CheckInvoice(inv, CheckOptions{File: name})
			for _, a := range got {
				assert.NotEqual(t, CodeVAT, a.Code, a.String())
				assert.False(t, a.Blocking(), a.String())
			}
		})
	}
}

// handMadeInvoice has a BOM, a default namespace, xmlns="" on the header,
// two bodies (a TD01 with a negative total and a TD04) and attachments.
const handMadeInvoice = "\ufeff" + `<?xml version="1.0" encoding="UTF-8"?>
<FatturaElettronica versione="FPR12" xmlns="http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.2">
<FatturaElettronicaHeader xmlns="">
 <DatiTrasmissione><IdTrasmittente><IdPaese>IT</IdPaese><IdCodice>05779711000</IdCodice></IdTrasmittente>
  <ProgressivoInvio>00042</ProgressivoInvio><FormatoTrasmissione>FPR12</FormatoTrasmissione><CodiceDestinatario>0000000</CodiceDestinatario>
  <PECDestinatario>fatture@example.com</PECDestinatario></DatiTrasmissione>
 <CedentePrestatore><DatiAnagrafici><IdFiscaleIVA><IdPaese>IT</IdPaese><IdCodice>05779711000</IdCodice></IdFiscaleIVA>
  <Anagrafica><Denominazione>Rete Esempio S.p.A.</Denominazione></Anagrafica><RegimeFiscale>RF01</RegimeFiscale></DatiAnagrafici>
  <Sede><Indirizzo>Via Roma</Indirizzo><NumeroCivico>1</NumeroCivico><CAP>00100</CAP><Comune>Roma</Comune><Provincia>RM</Provincia><Nazione>IT</Nazione></Sede></CedentePrestatore>
 <CessionarioCommittente><DatiAnagrafici><IdFiscaleIVA><IdPaese>IT</IdPaese><IdCodice>12345678901</IdCodice></IdFiscaleIVA>
  <Anagrafica><Nome>Anna</Nome><Cognome>Verdi</Cognome></Anagrafica></DatiAnagrafici>
  <Sede><Indirizzo>Via Milano</Indirizzo><CAP>20100</CAP><Comune>Milano</Comune><Nazione>IT</Nazione></Sede></CessionarioCommittente>
</FatturaElettronicaHeader>
<FatturaElettronicaBody xmlns="">
 <DatiGenerali><DatiGeneraliDocumento><TipoDocumento>TD01</TipoDocumento><Divisa>EUR</Divisa><Data>2025-02-10</Data><Numero>R-7/2025</Numero>
  <ImportoTotaleDocumento>-122.00</ImportoTotaleDocumento><Causale>Rettifica trasporto gennaio 2025</Causale></DatiGeneraliDocumento>
  <DatiFattureCollegate><IdDocumento>C-1/2025</IdDocumento><Data>2025-01-31</Data></DatiFattureCollegate></DatiGenerali>
 <DatiBeniServizi>
  <DettaglioLinee><NumeroLinea>1</NumeroLinea><CodiceArticolo><CodiceTipo>COMP</CodiceTipo><CodiceValore>DIS</CodiceValore></CodiceArticolo>
   <Descrizione>Storno distribuzione</Descrizione><Quantita>-1000.00</Quantita><UnitaMisura>kWh</UnitaMisura>
   <DataInizioPeriodo>2025-01-01</DataInizioPeriodo><DataFinePeriodo>2025-01-31</DataFinePeriodo>
   <PrezzoUnitario>0.10000000</PrezzoUnitario><PrezzoTotale>-100.00</PrezzoTotale><AliquotaIVA>22.00</AliquotaIVA>
   <AltriDatiGestionali><TipoDato>POD</TipoDato><RiferimentoTesto>IT001E00000001</RiferimentoTesto></AltriDatiGestionali></DettaglioLinee>
  <DatiRiepilogo><AliquotaIVA>22.00</AliquotaIVA><ImponibileImporto>-100.00</ImponibileImporto><Imposta>-22.00</Imposta><EsigibilitaIVA>I</EsigibilitaIVA></DatiRiepilogo>
 </DatiBeniServizi>
 <DatiPagamento><CondizioniPagamento>TP02</CondizioniPagamento><DettaglioPagamento><ModalitaPagamento>MP05</ModalitaPagamento>
  <DataScadenzaPagamento>2025-03-12</DataScadenzaPagamento><ImportoPagamento>-122.00</ImportoPagamento><IBAN>IT60X0542811101000000123456</IBAN></DettaglioPagamento></DatiPagamento>
 <Allegati><NomeAttachment>nota.txt</NomeAttachment><FormatoAttachment>TXT</FormatoAttachment><Attachment>Y2lhbw==</Attachment></Allegati>
</FatturaElettronicaBody>
<FatturaElettronicaBody xmlns="">
 <DatiGenerali><DatiGeneraliDocumento><TipoDocumento>TD04</TipoDocumento><Divisa>EUR</Divisa><Data>2025-02-10</Data><Numero>NC-3/2025</Numero>
  <ImportoTotaleDocumento>61.00</ImportoTotaleDocumento></DatiGeneraliDocumento></DatiGenerali>
 <DatiBeniServizi>
  <DettaglioLinee><NumeroLinea>1</NumeroLinea><Descrizione>Nota di credito misura</Descrizione><PrezzoUnitario>50.00</PrezzoUnitario><PrezzoTotale>50.00</PrezzoTotale><AliquotaIVA>22.00</AliquotaIVA></DettaglioLinee>
  <DatiRiepilogo><AliquotaIVA>22.00</AliquotaIVA><ImponibileImporto>50.00</ImponibileImporto><Imposta>11.00</Imposta></DatiRiepilogo>
 </DatiBeniServizi>
 <Allegati><NomeAttachment>dettaglio.zip</NomeAttachment><AlgoritmoCompressione>ZIP</AlgoritmoCompressione><FormatoAttachment>XML</FormatoAttachment>
  <Attachment>ZIPDATA</Attachment></Allegati>
</FatturaElettronicaBody>
</FatturaElettronica>`

func zipOf(t testing.TB, name string, content []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create(name)
	require.NoError(t, err)
	_, err = w.Write(content)
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

func handMade(t testing.TB) []byte {
	z := zipOf(t, "dettaglio.xml", []byte("<Dettaglio/>"))
	enc := base64.StdEncoding.EncodeToString(z)
	// Break the base64 into lines, as some senders do.
	var lines []string
	for len(enc) > 40 {
		lines = append(lines, enc[:40])
		enc = enc[40:]
	}
	lines = append(lines, enc)
	return []byte(strings.Replace(handMadeInvoice, "ZIPDATA", strings.Join(lines, "\n"), 1))
}

func TestReadInvoiceHandMade(t *testing.T) {
	inv, signed, err := ReadInvoiceFile(bytes.NewReader(handMade(t)))
	require.NoError(t, err)
	assert.False(t, signed)
	assert.Equal(t, "Rete Esempio S.p.A.", inv.Header.Supplier.Name())
	assert.Equal(t, "Anna Verdi", inv.Header.Customer.Name())
	require.Len(t, inv.Bodies, 2)

	first := inv.Bodies[0]
	assert.Equal(t, "R-7/2025", first.Document.Number)
	assert.Equal(t, KindNegativeInvoice, first.Kind())
	assert.True(t, first.Kind().IsCredit())
	assertDec(t, "-122.00", first.GrandTotal(), "total")
	assert.Equal(t, "C-1/2025", first.LinkedInvoices[0].ID)
	assert.Equal(t, "DIS", first.Lines[0].ItemCodes[0].Value)
	assert.Equal(t, "IT001E00000001", first.Lines[0].OtherData[0].Text)
	assertDec(t, "0.10000000", first.Lines[0].UnitPrice.Value, "unit price")
	assert.Equal(t, "IT60X0542811101000000123456", first.Payments[0].Details[0].IBAN)
	content, err := first.Attachments[0].Content()
	require.NoError(t, err)
	assert.Equal(t, "ciao", string(content))

	second := inv.Bodies[1]
	assert.Equal(t, KindCreditNote, second.Kind())
	content, err = second.Attachments[0].Content()
	require.NoError(t, err)
	assert.Equal(t, "<Dettaglio/>", string(content))

	assert.Empty(t, CheckInvoice(inv, CheckOptions{}))
}

func TestReadInvoiceNamespaceVariants(t *testing.T) {
	body := `<FatturaElettronicaHeader><CedentePrestatore><DatiAnagrafici><IdFiscaleIVA><IdPaese>IT</IdPaese><IdCodice>1</IdCodice></IdFiscaleIVA></DatiAnagrafici></CedentePrestatore></FatturaElettronicaHeader>` +
		`<FatturaElettronicaBody><DatiGenerali><DatiGeneraliDocumento><TipoDocumento>TD01</TipoDocumento><Numero>N1</Numero></DatiGeneraliDocumento></DatiGenerali></FatturaElettronicaBody>`
	prefixed := strings.NewReplacer("</", "</a:", "<", "<a:").Replace(body)
	tests := map[string]string{
		"none":     `<FatturaElettronica versione="FPA12">` + body + `</FatturaElettronica>`,
		"default":  `<FatturaElettronica versione="FPA12" xmlns="http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.2">` + body + `</FatturaElettronica>`,
		"old":      `<p:FatturaElettronica versione="FPA12" xmlns:p="http://www.fatturapa.gov.it/sdi/fatturapa/v1.2">` + body + `</p:FatturaElettronica>`,
		"prefixed": `<a:FatturaElettronica versione="FPA12" xmlns:a="http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.2">` + prefixed + `</a:FatturaElettronica>`,
		"garbage":  "\x00\x01junk" + `<FatturaElettronica versione="FPA12">` + body + `</FatturaElettronica>`,
		"latin1":   `<?xml version="1.0" encoding="windows-1252"?><FatturaElettronica versione="FPA12">` + body + `</FatturaElettronica>`,
	}
	for name, doc := range tests {
		t.Run(name, func(t *testing.T) {
			inv, err := ReadInvoice(strings.NewReader(doc))
			require.NoError(t, err)
			assert.Equal(t, "FPA12", inv.Version)
			assert.Equal(t, "1", inv.Header.Supplier.VATNumber)
			require.Len(t, inv.Bodies, 1)
			assert.Equal(t, "N1", inv.Bodies[0].Document.Number)
		})
	}
}

func TestReadInvoiceWindows1252Text(t *testing.T) {
	doc := []byte(`<?xml version="1.0" encoding="windows-1252"?><FatturaElettronica><FatturaElettronicaHeader/>` +
		`<FatturaElettronicaBody><DatiGenerali><DatiGeneraliDocumento><Numero>N`)
	doc = append(doc, 0xE0) // à in windows-1252
	doc = append(doc, []byte(`</Numero></DatiGeneraliDocumento></DatiGenerali></FatturaElettronicaBody></FatturaElettronica>`)...)
	inv, err := ReadInvoice(bytes.NewReader(doc))
	require.NoError(t, err)
	assert.Equal(t, "Nà", inv.Bodies[0].Document.Number)
}

func TestReadInvoiceErrors(t *testing.T) {
	tests := map[string]struct {
		doc  string
		want error
	}{
		"empty":       {"", ErrNotFatturaPA},
		"other root":  {"<FlussoMisure/>", ErrNotFatturaPA},
		"no header":   {"<FatturaElettronica></FatturaElettronica>", ErrSyntax},
		"no body":     {"<FatturaElettronica><FatturaElettronicaHeader/></FatturaElettronica>", ErrSyntax},
		"truncated":   {"<FatturaElettronica><FatturaElettronicaHeader/><FatturaElettronicaBody><DatiGenerali>", ErrSyntax},
		"bad nesting": {"<FatturaElettronica><FatturaElettronicaHeader></x></FatturaElettronica>", ErrSyntax},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := ReadInvoice(strings.NewReader(tc.doc))
			require.Error(t, err)
			assert.True(t, errors.Is(err, tc.want), err.Error())
			var pe *ParseError
			assert.True(t, errors.As(err, &pe))
		})
	}
}

func TestReadInvoiceInvalidNumberKept(t *testing.T) {
	doc := `<FatturaElettronica><FatturaElettronicaHeader/><FatturaElettronicaBody><DatiGenerali><DatiGeneraliDocumento>
<TipoDocumento>TD01</TipoDocumento><Numero>1</Numero><Data>2025-02-30</Data><ImportoTotaleDocumento>12,50</ImportoTotaleDocumento>
</DatiGeneraliDocumento></DatiGenerali><DatiBeniServizi><DatiRiepilogo><AliquotaIVA>22.00</AliquotaIVA><ImponibileImporto>1e3</ImponibileImporto><Imposta>0.00</Imposta></DatiRiepilogo></DatiBeniServizi></FatturaElettronicaBody></FatturaElettronica>`
	inv, err := ReadInvoice(strings.NewReader(doc))
	require.NoError(t, err)
	b := inv.Bodies[0]
	assert.True(t, b.Document.Total.Comma)
	assertDec(t, "12.50", b.Document.Total.Value, "comma total")
	assert.Error(t, b.VATSummary[0].Taxable.Err)
	assert.Error(t, b.Document.Date.Err)

	found := map[string][]string{}
	for _, a := range CheckInvoice(inv, CheckOptions{File: "x.xml"}) {
		found[a.Field] = append(found[a.Field], a.Code)
		assert.Equal(t, "x.xml", a.File)
	}
	assert.Contains(t, found["ImportoTotaleDocumento"], CodeSeparator)
	assert.Contains(t, found["ImponibileImporto"], CodeInvalidValue)
	assert.Contains(t, found["Data"], CodeInvalidValue)
}

func TestCheckInvoiceVATMismatch(t *testing.T) {
	doc := `<FatturaElettronica><FatturaElettronicaHeader/><FatturaElettronicaBody><DatiGenerali><DatiGeneraliDocumento>
<TipoDocumento>TD01</TipoDocumento><Divisa>EUR</Divisa><Data>2025-02-01</Data><Numero>7</Numero><ImportoTotaleDocumento>130.00</ImportoTotaleDocumento>
</DatiGeneraliDocumento></DatiGenerali><DatiBeniServizi>
<DettaglioLinee><NumeroLinea>1</NumeroLinea><Descrizione>x</Descrizione><PrezzoUnitario>100.00</PrezzoUnitario><PrezzoTotale>100.00</PrezzoTotale><AliquotaIVA>22.00</AliquotaIVA></DettaglioLinee>
<DatiRiepilogo><AliquotaIVA>22.00</AliquotaIVA><ImponibileImporto>101.00</ImponibileImporto><Imposta>20.00</Imposta></DatiRiepilogo>
<DatiRiepilogo><AliquotaIVA>10.00</AliquotaIVA><ImponibileImporto>0.00</ImponibileImporto><Imposta>0.00</Imposta></DatiRiepilogo>
</DatiBeniServizi></FatturaElettronicaBody></FatturaElettronica>`
	inv, err := ReadInvoice(strings.NewReader(doc))
	require.NoError(t, err)
	var messages []string
	codes := map[string]int{}
	for _, a := range CheckInvoice(inv, CheckOptions{}) {
		codes[a.Code]++
		messages = append(messages, a.String())
	}
	assert.Equal(t, 2, codes[CodeVAT], messages)    // lines ≠ taxable, tax ≠ 22%
	assert.Equal(t, 1, codes[CodeTotals], messages) // 101 + 20 ≠ 130
}

func TestReadInvoiceUTF16(t *testing.T) {
	doc := `<?xml version="1.0" encoding="UTF-16"?><FatturaElettronica><FatturaElettronicaHeader/>` +
		`<FatturaElettronicaBody><DatiGenerali><DatiGeneraliDocumento><Numero>Nº 5</Numero></DatiGeneraliDocumento></DatiGenerali></FatturaElettronicaBody></FatturaElettronica>`
	encoded := []byte{0xFF, 0xFE}
	for _, r := range doc {
		encoded = append(encoded, byte(r), byte(r>>8))
	}
	inv, err := ReadInvoice(bytes.NewReader(encoded))
	require.NoError(t, err)
	assert.Equal(t, "Nº 5", inv.Bodies[0].Document.Number)
}

func TestCheckInvoiceCodes(t *testing.T) {
	doc := `<FatturaElettronica versione="FPR99"><FatturaElettronicaHeader/><FatturaElettronicaBody><DatiGenerali><DatiGeneraliDocumento>
<TipoDocumento>TD99</TipoDocumento></DatiGeneraliDocumento></DatiGenerali><DatiBeniServizi>
<DatiRiepilogo><AliquotaIVA>0.00</AliquotaIVA><Natura>N9</Natura><ImponibileImporto>5.00</ImponibileImporto><Imposta>0.00</Imposta></DatiRiepilogo>
<DatiRiepilogo><AliquotaIVA>0.00</AliquotaIVA><ImponibileImporto>1.00</ImponibileImporto><Imposta>0.00</Imposta></DatiRiepilogo>
</DatiBeniServizi></FatturaElettronicaBody></FatturaElettronica>`
	inv, err := ReadInvoice(strings.NewReader(doc))
	require.NoError(t, err)
	got := map[string][]string{}
	for _, a := range CheckInvoice(inv, CheckOptions{}) {
		got[a.Field] = append(got[a.Field], a.Code)
	}
	assert.Equal(t, []string{CodeUnknownCode}, got["versione"])
	assert.Equal(t, []string{CodeUnknownCode}, got["TipoDocumento"])
	assert.Equal(t, []string{CodeUnknownCode, CodeVAT}, got["Natura"])
	assert.Equal(t, []string{CodeMissing}, got["Numero"])
	assert.Equal(t, []string{CodeMissing}, got["Data"])
}

func TestAttachmentGzipAndErrors(t *testing.T) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, err := zw.Write([]byte("dettaglio"))
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	a := Attachment{Name: "d.gz", Data: base64.StdEncoding.EncodeToString(buf.Bytes())}
	content, err := a.Content()
	require.NoError(t, err)
	assert.Equal(t, "dettaglio", string(content))

	unpadded := Attachment{Name: "x", Data: "Y2lhbw"}
	content, err = unpadded.Content()
	require.NoError(t, err)
	assert.Equal(t, "ciao", string(content))

	for name, bad := range map[string]Attachment{
		"not base64": {Name: "a", Data: "@@@"},
		"bad zip":    {Name: "b", Compression: "ZIP", Data: "UEsDBAo="},
		"empty zip":  {Name: "c", Data: base64.StdEncoding.EncodeToString(emptyZip(t))},
		"bad gzip":   {Name: "d", Compression: "GZIP", Data: "H4sI"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := bad.Content()
			assert.True(t, errors.Is(err, ErrAttachment), err)
		})
	}
}

func emptyZip(t *testing.T) []byte {
	var buf bytes.Buffer
	require.NoError(t, zip.NewWriter(&buf).Close())
	return buf.Bytes()
}
