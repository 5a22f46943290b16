package distributor_test

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/bludispatcher/dispatcher/distributor"
)

func ExampleEncodeXML() {
	r := &distributor.Request{
		Service: "M01",
		IDs: distributor.Identifiers{
			SellerVAT: "01234567897", DistributorVAT: "12345678903",
			CaseNumber: "CASE-1", DispatchingContract: "DC0001",
		},
		Technical: distributor.Technical{POD: "IT001E12345678"},
	}
	if as := distributor.Validate(r, distributor.ValidateOptions{}); as.HasBlocking() {
		fmt.Println(as)
		return
	}
	if err := distributor.EncodeXML(os.Stdout, r, nil); err != nil {
		fmt.Println(err)
	}
	// Output:
	// <?xml version="1.0" encoding="UTF-8"?>
	// <Prestazione cod_servizio="M01" cod_flusso="0050">
	//   <IdentificativiRichiesta>
	//     <piva_utente>01234567897</piva_utente>
	//     <piva_distr>12345678903</piva_distr>
	//     <cod_prat_utente>CASE-1</cod_prat_utente>
	//     <cod_contr_disp>DC0001</cod_contr_disp>
	//   </IdentificativiRichiesta>
	//   <DatiTecnici>
	//     <cod_pod>IT001E12345678</cod_pod>
	//   </DatiTecnici>
	// </Prestazione>
}

func ExampleApplyOutcome() {
	sent := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	ledger := distributor.NewLedger()
	c := distributor.NewCase(&distributor.Request{Service: "D01", IDs: distributor.Identifiers{CaseNumber: "CASE-7"}}, "e-distribuzione")
	c.Send(sent, "D01.E050_CASE-7.xml", distributor.Deadlines{Default: 10 * 24 * time.Hour})
	ledger.Add(c)

	file := `<Prestazione cod_servizio="D01" cod_flusso="E100">
  <IdentificativiRichiesta><cod_prat_utente>CASE-7</cod_prat_utente></IdentificativiRichiesta>
  <Ammissibilita><verifica_amm>0</verifica_amm><Causale><cod_causale>C01</cod_causale></Causale></Ammissibilita>
</Prestazione>`
	outcomes, _, _ := distributor.ReadOutcomes(strings.NewReader(file), "D01.E100_CASE-7.xml", nil)
	t, anomalies := distributor.ApplyOutcome(ledger.Case, outcomes[0], sent.Add(time.Hour))
	fmt.Println(t.From, "->", t.To, t.Note, len(anomalies))
	// Output:
	// sent -> rejected C01 0
}

func ExampleProfile_FileName() {
	p, _ := distributor.ShippedProfile("e-distribuzione")
	fmt.Println(p.FileName(distributor.NameData{
		Service: "D01", Flow: "E050", SellerVAT: "01234567897",
		Day: distributor.Date{Year: 2026, Month: 12, Day: 4}, Seq: 42,
	}))
	// Output:
	// 01234567897_D01_E050_20261204_000042.xml
}
