package main

import (
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"

	"github.com/bludispatcher/dispatcher/accise"
	"github.com/bludispatcher/dispatcher/internal/civil"
)

func TestAcciseCheckCountsInSingular(t *testing.T) {
	in := acciseLinesFile(t, accise.Line{Supply: "IT001E00000009", Commodity: accise.Electricity, Use: accise.UseNonDwelling,
		Province: "TO", Municipality: "L219", From: civil.Date{Year: 2025, Month: 1, Day: 1}, To: civil.Date{Year: 2025, Month: 1, Day: 31},
		Quantity: decimal.NewFromInt(-10), Kind: accise.Invoice})
	_, _, errOut := acciseRun("accise", "check", "-year", "2025", in)
	assert.Contains(t, errOut, "26 lines checked, 1 anomaly\n")
}
