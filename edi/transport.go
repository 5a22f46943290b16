package edi

import (
	"github.com/shopspring/decimal"
)

// Commodity is the network a transport invoice bills.
type Commodity uint8

const (
	// Electricity is electricity transport (POD).
	Electricity Commodity = iota + 1
	// Gas is gas distribution (PDR).
	Gas
)

// String returns "electricity" or "gas".
func (c Commodity) String() string {
	switch c {
	case Electricity:
		return "electricity"
	case Gas:
		return "gas"
	}
	return "unknown"
}

// InvoiceType is the ARERA transport-invoice type (table T1 of the
// electricity standard).
type InvoiceType uint8

const (
	// TypeUnknown is a type code missing from the code table.
	TypeUnknown InvoiceType = iota
	// TypeCycle is "fattura di ciclo": the periodic invoice.
	TypeCycle
	// TypeCorrection is "fattura di rettifica": it corrects earlier periods.
	TypeCorrection
	// TypeFurtherServices is "fattura relativa a ulteriori prestazioni e
	// altri corrispettivi": services requested by the seller.
	TypeFurtherServices
)

// String returns the English name used in the code table.
func (t InvoiceType) String() string {
	switch t {
	case TypeCycle:
		return "cycle"
	case TypeCorrection:
		return "correction"
	case TypeFurtherServices:
		return "further-services"
	}
	return "unknown"
}

// Italian returns the name the ARERA standard gives the type.
func (t InvoiceType) Italian() string {
	switch t {
	case TypeCycle:
		return "fattura di ciclo"
	case TypeCorrection:
		return "fattura di rettifica"
	case TypeFurtherServices:
		return "ulteriori prestazioni e altri corrispettivi"
	}
	return "tipo non riconosciuto"
}

// EntryKind is whether an amount is charged (debit) or credited to the
// seller.
type EntryKind uint8

const (
	// Debit is an amount the seller owes.
	Debit EntryKind = iota
	// Credit is an amount returned to the seller.
	Credit
)

// String returns "debit" or "credit".
func (k EntryKind) String() string {
	if k == Credit {
		return "credit"
	}
	return "debit"
}

// FlowHeader is TestataFlusso (and ChiusuraFlusso for gas).
type FlowHeader struct {
	// Line is the line of the TestataFlusso start tag.
	Line int
	// SenderName is TRagioneSocialeMittente (electricity) or
	// Mittente/RagioneSociale (gas).
	SenderName string
	// SenderVAT is TPartitaIvaMittente or Mittente/PartitaIVA.
	SenderVAT string
	// RecipientName is TRagioneSocialeDestinatario or
	// Destinatario/RagioneSociale.
	RecipientName string
	// RecipientVAT is TPartitaIvaDestinatario or Destinatario/PartitaIVA.
	RecipientVAT string
	// Created is TDataCreazione or DataCreazione.
	Created Date
	// Version is TVersione or Versione.
	Version string
	// FlowType is TipoFlusso of the gas flow: V or R.
	FlowType string
	// Sequence is NumeroSequenza of the gas flow.
	Sequence string
	// LastInSequence is ChiusuraFlusso/UltimoElementoSequenza of the gas
	// flow: SI or NO; empty until the end of the file is read.
	LastInSequence string
}

// TransportInvoice is one transport invoice of a detail flow with its
// per-point detail, electricity or gas.
type TransportInvoice struct {
	// Commodity is Electricity or Gas.
	Commodity Commodity
	// FromLines reports that the detail was built from the lines of a
	// FatturaPA body by DetailFromLines, so numbers use a decimal dot.
	FromLines bool
	// Flow is the header of the file the invoice came from.
	Flow FlowHeader
	// Line is the line of the invoice start tag.
	Line int
	// Number is FNumeroFattura or Fattura/Numero.
	Number string
	// Date is FDataEmissione or Fattura/DataEmissione.
	Date Date
	// DueDate is FDataScadenza or Fattura/DataScadenza.
	DueDate Date
	// TypeCode is FTipoFattura as read (or TipoFlusso for gas).
	TypeCode string
	// Type is TypeCode resolved through the code table.
	Type InvoiceType
	// CorrectionReason is FMotivazioneRettifica: the reason code of a
	// correction (table T3).
	CorrectionReason string
	// CorrectedInvoice is FFatturaRettificata: the number of the invoice
	// corrected.
	CorrectedInvoice string
	// EntryCode is FTipoAddebito as read (table T10).
	EntryCode string
	// Entry is EntryCode resolved through the code table.
	Entry EntryKind
	// PeriodStart is FPeriodoDa: the first day billed.
	PeriodStart Date
	// PeriodEnd is FPeriodoA: the last day billed.
	PeriodEnd Date
	// Taxable is FTotaleImponibile or TotaleImponibile.
	Taxable Number
	// VAT is FTotaleIVA or TotaleIVA.
	VAT Number
	// Total is FTotaleFattura or Totale.
	Total Number
	// Stamp is ImportoBollo (gas).
	Stamp Number
	// Notes is Note (gas).
	Notes string
	// Items are the billed categories of the invoice summary: VoceFattura
	// of the gas flow, RComponente of the electricity detail.
	Items []InvoiceItem
	// VATLines are FRiepilogoIVA (electricity) or RiferimentoIVA (gas).
	VATLines []VATLine
	// Points are DettaglioPOD or DettaglioPDR.
	Points []Point
}

