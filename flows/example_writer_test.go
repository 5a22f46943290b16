package flows_test

import (
	"log"
	"os"

	"github.com/shopspring/decimal"

	"github.com/bludispatcher/dispatcher/flows"
)

func ExampleWriter() {
	rec := &flows.Record{
		POD:         flows.V("IT001E00000001"),
		MeasureDate: flows.V("31/01/2025"),
		Pdp: flows.Pdp{
			Set:        true,
			Treatment:  flows.V("F"),
			Voltage:    flows.V("400"),
			Flat:       flows.V("NO"),
			MeterGroup: flows.V("SI"),
		},
		Measure: &flows.Measure{
			XSIType:    "DettaglioMisuraNOv2Type",
			Collection: flows.V("P"),
			DataType:   flows.V("E"),
			Validated:  flows.V("S"),
		},
	}
	rec.Measure.Registers.Ea[0] = flows.Decimal3(decimal.RequireFromString("1234.5"))

	w := flows.NewWriter(os.Stdout)
	header := &flows.Header{
		FlowCode:            flows.V("PNO"),
		SellerVAT:           flows.V("12345678901"),
		DistributorVAT:      flows.V("01234567890"),
		DispatchingContract: flows.V("DP0001"),
	}
	if err := w.WriteHeader(header); err != nil {
		log.Fatal(err)
	}
	if err := w.Write(rec); err != nil {
		log.Fatal(err)
	}
	if err := w.Close(); err != nil {
		log.Fatal(err)
	}
	// Output:
	// <?xml version="1.0" encoding="utf-8"?>
	// <FlussoMisure xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" CodFlusso="PNO">
	//   <IdentificativiFlusso>
	//     <PIvaUtente>12345678901</PIvaUtente>
	//     <PIvaDistributore>01234567890</PIvaDistributore>
	//     <CodContrDisp>DP0001</CodContrDisp>
	//   </IdentificativiFlusso>
	//   <DatiPod>
	//     <Pod>IT001E00000001</Pod>
	//     <DataMisura>31/01/2025</DataMisura>
	//     <DatiPdp>
	//       <Trattamento>F</Trattamento>
	//       <Tensione>400</Tensione>
	//       <Forfait>NO</Forfait>
	//       <GruppoMis>SI</GruppoMis>
	//     </DatiPdp>
	//     <Misura xsi:type="DettaglioMisuraNOv2Type">
	//       <Raccolta>P</Raccolta>
	//       <TipoDato>E</TipoDato>
	//       <Validato>S</Validato>
	//       <EaF1>1234,500</EaF1>
	//     </Misura>
	//   </DatiPod>
	// </FlussoMisure>
}
