package edi

// Invoice is a whole FatturaElettronica document: its header and every body.
// ReadInvoice builds it; InvoiceReader yields the same data one body at a time.
type Invoice struct {
	// Version is the versione attribute of the root: FPR12 (between
	// businesses) or FPA12 (to a public administration).
	Version string
	// Header is FatturaElettronicaHeader.
	Header InvoiceHeader
	// Bodies are the FatturaElettronicaBody elements: one invoice each.
	Bodies []Body
}

// InvoiceHeader is FatturaElettronicaHeader: transmission data and parties.
type InvoiceHeader struct {
	// Line is the line of the start tag.
	Line int `xml:"-"`
	// Transmission is DatiTrasmissione.
	Transmission Transmission `xml:"DatiTrasmissione"`
	// Supplier is CedentePrestatore: the distributor for transport invoices.
	Supplier Party `xml:"CedentePrestatore"`
	// Customer is CessionarioCommittente: the seller for transport invoices.
	Customer Party `xml:"CessionarioCommittente"`
	// Issuer is SoggettoEmittente: CC when the customer issued the invoice,
	// TZ for a third party.
	Issuer string `xml:"SoggettoEmittente"`
}

// Transmission is DatiTrasmissione.
type Transmission struct {
	// SenderCountry is IdTrasmittente/IdPaese.
	SenderCountry string `xml:"IdTrasmittente>IdPaese"`
	// SenderCode is IdTrasmittente/IdCodice.
	SenderCode string `xml:"IdTrasmittente>IdCodice"`
	// Sequence is ProgressivoInvio: the sender's file counter.
	Sequence string `xml:"ProgressivoInvio"`
	// Format is FormatoTrasmissione: FPR12 or FPA12.
	Format string `xml:"FormatoTrasmissione"`
	// RecipientCode is CodiceDestinatario: 7 characters (6 for FPA12).
	RecipientCode string `xml:"CodiceDestinatario"`
	// RecipientPEC is PECDestinatario.
	RecipientPEC string `xml:"PECDestinatario"`
}

// Party is CedentePrestatore or CessionarioCommittente.
type Party struct {
	// VATCountry is DatiAnagrafici/IdFiscaleIVA/IdPaese.
	VATCountry string `xml:"DatiAnagrafici>IdFiscaleIVA>IdPaese"`
	// VATNumber is DatiAnagrafici/IdFiscaleIVA/IdCodice.
	VATNumber string `xml:"DatiAnagrafici>IdFiscaleIVA>IdCodice"`
	// FiscalCode is DatiAnagrafici/CodiceFiscale.
	FiscalCode string `xml:"DatiAnagrafici>CodiceFiscale"`
	// CompanyName is DatiAnagrafici/Anagrafica/Denominazione.
	CompanyName string `xml:"DatiAnagrafici>Anagrafica>Denominazione"`
	// FirstName is DatiAnagrafici/Anagrafica/Nome.
	FirstName string `xml:"DatiAnagrafici>Anagrafica>Nome"`
	// LastName is DatiAnagrafici/Anagrafica/Cognome.
	LastName string `xml:"DatiAnagrafici>Anagrafica>Cognome"`
	// TaxRegime is DatiAnagrafici/RegimeFiscale (RF01…RF19), supplier only.
	TaxRegime string `xml:"DatiAnagrafici>RegimeFiscale"`
	// Address is Sede.
	Address Address `xml:"Sede"`
}

// Name returns Denominazione, or Nome and Cognome for a person.
func (p Party) Name() string {
	if p.CompanyName != "" {
		return p.CompanyName
	}
	if p.FirstName != "" && p.LastName != "" {
		return p.FirstName + " " + p.LastName
	}
	return p.FirstName + p.LastName
}

// VATID returns the country code and VAT number, such as "IT01234567890".
func (p Party) VATID() string { return p.VATCountry + p.VATNumber }

// Address is Sede.
type Address struct {
	Street     string `xml:"Indirizzo"`    // Indirizzo
	Number     string `xml:"NumeroCivico"` // NumeroCivico
	PostalCode string `xml:"CAP"`          // CAP
	City       string `xml:"Comune"`       // Comune
	Province   string `xml:"Provincia"`    // Provincia
	Country    string `xml:"Nazione"`      // Nazione
}

