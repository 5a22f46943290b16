package distributor

import (
	"github.com/shopspring/decimal"

	"github.com/bludispatcher/dispatcher/internal/civil"
)

// Request is one request of a seller to a distributor (a "prestazione"),
// for a standard service such as A01 or for a service that a profile
// declares. Which fields a service sends, and which of them it requires,
// is data of the service (see Service.Required and Service.Optional). The
// empty string, the zero date and an invalid NullDecimal mean absent.
type Request struct {
	// Service is cod_servizio, such as "A01" or "D01".
	Service string `json:"service"`
	// IDs is IdentificativiRichiesta.
	IDs Identifiers `json:"ids"`
	// Customer is ClienteFinale.
	Customer Customer `json:"customer"`
	// Supply is Fornitura/UbicazionePod, the address of the supply point.
	Supply Address `json:"supply"`
	// Technical is DatiTecnici.
	Technical Technical `json:"technical"`
	// CustomerPresent is PresenzaCliente/Presenza_Cliente_No_Telegestito:
	// whether the customer will be present, for meters that are not read
	// remotely.
	CustomerPresent Flag `json:"customer_present,omitempty"`
	// OutOfHours is FuoriOrario/Disatt_Fuori_Orario: the work is asked
	// outside working hours.
	OutOfHours Flag `json:"out_of_hours,omitempty"`
	// NotBefore is Da_Eseguire_Non_Prima_Del: the first day on which the
	// distributor may do the work.
	NotBefore civil.Date `json:"not_before,omitzero"`
	// Note is note, free text.
	Note string `json:"note,omitempty"`
	// Extra holds the fields that a profile declares for its own services,
	// by name; they travel in AltriDati/Dato elements (see ExtraField).
	Extra map[string]string `json:"extra,omitempty"`
}

// Identifiers is IdentificativiRichiesta, the block that ties every message
// of one request together.
type Identifiers struct {
	// SellerVAT is piva_utente, the VAT number of the seller (the "utente"
	// of the distribution network).
	SellerVAT string `json:"seller_vat"`
	// DistributorVAT is piva_distr.
	DistributorVAT string `json:"distributor_vat"`
	// CaseNumber is cod_prat_utente, the seller's own case number. Outcomes
	// are matched to requests by it.
	CaseNumber string `json:"case_number"`
	// DistributorCase is cod_prat_distr, the distributor's case number,
	// present in outcomes.
	DistributorCase string `json:"distributor_case,omitempty"`
	// DispatchingContract is cod_contr_disp, the code of the seller's
	// dispatching contract.
	DispatchingContract string `json:"dispatching_contract,omitempty"`
	// ReceivedOn is data_ricenzione, the day the seller received the
	// customer's request (A01).
	ReceivedOn civil.Date `json:"received_on,omitzero"`
}

// Customer is ClienteFinale, the final customer of the supply.
type Customer struct {
	// Resident is residente: the customer lives at the supply address.
	Resident Flag `json:"resident,omitempty"`
	// Surname is Anagrafica/cognome.
	Surname string `json:"surname,omitempty"`
	// Name is Anagrafica/nome.
	Name string `json:"name,omitempty"`
	// BusinessName is Anagrafica/rag_soc, for a company.
	BusinessName string `json:"business_name,omitempty"`
	// FiscalCode is Anagrafica/cf, the codice fiscale.
	FiscalCode string `json:"fiscal_code,omitempty"`
	// VAT is Anagrafica/piva, for a company.
	VAT string `json:"vat,omitempty"`
	// Phone is Anagrafica/tel.
	Phone string `json:"phone,omitempty"`
	// SafeguardRight is Anagrafica/diritto_salvaguardia: the customer has
	// the right to the safeguard service.
	SafeguardRight Flag `json:"safeguard_right,omitempty"`
	// Address is Recapito, the customer's mailing address.
	Address Address `json:"address,omitzero"`
	// SeparateBilling is dati_fatt: the invoice goes to another person or
	// address, given by the Billing fields.
	SeparateBilling Flag `json:"separate_billing,omitempty"`
	// BillingSurname is AnagraficaFatt/cognome.
	BillingSurname string `json:"billing_surname,omitempty"`
	// BillingName is AnagraficaFatt/nome.
	BillingName string `json:"billing_name,omitempty"`
	// BillingBusinessName is AnagraficaFatt/rag_soc.
	BillingBusinessName string `json:"billing_business_name,omitempty"`
	// BillingAddress is RecapitoFatt.
	BillingAddress Address `json:"billing_address,omitzero"`
}

// Address is an Italian address as the standard writes it: Recapito,
// RecapitoFatt and UbicazionePod share these elements.
type Address struct {
	// Toponym is toponimo, the kind of street: "VIA", "PIAZZA", …
	Toponym string `json:"toponym,omitempty"`
	// Street is via, the street name.
	Street string `json:"street,omitempty"`
	// Number is civ, the house number.
	Number string `json:"number,omitempty"`
	// PostCode is cap, five digits.
	PostCode string `json:"post_code,omitempty"`
	// ISTAT is istat, the six-digit ISTAT code of the municipality.
	ISTAT string `json:"istat,omitempty"`
	// Municipality is comune.
	Municipality string `json:"municipality,omitempty"`
	// Province is prov, the two-letter province code.
	Province string `json:"province,omitempty"`
	// Country is nazione.
	Country string `json:"country,omitempty"`
}

// Technical is DatiTecnici of a request.
type Technical struct {
	// POD is cod_pod, the point of delivery.
	POD string `json:"pod,omitempty"`
	// PODCount is n_pod, the number of points a quote is for (PN1, PM1).
	PODCount string `json:"pod_count,omitempty"`
	// ContractPower is pot_ric_contratto, the contractual power asked for,
	// in kW.
	ContractPower decimal.NullDecimal `json:"contract_power_kw,omitzero"`
	// TotalPower is pot_tot_util, the total power used, in kW (PN1, PM1).
	TotalPower decimal.NullDecimal `json:"total_power_kw,omitzero"`
	// Voltage is tensione, the supply voltage in volts, such as "230".
	Voltage string `json:"voltage,omitempty"`
	// VoltageLevel is tp_tensione: B low, M medium, A high voltage.
	VoltageLevel string `json:"voltage_level,omitempty"`
	// Phase is fase: M single-phase, T three-phase.
	Phase string `json:"phase,omitempty"`
	// Market is tp_mercato, the market of the supply (free or protected).
	Market string `json:"market,omitempty"`
	// Use is tp_uso, the use of the supply: D domestic, A other uses,
	// V public lighting (the codes seen in public seller code).
	Use string `json:"use,omitempty"`
	// Interruptible is interrompibilita.
	Interruptible Flag `json:"interruptible,omitempty"`
	// MedicalEquipment is apparato_medicale: life-support equipment is in
	// use at the supply.
	MedicalEquipment Flag `json:"medical_equipment,omitempty"`
	// Category is categoria_merceologica, the goods category of the
	// customer's activity.
	Category string `json:"category,omitempty"`
}