// InvoiceItem is one billed category of the invoice summary.
type InvoiceItem struct {
	Component string // CategoriaVoceFatturata or RCodice
	VATCode   string // CodiceRiferimentoIVA (gas)
	Taxable   Number // Imponibile or RImponibile
}

// VATLine is one VAT rate of the invoice summary.
type VATLine struct {
	Code        string // Codice of RiferimentoIVA (gas)
	Description string // Descrizione of RiferimentoIVA (gas)
	Rate        Number // FAliquotaIVA or Aliquota, percent
	Nature      string // FNatura: the FatturaPA Natura of a 0% rate
	Taxable     Number // FImponibile (electricity only)
	Tax         Number // FImposta (electricity only)
}

// Point is the detail of one POD (electricity) or PDR (gas).
type Point struct {
	// Line is the line of the start tag.
	Line int
	// Code is DCodicePod or CodicePDR.
	Code string
	// Electricity is DatiTecniciCommerciali; nil for gas.
	Electricity *ElectricityPoint
	// Gas is the technical data of a PDR; nil for electricity.
	Gas *GasPoint
	// Charges are Corrispettivi or Importi/Importo.
	Charges []Charge
}

// ElectricityPoint is DatiTecniciCommerciali of a POD.
type ElectricityPoint struct {
	Voltage         Number `xml:"DDTTensione"`              // DDTTensione, V
	CommittedPower  Number `xml:"DDTPotenzaImpegnata"`      // DDTPotenzaImpegnata, kW
	AvailablePower  Number `xml:"DDTPotenzaDisponibile"`    // DDTPotenzaDisponibile, kW
	ContractType    string `xml:"DDTTipologiaContrattuale"` // DDTTipologiaContrattuale (TIT contract type)
	TariffCode      string `xml:"DDTCodiceTariffa"`         // DDTCodiceTariffa: distribution tariff code
	Resident        string `xml:"DDTResidente"`             // DDTResidente: SI or NO
	EnergyIntensive string `xml:"DDTEnergivoro"`            // DDTEnergivoro: SI or NO
}

// GasPoint is the technical data of a PDR.
type GasPoint struct {
	REMIPool       string `xml:"REMIPool"`         // REMIPool
	ISTATCode      string `xml:"CodiceISTAT"`      // CodiceISTAT
	Municipality   string `xml:"Comune"`           // Comune
	CoefficientC   Number `xml:"CoefficienteC"`    // CoefficienteC
	Corrector      string `xml:"Correttore"`       // Correttore: SI or NO
	AnnualQuantity Number `xml:"ProgrAnnoSolare"`  // ProgrAnnoSolare, Smc
	MeterClass     string `xml:"ClasseMisuratore"` // ClasseMisuratore: G4 … G4000
	PDRType        string `xml:"TipoPDR"`          // TipoPDR
	TariffArea     string `xml:"AmbitoTariffario"` // AmbitoTariffario
}

// Charge is one billed component of a point: Corrispettivi or Importo.
type Charge struct {
	// Line is the line of the start tag.
	Line int
	// Component is DComponente or ComponenteTariffaria.
	Component string
	// Unit is DUnitaMisura, such as €/kWh, €/kW/anno or €/POD/anno.
	Unit string
	// Bracket is DScaglione or Scaglione: the consumption bracket.
	Bracket string
	// From is DPeriodoCompetenzaDa or DataInizio.
	From Date
	// To is DPeriodoCompetenzaA or DataFine.
	To Date
	// Quantity is DQuantita or Quantita.
	Quantity Number
	// UnitPrice is DPrezzoUnitario or Quota.
	UnitPrice Number
	// Amount is DImporto or Imponibile, net of VAT, as written.
	Amount Number
	// VATRate is DAliquotaIVA, percent (electricity).
	VATRate Number
	// EntryCode is DTipoAddebito or TipoMovimento as read.
	EntryCode string
	// Entry is EntryCode resolved through the code table.
	Entry EntryKind
	// CorrectionReason is DMotivazioneRettifica or MotivazioneRettifica.
	CorrectionReason string
	// BonusRegime is RegimeCompensazioneBonus (gas).
	BonusRegime string
	// BonusCode is CodiceBonusSII (gas).
	BonusCode string
}

// PointTotal returns the sum of the amounts of the point's charges.
//
// NOTE: amounts are summed as written, whatever their entry letter. In the
// ARERA gas sample the TipoMovimento S rows are positive and the invoice
// total counts them as charges, so the letter is exposed but never used to
// flip a sign.
func (p *Point) PointTotal() decimal.Decimal {
	var sum decimal.Decimal
	for i := range p.Charges {
		sum = sum.Add(p.Charges[i].Amount.Value)
	}
	return sum
}

// DetailTotal returns the sum of the amounts of every charge.
func (t *TransportInvoice) DetailTotal() decimal.Decimal {
	var sum decimal.Decimal
	for i := range t.Points {
		sum = sum.Add(t.Points[i].PointTotal())
	}
	return sum
}

// Point returns the point with the given code, or nil.
func (t *TransportInvoice) Point(code string) *Point {
	for i := range t.Points {
		if t.Points[i].Code == code {
			return &t.Points[i]
		}
	}
	return nil
}