// Body is FatturaElettronicaBody: one invoice of the file.
type Body struct {
	// Line is the line of the start tag.
	Line int `xml:"-"`
	// Document is DatiGenerali/DatiGeneraliDocumento.
	Document DocumentData `xml:"DatiGenerali>DatiGeneraliDocumento"`
	// LinkedInvoices is DatiGenerali/DatiFattureCollegate: the invoices that
	// a correction or credit note refers to.
	LinkedInvoices []DocumentRef `xml:"DatiGenerali>DatiFattureCollegate"`
	// Contracts is DatiGenerali/DatiContratto.
	Contracts []DocumentRef `xml:"DatiGenerali>DatiContratto"`
	// Lines is DatiBeniServizi/DettaglioLinee.
	Lines []Line `xml:"DatiBeniServizi>DettaglioLinee"`
	// VATSummary is DatiBeniServizi/DatiRiepilogo: one entry per VAT rate or
	// exemption nature.
	VATSummary []VATSummary `xml:"DatiBeniServizi>DatiRiepilogo"`
	// Payments is DatiPagamento.
	Payments []Payment `xml:"DatiPagamento"`
	// Attachments is Allegati.
	Attachments []Attachment `xml:"Allegati"`
}

// DocumentData is DatiGeneraliDocumento.
type DocumentData struct {
	// Type is TipoDocumento: TD01 invoice, TD04 credit note, TD05 debit
	// note, and the others of the code list.
	Type string `xml:"TipoDocumento"`
	// Currency is Divisa (ISO 4217).
	Currency string `xml:"Divisa"`
	// Date is Data: the issue date.
	Date Date `xml:"Data"`
	// Number is Numero: the invoice number.
	Number string `xml:"Numero"`
	// Withholdings is DatiRitenuta.
	Withholdings []Withholding `xml:"DatiRitenuta"`
	// Stamp is DatiBollo/ImportoBollo: the virtual stamp duty, if charged.
	Stamp Number `xml:"DatiBollo>ImportoBollo"`
	// Discounts is ScontoMaggiorazione at document level.
	Discounts []Discount `xml:"ScontoMaggiorazione"`
	// Total is ImportoTotaleDocumento: total including VAT, optional.
	Total Number `xml:"ImportoTotaleDocumento"`
	// Rounding is Arrotondamento.
	Rounding Number `xml:"Arrotondamento"`
	// Reasons is Causale: free text, up to 200 characters each.
	Reasons []string `xml:"Causale"`
}

// Withholding is DatiRitenuta.
type Withholding struct {
	Type   string `xml:"TipoRitenuta"`     // TipoRitenuta
	Amount Number `xml:"ImportoRitenuta"`  // ImportoRitenuta
	Rate   Number `xml:"AliquotaRitenuta"` // AliquotaRitenuta
	Reason string `xml:"CausalePagamento"` // CausalePagamento
}

// Discount is ScontoMaggiorazione: a discount (SC) or surcharge (MG).
type Discount struct {
	Type    string `xml:"Tipo"`        // Tipo: SC or MG
	Percent Number `xml:"Percentuale"` // Percentuale
	Amount  Number `xml:"Importo"`     // Importo
}

// DocumentRef is DatiFattureCollegate, DatiContratto or DatiOrdineAcquisto.
type DocumentRef struct {
	Lines []string `xml:"RiferimentoNumeroLinea"` // RiferimentoNumeroLinea
	ID    string   `xml:"IdDocumento"`            // IdDocumento: the document number
	Date  Date     `xml:"Data"`                   // Data
}

