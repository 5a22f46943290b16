package sii_test

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/bludispatcher/dispatcher/sii"
)

// The columns are matched by name, so their order and set may change
// between versions of the extract; unknown columns are kept.
func ExampleNewRCUReader() {
	const extract = "PIVA_DISTR;COD_POD;TRATTAMENTO;DATA_INIZIO_FORNITURA;NUOVA_COLONNA\n" +
		"12345678903;IT001E12345678A;O;01/03/2024;x\n"
	r, err := sii.NewRCUReader(strings.NewReader(extract), sii.RCUOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("unknown:", r.Unknown())
	for {
		rec, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Println(err)
			return
		}
		extra, _ := rec.Get("NUOVA_COLONNA")
		fmt.Println(rec.Key(), rec.Treatment, rec.SupplyStart, extra)
	}
	// Output:
	// unknown: [NUOVA_COLONNA]
	// IT001E12345678 O 2024-03-01 x
}

func ExampleCompare() {
	const extract = "COD_POD;PIVA_DISTR;PIVA_UDD;TRATTAMENTO\n" +
		"IT001E00000001;12345678903;01234567897;O\n" +
		"IT001E00000002;12345678903;01234567897;O\n"
	r, _ := sii.NewRCUReader(strings.NewReader(extract), sii.RCUOptions{})
	var records []*sii.RCURecord
	for {
		rec, err := r.Next()
		if err != nil {
			break
		}
		records = append(records, rec)
	}
	billing := sii.StaticRegistry{
		{POD: "IT001E00000001", DistributorVAT: "12345678903", UdDVAT: "01234567897", Treatment: "F"},
		{POD: "IT001E00000003", DistributorVAT: "12345678903", UdDVAT: "01234567897", Treatment: "O"},
	}

	month := sii.Month{Year: 2024, Month: time.March}
	c, err := sii.Compare(context.Background(), month, records, billing)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, d := range c.Distributors {
		fmt.Println(d.DistributorVAT, "SII", d.SIICount, "billing", d.BillingCount)
		fmt.Println("only in SII:", d.OnlyInSII[0].Key())
		fmt.Println("only in billing:", d.OnlyInBilling[0].POD)
		for _, diff := range d.Differences {
			fmt.Println(diff.POD, diff.Field, diff.SII, "vs", diff.Billing)
		}
	}
	// Output:
	// 12345678903 SII 2 billing 2
	// only in SII: IT001E00000002
	// only in billing: IT001E00000003
	// IT001E00000001 TRATTAMENTO O vs F
}

func ExampleNewPRAReader() {
	const file = "AREA_RIF;PIVA_DISTR;DATA;ORA;ENERGIA\n" +
		"AREA01;12345678903;27/10/2024;25;1.250,5\n"
	r, err := sii.NewPRAReader(strings.NewReader(file), sii.DefaultPRAProfile())
	if err != nil {
		fmt.Println(err)
		return
	}
	rec, err := r.Next()
	if err != nil {
		fmt.Println(err)
		return
	}
	rome, err := time.LoadLocation("Europe/Rome")
	if err != nil {
		fmt.Println(err)
		return
	}
	// 27 October 2024 has 25 hours; the 25th starts at 23:00 winter time.
	fmt.Println(rec.Key(), rec.Start.In(rome).Format("15:04 MST"), rec.EnergyKWh.Decimal, "kWh")
	// Output:
	// AREA01/12345678903/2024-10-27/hour/25 23:00 CET 1250.5 kWh
}

func ExampleBonusesAt() {
	const extract = "COD_POD;BE_DATA_INIZIO;BE_DATA_FINE;BF_DATA_INIZIO;COMUNIC_BONUS\n" +
		"IT001E00000001;01/01/2025;31/12/2025;;1\n" +
		"IT001E00000002;01/01/2024;31/12/2024;;1\n" +
		"IT001E00000003;;;15/02/2019;\n"
	r, _ := sii.NewRCUReader(strings.NewReader(extract), sii.RCUOptions{})
	var records []*sii.RCURecord
	for {
		rec, err := r.Next()
		if err != nil {
			break
		}
		records = append(records, rec)
	}
	at := sii.Date{Year: 2025, Month: time.June, Day: 1}
	for _, b := range sii.BonusesAt(records, at) {
		fmt.Println(b.POD, "economic", b.Economic, "physical", b.Physical)
	}
	// Output:
	// IT001E00000001 economic true physical false
	// IT001E00000003 economic false physical true
}
