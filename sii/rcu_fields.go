package sii

import (
	"github.com/shopspring/decimal"

	"github.com/bludispatcher/dispatcher/internal/civil"
)

// columnOrder is the column list of the extract in its latest known
// order, used to report missing columns.
var columnOrder = []string{
	ColPOD, ColArea, ColDistributorName, ColDistributorVAT, ColDP, ColUdDName, ColUdDVAT,
	ColCounterpartyName, ColCounterpartyVAT, ColPODType, ColPODTypeEnd, ColSupplyStart,
	ColSupplyEnd, ColDispatchingStart, ColFiscalCode, ColVATNumber, ColFirstName, ColLastName,
	ColCompanyName, ColResident, ColProtectedService, ColVoltage, ColDisconnectable,
	ColDistributionTariff, ColMeterType, ColCommittedPower, ColAvailablePower,
	ColAnnualConsumption, ColTreatment, ColNextTreatment, ColCompensationRegime,
	ColPhysicalBonusStart, ColPhysicalBonusEnd, ColPhysicalBonusRenewal, ColEconomicBonusStart,
	ColEconomicBonusEnd, ColEconomicBonusRenewal, ColBonusCommunication, ColActiveConstant,
	ColActiveMeterSerial, ColPMA, ColMarketType, ColRetroactiveDate, ColCustomerEmail,
	ColCustomerPhone, ColOfferCode, ColSelfCertification, ColSmartMeterDate, ColReason,
	ColEconomicBonusYear, ColEconomicBonusCessation,
}

var textFields = []struct {
	col string
	ptr func(*RCURecord) *string
}{
	{ColPOD, func(r *RCURecord) *string { return &r.POD }},
	{ColArea, func(r *RCURecord) *string { return &r.Area }},
	{ColDistributorName, func(r *RCURecord) *string { return &r.DistributorName }},
	{ColDistributorVAT, func(r *RCURecord) *string { return &r.DistributorVAT }},
	{ColDP, func(r *RCURecord) *string { return &r.DP }},
	{ColUdDName, func(r *RCURecord) *string { return &r.UdDName }},
	{ColUdDVAT, func(r *RCURecord) *string { return &r.UdDVAT }},
	{ColCounterpartyName, func(r *RCURecord) *string { return &r.CounterpartyName }},
	{ColCounterpartyVAT, func(r *RCURecord) *string { return &r.CounterpartyVAT }},
	{ColPODType, func(r *RCURecord) *string { return &r.PODType }},
	{ColFiscalCode, func(r *RCURecord) *string { return &r.FiscalCode }},
	{ColVATNumber, func(r *RCURecord) *string { return &r.VATNumber }},
	{ColForeignFiscalCode, func(r *RCURecord) *string { return &r.ForeignFiscalCode }},
	{ColFirstName, func(r *RCURecord) *string { return &r.FirstName }},
	{ColLastName, func(r *RCURecord) *string { return &r.LastName }},
	{ColCompanyName, func(r *RCURecord) *string { return &r.CompanyName }},
	{ColResident, func(r *RCURecord) *string { return &r.Resident }},
	{ColProtectedService, func(r *RCURecord) *string { return &r.ProtectedService }},
	{ColVoltage, func(r *RCURecord) *string { return &r.Voltage }},
	{ColDisconnectable, func(r *RCURecord) *string { return &r.Disconnectable }},
	{ColDistributionTariff, func(r *RCURecord) *string { return &r.DistributionTariff }},
	{ColMeterType, func(r *RCURecord) *string { return &r.MeterType }},
	{ColTreatment, func(r *RCURecord) *string { return &r.Treatment }},
	{ColNextTreatment, func(r *RCURecord) *string { return &r.NextTreatment }},
	{ColCompensationRegime, func(r *RCURecord) *string { return &r.CompensationRegime }},
	{ColEconomicBonusYear, func(r *RCURecord) *string { return &r.EconomicBonusYear }},
	{ColBonusCommunication, func(r *RCURecord) *string { return &r.BonusCommunication }},
	{ColActiveMeterSerial, func(r *RCURecord) *string { return &r.ActiveMeterSerial }},
	{ColPMA, func(r *RCURecord) *string { return &r.PMA }},
	{ColMarketType, func(r *RCURecord) *string { return &r.MarketType }},
	{ColCustomerEmail, func(r *RCURecord) *string { return &r.CustomerEmail }},
	{ColCustomerPhone, func(r *RCURecord) *string { return &r.CustomerPhone }},
	{ColOfferCode, func(r *RCURecord) *string { return &r.OfferCode }},
	{ColSelfCertification, func(r *RCURecord) *string { return &r.SelfCertification }},
	{ColReason, func(r *RCURecord) *string { return &r.Reason }},
}

var dateFields = []struct {
	col string
	ptr func(*RCURecord) *civil.Date
}{
	{ColPODTypeEnd, func(r *RCURecord) *civil.Date { return &r.PODTypeEnd }},
	{ColSupplyStart, func(r *RCURecord) *civil.Date { return &r.SupplyStart }},
	{ColSupplyEnd, func(r *RCURecord) *civil.Date { return &r.SupplyEnd }},
	{ColDispatchingStart, func(r *RCURecord) *civil.Date { return &r.DispatchingStart }},
	{ColPhysicalBonusStart, func(r *RCURecord) *civil.Date { return &r.PhysicalBonus.Start }},
	{ColPhysicalBonusEnd, func(r *RCURecord) *civil.Date { return &r.PhysicalBonus.End }},
	{ColPhysicalBonusRenewal, func(r *RCURecord) *civil.Date { return &r.PhysicalBonus.Renewal }},
	{ColEconomicBonusStart, func(r *RCURecord) *civil.Date { return &r.EconomicBonus.Start }},
	{ColEconomicBonusEnd, func(r *RCURecord) *civil.Date { return &r.EconomicBonus.End }},
	{ColEconomicBonusRenewal, func(r *RCURecord) *civil.Date { return &r.EconomicBonus.Renewal }},
	{ColEconomicBonusCessation, func(r *RCURecord) *civil.Date { return &r.EconomicBonus.Cessation }},
	{ColRetroactiveDate, func(r *RCURecord) *civil.Date { return &r.RetroactiveDate }},
	{ColSmartMeterDate, func(r *RCURecord) *civil.Date { return &r.SmartMeterDate }},
}

var numberFields = []struct {
	col string
	ptr func(*RCURecord) *decimal.NullDecimal
}{
	{ColCommittedPower, func(r *RCURecord) *decimal.NullDecimal { return &r.CommittedPower }},
	{ColAvailablePower, func(r *RCURecord) *decimal.NullDecimal { return &r.AvailablePower }},
	{ColAnnualConsumption, func(r *RCURecord) *decimal.NullDecimal { return &r.AnnualConsumption }},
	{ColActiveConstant, func(r *RCURecord) *decimal.NullDecimal { return &r.ActiveConstant }},
}
