package flows_test

import (
	"fmt"
	"io"
	"log"
	"strings"

	"github.com/bludispatcher/dispatcher/flows"
)

func ExampleDecoder() {
	const file = `<?xml version="1.0" encoding="utf-8"?>
<FlussoMisure xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" CodFlusso="PNO">
  <IdentificativiFlusso>
    <PIvaUtente>12345678901</PIvaUtente>
    <PIvaDistributore>01234567890</PIvaDistributore>
    <CodContrDisp>DP0001</CodContrDisp>
  </IdentificativiFlusso>
  <DatiPod>
    <Pod>IT001E00000001</Pod>
    <DataMisura>31/01/2025</DataMisura>
    <DatiPdp>
      <Trattamento>F</Trattamento>
      <Tensione>400</Tensione>
      <Forfait>NO</Forfait>
      <GruppoMis>SI</GruppoMis>
    </DatiPdp>
    <Misura xsi:type="DettaglioMisuraNOv2Type">
      <Raccolta>P</Raccolta>
      <TipoDato>E</TipoDato>
      <Validato>S</Validato>
      <EaF1>1234,567</EaF1>
      <EaF2/>
    </Misura>
  </DatiPod>
</FlussoMisure>`
	d := flows.NewDecoder(strings.NewReader(file))
	h, err := d.Header()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("flow:", h.FlowCode.Text, "seller:", h.SellerVAT.Text)
	for {
		rec, err := d.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			log.Fatal(err)
		}
		ea := rec.Measure.Registers.Ea
		kWh, err := ea[0].Decimal()
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("POD", rec.POD.Text, "on line", rec.POD.Line, "type", rec.Measure.XSIType)
		fmt.Println("EaF1:", kWh, "EaF2 empty:", ea[1].IsEmpty(), "EaF3 absent:", ea[2].IsAbsent())
	}
	// Output:
	// flow: PNO seller: 12345678901
	// POD IT001E00000001 on line 9 type DettaglioMisuraNOv2Type
	// EaF1: 1234.567 EaF2 empty: true EaF3 absent: true
}
