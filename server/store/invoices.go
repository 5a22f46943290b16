package store

import (
	"context"

	"github.com/bludispatcher/dispatcher/edi"
	"github.com/bludispatcher/dispatcher/internal/anomaly"
	"github.com/bludispatcher/dispatcher/internal/civil"
)

// InvoiceStore keeps the distributors' transport invoices with their
// points and charges. Each invoice is one edi.TransportInvoice of a
// loaded file, addressed by the RecordRef of its load and position.
type InvoiceStore interface {
	// Invoices returns the invoices that match f, newest issue date first,
	// and their total number.
	Invoices(ctx context.Context, f InvoiceFilter) ([]Invoice, int, error)
	// Invoice returns one invoice with its points and charges, or
	// ErrNotFound.
	Invoice(ctx context.Context, company CompanyID, ref RecordRef) (InvoiceDetail, error)
	// InvoicesByKey returns the stored invoices whose edi.InvoiceKey is
	// key, oldest first.
	InvoicesByKey(ctx context.Context, company CompanyID, key string) ([]Invoice, error)
	// CycleChargeInvoices returns the numbers of the stored cycle invoices
	// that have a charge whose edi.ChargeKey is key.
	CycleChargeInvoices(ctx context.Context, company CompanyID, key string) ([]string, error)
}

// InvoiceTx adds transport invoices to an open load. The LoadTx of the
// sqlite and postgres stores implements it.
type InvoiceTx interface {
	// AddInvoice stores one invoice with its points and charges; index is
	// its position among edi.Document.TransportInvoices of the file. Like
	// AddRecord, an invoice with a blocking anomaly is counted as rejected
	// and only its anomalies are stored.
	AddInvoice(ctx context.Context, inv *edi.TransportInvoice, index int, anomalies anomaly.List) (bool, error)
}

// InvoiceFilter selects invoices. Company is required.
type InvoiceFilter struct {
	Company CompanyID
	// SenderVAT is the distributor's VAT number (partita IVA).
	SenderVAT string
	// POD selects invoices with a point of this code (POD or PDR).
	POD string
	// Dates selects on the issue date.
	Dates DateRange
	Load  LoadID
	Page  Page
}

// Invoice is one stored transport invoice. Amounts are the text as read,
// with a decimal comma in the ARERA detail flows and a decimal dot when
// the detail was built from FatturaPA lines.
type Invoice struct {
	RecordRef
	// Index is the invoice's position among the transport invoices of
	// its file, 0-based.
	Index int `json:"index"`
	// Key is edi.InvoiceKey: sender VAT number and invoice number.
	Key string `json:"key"`
	// Commodity is "electricity" or "gas".
	Commodity    string `json:"commodity"`
	SenderVAT    string `json:"senderVat"`    // TPartitaIvaMittente
	SenderName   string `json:"senderName"`   // TRagioneSocialeMittente
	RecipientVAT string `json:"recipientVat"` // TPartitaIvaDestinatario
	Number       string `json:"number"`       // FNumeroFattura
	// Date is FDataEmissione; zero when absent or invalid, and DateText
	// keeps it as read.
	Date     civil.Date `json:"date"`
	DateText string     `json:"dateText"`
	TypeCode string     `json:"typeCode"` // FTipoFattura as read
	// Type is the invoice type: "cycle", "correction", "further services"
	// or "unknown".
	Type        string     `json:"type"`
	EntryCode   string     `json:"entryCode,omitempty"` // FTipoAddebito
	PeriodStart civil.Date `json:"periodStart"`         // FPeriodoDa
	PeriodEnd   civil.Date `json:"periodEnd"`           // FPeriodoA
	Taxable     string     `json:"taxable"`             // FTotaleImponibile
	VAT         string     `json:"vat"`                 // FTotaleIVA
	Total       string     `json:"total"`               // FTotaleFattura
	// PointCount is the number of points (DettaglioPOD or DettaglioPDR).
	PointCount int `json:"pointCount"`
	// Line is the line of the invoice start tag in its file.
	Line int `json:"line"`
}

// InvoiceDetail is an invoice with its points and charges.
type InvoiceDetail struct {
	Invoice
	Points []InvoicePoint `json:"points"`
}

// InvoicePoint is one point of an invoice: DettaglioPOD or DettaglioPDR.
type InvoicePoint struct {
	Seq     int             `json:"seq"`
	Code    string          `json:"code"` // DCodicePod or CodicePDR
	Line    int             `json:"line"`
	Charges []InvoiceCharge `json:"charges"`
}

// InvoiceCharge is one billed component of a point, text as read.
type InvoiceCharge struct {
	Seq int `json:"seq"`
	// Key is edi.ChargeKey.
	Key              string `json:"key"`
	Component        string `json:"component"`                  // DComponente
	Unit             string `json:"unit,omitempty"`             // DUnitaMisura
	Bracket          string `json:"bracket,omitempty"`          // DScaglione
	From             string `json:"from"`                       // DPeriodoCompetenzaDa
	To               string `json:"to"`                         // DPeriodoCompetenzaA
	Quantity         string `json:"quantity"`                   // DQuantita
	UnitPrice        string `json:"unitPrice"`                  // DPrezzoUnitario
	Amount           string `json:"amount"`                     // DImporto
	VATRate          string `json:"vatRate,omitempty"`          // DAliquotaIVA
	EntryCode        string `json:"entryCode,omitempty"`        // DTipoAddebito
	CorrectionReason string `json:"correctionReason,omitempty"` // DMotivazioneRettifica
	Line             int    `json:"line"`
}
