package server

import (
	"bufio"
	"fmt"
	"io"
)

// bigFlowName is the file name of the generated hourly flow: January 2013,
// distributor 01234567890, seller 12345678901.
const bigFlowName = "01234567890_12345678901_201301_PDO_20130218060523_1DP0001_R.xml"

// generatedPOD returns the POD code of the i-th generated point.
func generatedPOD(i int) string { return fmt.Sprintf("IT900E%08d", i) }

// writeHourlyFlow writes a PDO file of January 2013 with pods points,
// each with the 31 days of its Ea and Er curves (96 quarter-hours a day).
func writeHourlyFlow(w io.Writer, pods int) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	fmt.Fprint(bw, `<?xml version="1.0" encoding="utf-8"?>
<FlussoMisure xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" CodFlusso="PDO">
  <IdentificativiFlusso>
    <PIvaUtente>12345678901</PIvaUtente>
    <PIvaDistributore>01234567890</PIvaDistributore>
    <CodContrDisp>DP0001</CodContrDisp>
  </IdentificativiFlusso>
`)
	for i := 0; i < pods; i++ {
		fmt.Fprintf(bw, `  <DatiPod>
    <Pod>%s</Pod>
    <MeseAnno>01/2013</MeseAnno>
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
      <PotMax>12,240</PotMax>
`, generatedPOD(i))
		for _, kind := range []string{"Ea", "Er"} {
			for day := 1; day <= 31; day++ {
				fmt.Fprintf(bw, "      <%s", kind)
				for q := 1; q <= 96; q++ {
					fmt.Fprintf(bw, ` E%d="%d,%03d"`, q, (i+day)%7, (q*37+i)%1000)
				}
				fmt.Fprintf(bw, ">%02d</%s>\n", day, kind)
			}
		}
		fmt.Fprint(bw, "    </Misura>\n  </DatiPod>\n")
	}
	fmt.Fprint(bw, "</FlussoMisure>\n")
	return bw.Flush()
}
