package accise_test

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/bludispatcher/dispatcher/accise"
	"github.com/bludispatcher/dispatcher/internal/civil"
)

func ExampleElectricityMonth_Compute() {
	rates, _ := accise.DefaultRates().ElectricityAt(civil.Date{Year: 2025, Month: 3, Day: 1})
	for _, kwh := range []int64{300000, 1200000, 1200001} {
		ps, _ := accise.ElectricityMonth{Use: accise.UseNonDwelling, KWh: decimal.NewFromInt(kwh)}.Compute(rates)
		fmt.Println(kwh, accise.Excise(ps).StringFixed(2))
	}
	// Output:
	// 300000 3250.00
	// 1200000 10000.00
	// 1200001 7320.00
}

func ExampleGasYear() {
	rates := accise.DefaultRates()
	bills := []accise.GasBill{{
		From:     civil.Date{Year: 2025, Month: 1, Day: 1},
		To:       civil.Date{Year: 2025, Month: 12, Day: 31},
		Quantity: decimal.NewFromInt(1000),
		Use:      accise.UseCivil,
	}}
	out, _ := accise.GasYear(rates, bills)
	for _, p := range out[0] {
		fmt.Println(p.Bracket, p.Quantity, p.Rate, p.Amount.StringFixed(2))
	}
	fmt.Println("excise", accise.LineTotal(out[0]).StringFixed(2))
	fmt.Println("ARISGAN Piemonte", accise.LineTotal(accise.Arisgan(rates, "PIE", "E", false, out[0])).StringFixed(2))
	// Output:
	// 1 120 0.044 5.28
	// 2 360 0.175 63.00
	// 3 520 0.17 88.40
	// excise 156.68
	// ARISGAN Piemonte 25.35
}

func ExampleNewCSVReader() {
	in := "pod_pdr;categoria_uso;residente;potenza_kw;provincia;codice_catastale;mese;quantita\n" +
		"IT001E00000001;abitazione;S;3;TO;L219;03/2025;300\n"
	profile, _ := accise.DefaultProfiles().Profile("dispatcher")
	r, _ := accise.NewCSVReader(strings.NewReader(in), accise.ImportOptions{Profile: profile, File: "lines.csv"})
	lines, anomalies, _ := accise.ReadAll(r)
	c, _ := accise.Compute(lines, accise.ComputeOptions{})
	fmt.Println(len(lines), len(anomalies), c.Months[0].Month, accise.Excise(c.Months[0].Portions).StringFixed(2))
	// Output:
	// 1 0 2025-03 5.22
}

func ExampleBuildElectricity() {
	var lines []accise.Line
	for m := 1; m <= 12; m++ {
		month := civil.Month{Year: 2025, Month: 1}.AddMonths(m - 1)
		lines = append(lines, accise.Line{
			File: "lines.csv", Row: m + 1, Supply: "IT001E00000002", Commodity: accise.Electricity,
			Use: accise.UseNonDwelling, Province: "TO", Municipality: "L219",
			From: month.First(), To: month.Last(), Quantity: decimal.NewFromInt(300000), Kind: accise.Invoice,
		})
	}
	c, _ := accise.Compute(lines, accise.ComputeOptions{})
	decls, _ := accise.BuildElectricity(c, accise.DeclareOptions{
		Declarant:    accise.Declarant{CompanyCode: "TOE000123", SubjectType: "A", ActivityCode: "01"},
		Year:         2025,
		SeatProvince: "TO",
	})
	for _, row := range decls[0].P[0].Rows {
		fmt.Println("P", row.Row, row.Total.StringFixed(2))
	}
	fmt.Println("Q1", decls[0].Q[0].Ambito, decls[0].Q[0].Rows[0].Amount.StringFixed(2))
	// Output:
	// P 4 30000.00
	// P 5 9000.00
	// P 14 39000.00
	// Q1 TO 39000.00
}
