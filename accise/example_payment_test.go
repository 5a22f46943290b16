package accise_test

import (
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/bludispatcher/dispatcher/accise"
	"github.com/bludispatcher/dispatcher/internal/civil"
)

func ExamplePlan() {
	account := accise.Account{Company: "IT00RMA00001A", Tax: accise.TaxElectricity, Area: "IT"}
	filed := civil.Date{Year: 2025, Month: 3, Day: 10}
	balance, _ := accise.Settle(account, 2024, 0, decimal.NewFromInt(114000), decimal.NewFromInt(120000), filed, accise.ScheduleOptions{})
	instalments, _ := accise.Instalments(account, 2025, balance.NewInstalments, "dichiarazione 2024", accise.ScheduleOptions{})

	var ledger accise.Ledger
	_ = ledger.Add(balance.Movements()...)
	_ = ledger.Add(instalments...)
	for _, p := range accise.Plan(&ledger, filed, civil.Date{Year: 2025, Month: 4, Day: 30}) {
		fmt.Println(p.Due, p.Amount.StringFixed(2), p.CreditUsed.StringFixed(2), p.ToPay.StringFixed(2))
	}
	// Output:
	// 2025-03-17 9500.00 6000.00 3500.00
	// 2025-04-16 9500.00 0.00 9500.00
}
