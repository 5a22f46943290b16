package edi_test

import (
	"fmt"
	"os"
	"strings"

	"github.com/bludispatcher/dispatcher/edi"
)

func ExampleLoad() {
	f, err := os.Open("testdata/transport-invoice.xml")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer f.Close()
	doc, err := edi.Load(f.Name(), f, edi.LoadOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	body := doc.Invoice.Bodies[0]
	fmt.Println(body.Document.Type, body.Document.Number, body.Kind(), body.GrandTotal())
	for _, t := range doc.Details[0] {
		fmt.Println(t.Commodity, t.Type, len(t.Points), "PODs, detail total", t.DetailTotal())
	}
	fmt.Println(len(doc.Anomalies), "anomalies")
	// Output:
	// TD01 TR-2025-0001 invoice 5651.76
	// electricity cycle 3 PODs, detail total 4632.59
	// 0 anomalies
}

func ExampleReadElectricity() {
	detail := `<FlussoFattureTrasportoEnergia>
  <TestataFlusso><TRagioneSocialeMittente>Rete Esempio</TRagioneSocialeMittente></TestataFlusso>
  <Fatture>
    <FNumeroFattura>R-1</FNumeroFattura><FTipoFattura>R</FTipoFattura><FMotivazioneRettifica>02</FMotivazioneRettifica>
    <FTotaleImponibile>-12,40</FTotaleImponibile>
    <DettaglioPOD><DCodicePod>IT001E00000001</DCodicePod>
      <Corrispettivi><DComponente>DIS</DComponente><DPeriodoCompetenzaDa>2025-01-01</DPeriodoCompetenzaDa>
        <DPeriodoCompetenzaA>2025-01-31</DPeriodoCompetenzaA><DQuantita>-100,000</DQuantita><DImporto>-12,40</DImporto></Corrispettivi>
    </DettaglioPOD>
  </Fatture>
</FlussoFattureTrasportoEnergia>`
	invs, err := edi.ReadElectricity(strings.NewReader(detail), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	t := invs[0]
	fmt.Println(t.Number, t.Type, "reason", t.CorrectionReason)
	c := t.Points[0].Charges[0]
	fmt.Println(t.Points[0].Code, c.Component, c.From, c.To, c.Quantity.Value, c.Amount.Value)
	for _, a := range edi.CheckTransport(t, edi.TransportCheckOptions{}) {
		fmt.Println(a.Code, a.Field)
	}
	// Output:
	// R-1 correction reason 02
	// IT001E00000001 DIS 2025-01-01 2025-01-31 -100 -12.4
	// EDI-MISSING FDataEmissione
}

func ExampleUnwrap() {
	signed, err := os.ReadFile("testdata/transport-invoice.xml")
	if err != nil {
		fmt.Println(err)
		return
	}
	content, wasSigned, err := edi.Unwrap(signed)
	fmt.Println(len(content) == len(signed), wasSigned, err)
	// Output:
	// true false <nil>
}
