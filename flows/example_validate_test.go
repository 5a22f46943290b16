package flows_test

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/bludispatcher/dispatcher/flows"
)

// A PNO file whose band register EaF1 uses a thousands separator and whose
// DatiPdp lacks Kp.
const examplePNO = `<?xml version="1.0" encoding="utf-8"?>
<FlussoMisure xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" CodFlusso="PNO">
  <IdentificativiFlusso>
    <PIvaUtente>12345678901</PIvaUtente>
    <PIvaDistributore>01234567890</PIvaDistributore>
    <CodContrDisp>DP0001</CodContrDisp>
  </IdentificativiFlusso>
  <DatiPod>
    <Pod>IT001E12345678</Pod>
    <DataMisura>31/01/2013</DataMisura>
    <DatiPdp>
      <Trattamento>F</Trattamento>
      <Tensione>400</Tensione>
      <Forfait>NO</Forfait>
      <GruppoMis>SI</GruppoMis>
      <Ka>1,000</Ka>
      <Kr>1,000</Kr>
    </DatiPdp>
    <Misura xsi:type="DettaglioMisuraNOv2Type">
      <Raccolta>P</Raccolta>
      <TipoDato>E</TipoDato>
      <Validato>S</Validato>
      <PotMax>3,000</PotMax>
      <EaF1>1.234,567</EaF1>
    </Misura>
  </DatiPod>
</FlussoMisure>
`

func ExampleValidator() {
	name := "01234567890_12345678901_201301_PNO_20130218060523_1DP0001_R.xml"
	v := flows.NewValidator(flows.ValidateOptions{
		Now: time.Date(2013, time.February, 18, 6, 5, 23, 0, time.UTC),
	})

	dec := flows.NewDecoder(strings.NewReader(examplePNO))
	h, err := dec.Header()
	if err != nil {
		fmt.Println(err)
		return
	}
	found, err := v.Start(name, h)
	if err != nil {
		fmt.Println(err)
		return
	}
	for {
		rec, err := dec.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Println(err)
			return
		}
		found = append(found, v.Record(rec)...)
	}
	found = append(found, v.Finish()...)

	for _, a := range found {
		line := fmt.Sprint(a.Rule, " ", a.Code, " ", a.Severity, " ", a.Key, " ", a.Field, " ", a.Value)
		fmt.Println(strings.TrimSpace(line))
	}
	fmt.Println("blocking:", found.HasBlocking())
	// Output:
	// value 904 blocking IT001E12345678 EaF1 1.234,567
	// R21 010 warning IT001E12345678 Kp
	// R12 904 warning
	// blocking: true
}

func ExampleValidateFile() {
	name := "01234567890_12345678901_201301_PNO_20130218060523_1DP0001_R.xml"
	rep, err := flows.ValidateFile(name, strings.NewReader(examplePNO), flows.ValidateOptions{
		Now:      time.Date(2013, time.February, 18, 6, 5, 23, 0, time.UTC),
		Disabled: []string{flows.RuleConstants},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(rep.FlowCode, rep.Records, "record(s),", rep.RecordsBlocked, "blocked")
	for _, a := range rep.Anomalies {
		fmt.Println(a)
	}
	// Output:
	// PNO 1 record(s), 1 blocked
	// 01234567890_12345678901_201301_PNO_20130218060523_1DP0001_R.xml:24: blocking 904 IT001E12345678 EaF1="1.234,567": EaF1: invalid Numerico12v3Type "1.234,567": uses '.'; the decimal separator is ',' and no thousands separator is allowed
	// 01234567890_12345678901_201301_PNO_20130218060523_1DP0001_R.xml: warning 904: the Flusso 1 file fails the official schema in 1 place(s)
}
