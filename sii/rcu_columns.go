package sii

// Column names of the RCU extract for electricity, as written in its
// header row.
const (
	ColPOD                    = "COD_POD"
	ColArea                   = "AREA_RIF"
	ColDistributorName        = "RAGIONE_SOCIALE_DISTR"
	ColDistributorVAT         = "PIVA_DISTR"
	ColDP                     = "DP"
	ColUdDName                = "RAGIONE_SOCIALE_UDD"
	ColUdDVAT                 = "PIVA_UDD"
	ColCounterpartyName       = "RAGIONE_SOCIALE_CC"
	ColCounterpartyVAT        = "PIVA_CC"
	ColPODType                = "TIPO_POD"
	ColPODTypeEnd             = "FINE_TIPO_POD"
	ColSupplyStart            = "DATA_INIZIO_FORNITURA"
	ColSupplyEnd              = "DATA_FINE_FORNITURA"
	ColDispatchingStart       = "DATA_INIZIO_DISPACCIAMENTO"
	ColFiscalCode             = "CF"
	ColVATNumber              = "PIVA"
	ColForeignFiscalCode      = "CF_STRANIERO"
	ColFirstName              = "NOME"
	ColLastName               = "COGNOME"
	ColCompanyName            = "RAGIONE_SOCIALE_DENOMINAZIONE"
	ColResident               = "RESIDENZA"
	ColProtectedService       = "SERVIZIO_TUTELA"
	ColVoltage                = "TENSIONE"
	ColDisconnectable         = "DISALIMENTABILITA"
	ColDistributionTariff     = "TARIFFA_DISTRIBUZIONE"
	ColMeterType              = "TIPO_MISURATORE"
	ColCommittedPower         = "POTCONTRIMP"
	ColAvailablePower         = "POTDISP"
	ColAnnualConsumption      = "CONSUMO_TOT"
	ColTreatment              = "TRATTAMENTO"
	ColNextTreatment          = "TRATTAMENTO_SUCC"
	ColCompensationRegime     = "REGIME_COMPENSAZIONE"
	ColPhysicalBonusStart     = "BF_DATA_INIZIO"
	ColPhysicalBonusEnd       = "BF_DATA_FINE"
	ColPhysicalBonusRenewal   = "BF_DATA_RINNOVO"
	ColEconomicBonusStart     = "BE_DATA_INIZIO"
	ColEconomicBonusEnd       = "BE_DATA_FINE"
	ColEconomicBonusRenewal   = "BE_DATA_RINNOVO"
	ColEconomicBonusYear      = "BE_ANNO_VALIDITA"
	ColEconomicBonusCessation = "BE_DATA_CESSAZIONE"
	ColBonusCommunication     = "COMUNIC_BONUS"
	ColActiveConstant         = "K_TRASFOR_ATT"
	ColActiveMeterSerial      = "MAT_MISURATORE_ATT"
	ColPMA                    = "PMA"
	ColMarketType             = "TIPO_MERCATO"
	ColRetroactiveDate        = "DATA_DECORRENZA_RET"
	ColCustomerEmail          = "EMAIL_CLIENTE"
	ColCustomerPhone          = "TELEFONO_CLIENTE"
	ColOfferCode              = "COD_OFFERTA"
	ColSelfCertification      = "AUTOCERTIFICAZIONE"
	ColSmartMeterDate         = "DATA_MESSA_REGIME"
	ColReason                 = "MOTIVAZIONE"
)

// knownColumns are the columns that Record has a typed field for. Other
// columns are kept as text and reported by RCUReader.Unknown.
var knownColumns = map[string]bool{}

func init() {
	for _, c := range []string{
		ColPOD, ColArea, ColDistributorName, ColDistributorVAT, ColDP, ColUdDName, ColUdDVAT,
		ColCounterpartyName, ColCounterpartyVAT, ColPODType, ColPODTypeEnd, ColSupplyStart,
		ColSupplyEnd, ColDispatchingStart, ColFiscalCode, ColVATNumber, ColForeignFiscalCode,
		ColFirstName, ColLastName, ColCompanyName, ColResident, ColProtectedService, ColVoltage,
		ColDisconnectable, ColDistributionTariff, ColMeterType, ColCommittedPower,
		ColAvailablePower, ColAnnualConsumption, ColTreatment, ColNextTreatment,
		ColCompensationRegime, ColPhysicalBonusStart, ColPhysicalBonusEnd,
		ColPhysicalBonusRenewal, ColEconomicBonusStart, ColEconomicBonusEnd,
		ColEconomicBonusRenewal, ColEconomicBonusYear, ColEconomicBonusCessation,
		ColBonusCommunication, ColActiveConstant, ColActiveMeterSerial, ColPMA, ColMarketType,
		ColRetroactiveDate, ColCustomerEmail, ColCustomerPhone, ColOfferCode,
		ColSelfCertification, ColSmartMeterDate, ColReason,
	} {
		knownColumns[c] = true
	}
}
