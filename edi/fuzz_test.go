package edi

import (
	"bytes"
	"encoding/base64"
	"os"
	"path/filepath"
	"testing"

	"github.com/bludispatcher/dispatcher/edi/edigen"
)

// maxFuzzInput caps fuzz inputs so each run stays fast.
const maxFuzzInput = 64 << 10

func FuzzReadInvoice(f *testing.F) {
	f.Add(handMade(f))
	f.Add(testDocument)
	f.Add([]byte(`<FatturaElettronica><FatturaElettronicaHeader/><FatturaElettronicaBody><DatiBeniServizi><DatiRiepilogo><AliquotaIVA>22,0</AliquotaIVA></DatiRiepilogo></DatiBeniServizi></FatturaElettronicaBody></FatturaElettronica>`))
	if data, err := edigen.Example().FatturaPA(); err == nil {
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > maxFuzzInput {
			return
		}
		inv, _, err := ReadInvoiceFile(bytes.NewReader(data))
		if err != nil {
			return
		}
		CheckInvoice(inv, CheckOptions{})
		for i := range inv.Bodies {
			inv.Bodies[i].Kind()
			JournalForInvoice(&inv.Header, &inv.Bodies[i], nil, JournalOptions{})
			DetailsFromInvoice(&inv.Bodies[i], nil, "")
		}
	})
}

func FuzzUnwrap(f *testing.F) {
	der := signCMS(f, testDocument, false)
	f.Add(der)
	f.Add([]byte(base64.StdEncoding.EncodeToString(der)))
	f.Add(berSigned(f, testDocument))
	f.Add([]byte{0x30, 0x80, 0x06, 0x00, 0x00, 0x00})
	f.Add([]byte("-----BEGIN PKCS7-----\nMAA=\n-----END PKCS7-----\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > maxFuzzInput {
			return
		}
		content, _, err := Unwrap(data)
		if err == nil && len(content) > len(data) {
			t.Fatalf("unwrapped %d bytes out of %d", len(content), len(data))
		}
	})
}

func FuzzReadElectricity(f *testing.F) {
	if data, err := os.ReadFile(filepath.Join("testdata", "transport-detail.xml")); err == nil {
		f.Add(data)
	}
	f.Add([]byte(`<F><TestataFlusso/><Fatture><FNumeroFattura>1</FNumeroFattura><DettaglioPOD><Corrispettivi><DImporto>1,5</DImporto></Corrispettivi></DettaglioPOD></Fatture></F>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > maxFuzzInput {
			return
		}
		invs, _ := ReadElectricity(bytes.NewReader(data), nil)
		an := NewCostAnalyzer(CostOptions{})
		for _, inv := range invs {
			CheckTransport(inv, TransportCheckOptions{})
			JournalForTransport(inv, JournalOptions{})
			an.Add(inv)
		}
		an.Result()
	})
}

func FuzzReadGas(f *testing.F) {
	f.Add([]byte(`<FlussoFattureTrasportoGas><TestataFlusso><TipoFlusso>V</TipoFlusso></TestataFlusso><Fattura><Numero>1</Numero>` +
		`<VociFattura><VoceFattura><CodiceRiferimentoIVA>A</CodiceRiferimentoIVA><Imponibile>1,00</Imponibile></VoceFattura></VociFattura>` +
		`<RiferimentiIVA><RiferimentoIVA><Codice>A</Codice><Aliquota>22,0</Aliquota></RiferimentoIVA></RiferimentiIVA></Fattura>` +
		`<DettagliPDR><DettaglioPDR><CodicePDR>1</CodicePDR><Importi><Importo><DataInizio>2023-08-01</DataInizio><Imponibile>1,00</Imponibile></Importo></Importi></DettaglioPDR></DettagliPDR>` +
		`<ChiusuraFlusso><UltimoElementoSequenza>SI</UltimoElementoSequenza></ChiusuraFlusso></FlussoFattureTrasportoGas>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > maxFuzzInput {
			return
		}
		inv, err := ReadGas(bytes.NewReader(data), nil)
		if inv == nil || err != nil {
			return
		}
		CheckTransport(inv, TransportCheckOptions{})
		JournalForTransport(inv, JournalOptions{})
	})
}
