package flows_test

import (
	"bytes"
	"fmt"
	"io"
	"log"
	"strings"
	"time"

	"github.com/bludispatcher/dispatcher/flows"
)

// A PDO2G file with the curve of the autumn clock change: the Dst="2" tag
// carries the first pass of 02:00–03:00 in summer time (E9..E12) and the
// Dst="3" tag the second pass in winter time. Only that hour is sent here.
const exampleAutumn = `<?xml version="1.0" encoding="utf-8"?>
<FlussoMisure xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" CodFlusso="PDO2G">
  <IdentificativiFlusso>
    <PIvaUtente>12345678901</PIvaUtente>
    <PIvaDistributore>01234567890</PIvaDistributore>
    <CodContrDisp>DP0001</CodContrDisp>
  </IdentificativiFlusso>
  <DatiPod>
    <Pod>IT001E00000001</Pod>
    <MeseAnno>10/2025</MeseAnno>
    <DatiPdp>
      <Trattamento>O</Trattamento>
      <Tensione>400</Tensione>
      <Forfait>NO</Forfait>
      <GruppoMis>SI</GruppoMis>
      <Ka>1,000</Ka>
      <Kr>1,000</Kr>
      <Kp>1,000</Kp>
    </DatiPdp>
    <Misura xsi:type="DettaglioMisuraPDOv2Type">
      <Raccolta>P</Raccolta>
      <TipoDato>E</TipoDato>
      <Validato>S</Validato>
      <PotMax>3,000</PotMax>
      <Ea Dst="2" E9="0,100" E10="0,100" E11="0,100" E12="0,100">26</Ea>
      <Ea Dst="3" E9="0,200" E10="0,200" E11="0,200" E12="0,200">26</Ea>
      <Er Dst="2" E9="0,000">26</Er>
      <Er Dst="3" E9="0,000">26</Er>
    </Misura>
  </DatiPod>
</FlussoMisure>
`

// Example reads a flow file one record at a time, validates each record,
// prints the quarter-hours of its active energy curve at their real
// instants with the day total, and writes the records back.
func Example() {
	const name = "01234567890_12345678901_202510_PDO2G_20251027060523_1DP0001_R.xml"
	dec := flows.NewDecoder(strings.NewReader(exampleAutumn))
	header, err := dec.Header()
	if err != nil {
		log.Fatal(err)
	}
	v := flows.NewValidator(flows.ValidateOptions{Now: time.Date(2025, time.October, 27, 6, 0, 0, 0, time.UTC)})
	found, err := v.Start(name, header)
	if err != nil {
		log.Fatal(err)
	}

	var out bytes.Buffer
	w := flows.NewWriter(&out)
	if err := w.WriteHeader(header); err != nil {
		log.Fatal(err)
	}
	for {
		rec, err := dec.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			log.Fatal(err) // malformed XML: the records before it were returned
		}
		found = append(found, v.Record(rec)...)

		month, err := rec.CurveMonth()
		if err != nil {
			log.Fatal(err)
		}
		quarters, err := rec.Measure.Timeline(flows.ActiveEnergy, month)
		if err != nil {
			log.Fatal(err) // each bad slot is a *flows.CurveError
		}
		for _, q := range quarters {
			fmt.Println(q.Start.Format(time.RFC3339), q.Value)
		}
		for _, day := range flows.DayTotals(quarters) {
			fmt.Println(day.Day, day.Count, "quarter-hours, total", day.Total, "kWh")
		}
		if err := w.Write(rec); err != nil {
			log.Fatal(err)
		}
	}
	found = append(found, v.Finish()...)
	if err := w.Close(); err != nil {
		log.Fatal(err)
	}
	fmt.Println("anomalies:", len(found), "blocking:", found.HasBlocking())
	fmt.Println("records written:", strings.Count(out.String(), "<DatiPod>"))
	// Output:
	// 2025-10-26T02:00:00+02:00 0.1
	// 2025-10-26T02:15:00+02:00 0.1
	// 2025-10-26T02:30:00+02:00 0.1
	// 2025-10-26T02:45:00+02:00 0.1
	// 2025-10-26T02:00:00+01:00 0.2
	// 2025-10-26T02:15:00+01:00 0.2
	// 2025-10-26T02:30:00+01:00 0.2
	// 2025-10-26T02:45:00+01:00 0.2
	// 2025-10-26 8 quarter-hours, total 1.2 kWh
	// anomalies: 0 blocking: false
	// records written: 1
}
