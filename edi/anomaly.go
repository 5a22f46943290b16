package edi

import "github.com/bludispatcher/dispatcher/internal/anomaly"

// Anomaly is one finding of a check; see internal/anomaly.
type Anomaly = anomaly.Anomaly

// Anomaly codes of this package.
const (
	// CodeInvalidValue is a number or date that does not parse.
	CodeInvalidValue = "EDI-VALUE"
	// CodeSeparator is a number written with the other format's decimal
	// separator (a comma in FatturaPA, a dot in the ARERA flows).
	CodeSeparator = "EDI-SEPARATOR"
	// CodeMissing is a required element that is absent or empty.
	CodeMissing = "EDI-MISSING"
	// CodeUnknownCode is a code outside its code list.
	CodeUnknownCode = "EDI-CODE"
	// CodeTotals is a total that does not match the sum of its parts.
	CodeTotals = "EDI-TOTALS"
	// CodeVAT is a VAT summary that does not match its lines or its rate.
	CodeVAT = "EDI-VAT"
	// CodeTie is a transport detail that does not match its FatturaPA
	// invoice.
	CodeTie = "EDI-TIE"
	// CodeRegistry is a POD or PDR that is not in the seller's registry for
	// the billed period.
	CodeRegistry = "EDI-REGISTRY"
	// CodeEnergy is billed energy that differs from the loaded metering
	// data beyond the tolerance, or has no metering data to compare with.
	CodeEnergy = "EDI-ENERGY"
	// CodeDuplicate is an invoice, or a charge of a POD, billed twice.
	CodeDuplicate = "EDI-DUPLICATE"
	// CodeAttachment is an attachment that cannot be decoded.
	CodeAttachment = "EDI-ATTACHMENT"
)
