package edi

import (
	"bytes"
	"fmt"
	"io"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/bludispatcher/dispatcher/edi/edigen"
)

// largeSpec returns an invoice of n PODs.
func largeSpec(n int) edigen.Spec {
	spec := edigen.Example()
	spec.PODs = nil
	for i := 0; i < n; i++ {
		spec.PODs = append(spec.PODs, edigen.POD{Code: fmt.Sprintf("IT001E%08d", i),
			EnergyKWh: decimal.NewFromInt(int64(100 + i)), CommittedPower: decimal.NewFromInt(3)})
	}
	return spec
}

func BenchmarkReadElectricity(b *testing.B) {
	data := largeSpec(1000).Detail()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		r := NewElectricityReader(bytes.NewReader(data), nil)
		for {
			if _, err := r.Next(); err == io.EOF {
				break
			} else if err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkReadInvoiceSigned(b *testing.B) {
	doc, err := largeSpec(1000).FatturaPA()
	if err != nil {
		b.Fatal(err)
	}
	data := signCMS(b, doc, false)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := ReadInvoiceFile(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLoadWithAttachedDetail(b *testing.B) {
	data, err := largeSpec(1000).FatturaPA()
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		doc, err := Load("f.xml", bytes.NewReader(data), LoadOptions{})
		if err != nil || len(doc.Anomalies) > 0 {
			b.Fatal(err, doc.Anomalies)
		}
	}
}

func BenchmarkReadGas(b *testing.B) {
	var buf bytes.Buffer
	buf.WriteString(`<FlussoFattureTrasportoGas><TestataFlusso><TipoFlusso>V</TipoFlusso></TestataFlusso><Fattura><Numero>1</Numero></Fattura><DettagliPDR>`)
	for i := 0; i < 1000; i++ {
		fmt.Fprintf(&buf, `<DettaglioPDR><CodicePDR>%014d</CodicePDR><Importi>`, i)
		for j := 0; j < 8; j++ {
			buf.WriteString(`<Importo><DataInizio>2023-08-01</DataInizio><DataFine>2023-08-31</DataFine><TipoMovimento>F</TipoMovimento>` +
				`<ComponenteTariffaria>UG1</ComponenteTariffaria><Quota>0,001395</Quota><Quantita>687,503027</Quantita><Imponibile>11,29</Imponibile></Importo>`)
		}
		buf.WriteString(`</Importi></DettaglioPDR>`)
	}
	buf.WriteString(`</DettagliPDR></FlussoFattureTrasportoGas>`)
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		r := NewGasReader(bytes.NewReader(data), nil)
		for {
			if _, err := r.Next(); err == io.EOF {
				break
			} else if err != nil {
				b.Fatal(err)
			}
		}
	}
}
