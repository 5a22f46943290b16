package siireport_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/bludispatcher/dispatcher/server/siireport"
	"github.com/bludispatcher/dispatcher/sii"
)

func TestComparedDifferences(t *testing.T) {
	cases := []struct {
		field, siiValue, billing string
		want                     bool
	}{
		{sii.ColSupplyStart, "01/01/2026", "", true},
		{sii.ColSupplyEnd, "", "31/12/2025", true},
		{sii.ColDistributorVAT, "09876543210", "", false},
		{sii.ColDistributorVAT, "09876543210", "01234567890", true},
		{sii.ColTreatment, "O", "", false},
		{sii.ColTreatment, "O", "F", true},
		{sii.ColVoltage, "230", "400", true},
		{sii.ColCommittedPower, "3", "4.5", true},
		{sii.ColMeterType, "G", "2G", false},
		{sii.ColMeterType, "E", "1G", false},
		{sii.ColMeterType, "O", "1G", false},
		{sii.ColMeterType, "G", "1G", true},
		{sii.ColMeterType, "X", "2G", true},
		{sii.ColMeterType, "G", "", false},
		{sii.ColUdDVAT, "01234567890", "", false},
		{sii.ColUdDVAT, "01234567890", "12345678903", true},
		{sii.ColUdDVAT, "", "12345678903", true},
		{sii.ColCounterpartyVAT, "01234567890", "", false},
		{sii.ColCounterpartyVAT, "01234567890", "DE123456789", true},
		{sii.ColCounterpartyVAT, "", "DE123456789", true},
	}
	for _, c := range cases {
		d := sii.FieldDifference{POD: "IT001E00000001", Field: c.field, SII: c.siiValue, Billing: c.billing}
		assert.Equal(t, c.want, siireport.Compared(d), "%s: SII %q, billing %q", c.field, c.siiValue, c.billing)
	}
}

func TestMeterGeneration(t *testing.T) {
	assert.Equal(t, "2G", siireport.MeterGeneration("G"))
	assert.Equal(t, "2G", siireport.MeterGeneration(" g "))
	assert.Equal(t, "1G", siireport.MeterGeneration("E"))
	assert.Equal(t, "1G", siireport.MeterGeneration("O"))
	assert.Equal(t, "X", siireport.MeterGeneration("X"))
}