// Line is DettaglioLinee: one invoice line.
type Line struct {
	// Number is NumeroLinea.
	Number string `xml:"NumeroLinea"`
	// Kind is TipoCessionePrestazione: SC discount, PR premium, AB rebate,
	// AC ancillary cost; empty for an ordinary line.
	Kind string `xml:"TipoCessionePrestazione"`
	// ItemCodes is CodiceArticolo.
	ItemCodes []ItemCode `xml:"CodiceArticolo"`
	// Description is Descrizione.
	Description string `xml:"Descrizione"`
	// Quantity is Quantita.
	Quantity Number `xml:"Quantita"`
	// Unit is UnitaMisura.
	Unit string `xml:"UnitaMisura"`
	// PeriodStart is DataInizioPeriodo.
	PeriodStart Date `xml:"DataInizioPeriodo"`
	// PeriodEnd is DataFinePeriodo.
	PeriodEnd Date `xml:"DataFinePeriodo"`
	// UnitPrice is PrezzoUnitario (up to 8 decimals).
	UnitPrice Number `xml:"PrezzoUnitario"`
	// Discounts is ScontoMaggiorazione of the line.
	Discounts []Discount `xml:"ScontoMaggiorazione"`
	// TotalPrice is PrezzoTotale: the line amount, net of VAT.
	TotalPrice Number `xml:"PrezzoTotale"`
	// VATRate is AliquotaIVA, in percent.
	VATRate Number `xml:"AliquotaIVA"`
	// Nature is Natura: the reason a 0% line carries no VAT (N1…N7).
	Nature string `xml:"Natura"`
	// AdminRef is RiferimentoAmministrazione.
	AdminRef string `xml:"RiferimentoAmministrazione"`
	// OtherData is AltriDatiGestionali. Distributors put the POD or the
	// component code here.
	OtherData []OtherData `xml:"AltriDatiGestionali"`
}

// ItemCode is CodiceArticolo.
type ItemCode struct {
	Type  string `xml:"CodiceTipo"`   // CodiceTipo
	Value string `xml:"CodiceValore"` // CodiceValore
}

// OtherData is AltriDatiGestionali.
type OtherData struct {
	Type   string `xml:"TipoDato"`          // TipoDato, up to 10 characters
	Text   string `xml:"RiferimentoTesto"`  // RiferimentoTesto, up to 60 characters
	Number Number `xml:"RiferimentoNumero"` // RiferimentoNumero
	Date   Date   `xml:"RiferimentoData"`   // RiferimentoData
}

// VATSummary is DatiRiepilogo: the taxable amount and the tax of one VAT
// rate or exemption nature.
type VATSummary struct {
	Rate          Number `xml:"AliquotaIVA"`          // AliquotaIVA, percent
	Nature        string `xml:"Natura"`               // Natura
	Ancillary     Number `xml:"SpeseAccessorie"`      // SpeseAccessorie
	Rounding      Number `xml:"Arrotondamento"`       // Arrotondamento
	Taxable       Number `xml:"ImponibileImporto"`    // ImponibileImporto
	Tax           Number `xml:"Imposta"`              // Imposta
	Chargeability string `xml:"EsigibilitaIVA"`       // EsigibilitaIVA: I, D or S (split payment)
	LawReference  string `xml:"RiferimentoNormativo"` // RiferimentoNormativo
}

// Payment is DatiPagamento.
type Payment struct {
	// Terms is CondizioniPagamento: TP01 instalments, TP02 full, TP03 advance.
	Terms string `xml:"CondizioniPagamento"`
	// Details is DettaglioPagamento.
	Details []PaymentDetail `xml:"DettaglioPagamento"`
}

// PaymentDetail is DettaglioPagamento.
type PaymentDetail struct {
	Beneficiary string `xml:"Beneficiario"`                    // Beneficiario
	Method      string `xml:"ModalitaPagamento"`               // ModalitaPagamento: MP01…MP23
	TermsDate   Date   `xml:"DataRiferimentoTerminiPagamento"` // DataRiferimentoTerminiPagamento
	TermsDays   string `xml:"GiorniTerminiPagamento"`          // GiorniTerminiPagamento
	DueDate     Date   `xml:"DataScadenzaPagamento"`           // DataScadenzaPagamento
	Amount      Number `xml:"ImportoPagamento"`                // ImportoPagamento
	Bank        string `xml:"IstitutoFinanziario"`             // IstitutoFinanziario
	IBAN        string `xml:"IBAN"`                            // IBAN
	BIC         string `xml:"BIC"`                             // BIC
	Reference   string `xml:"CodicePagamento"`                 // CodicePagamento
}

// Attachment is Allegati. Data holds the base64 text as read; Content
// decodes and decompresses it.
type Attachment struct {
	// Name is NomeAttachment.
	Name string `xml:"NomeAttachment"`
	// Compression is AlgoritmoCompressione, such as ZIP.
	Compression string `xml:"AlgoritmoCompressione"`
	// Format is FormatoAttachment, such as PDF, XML or CSV.
	Format string `xml:"FormatoAttachment"`
	// Description is DescrizioneAttachment.
	Description string `xml:"DescrizioneAttachment"`
	// Data is Attachment: the base64 text.
	Data string `xml:"Attachment"`
}
