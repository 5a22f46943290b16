package ingest

import (
	"fmt"
	"strings"

	"github.com/bludispatcher/dispatcher/edi"
	"github.com/bludispatcher/dispatcher/internal/anomaly"
)

// CodeRecipient is the anomaly code of an invoice addressed to another
// company than the one whose inbox it came from (rule other-company).
const CodeRecipient = "EDI-RECIPIENT"

// customerVATField is the FatturaPA element of the invoice recipient's VAT
// number.
const customerVATField = "CessionarioCommittente/DatiAnagrafici/IdFiscaleIVA/IdCodice"

// recipientVATField names the element a transport detail reads its
// recipient's VAT number from.
func recipientVATField(inv *edi.TransportInvoice) string {
	switch {
	case inv.FromLines:
		return customerVATField
	case inv.Commodity == edi.Gas:
		return "Destinatario/PartitaIVA"
	}
	return "TPartitaIvaDestinatario"
}

// sameVAT reports whether two VAT numbers are equal, ignoring case,
// spaces and the "IT" country prefix, which FatturaPA keeps apart in
// IdPaese and a configuration may include.
func sameVAT(a, b string) bool {
	return normalVAT(a) == normalVAT(b)
}

func normalVAT(s string) string {
	s = strings.ToUpper(strings.Join(strings.Fields(s), ""))
	return strings.TrimPrefix(s, "IT")
}

// otherCompanyFile returns the blocking file-level anomaly of a file
// addressed to another company than the one whose inbox it came from.
// That is a FatturaPA whose CessionarioCommittente VAT number differs
// from the company's, or a detail flow whose header names another
// recipient. It returns false when the company has no VAT configured or
// the file names no recipient VAT.
func otherCompanyFile(company Company, doc Document, d *edi.Document) (anomaly.Anomaly, bool) {
	if company.VAT == "" {
		return anomaly.Anomaly{}, false
	}
	if d.Invoice != nil {
		c := d.Invoice.Header.Customer
		found := c.VATNumber
		if c.VATCountry != "" && !strings.EqualFold(c.VATCountry, "IT") {
			found = c.VATCountry + c.VATNumber
		}
		if found == "" || sameVAT(found, company.VAT) {
			return anomaly.Anomaly{}, false
		}
		return otherCompanyAnomaly(company, doc.Name, d.Invoice.Header.Line, customerVATField, found, anomaly.FileLevel), true
	}
	if len(d.Transport) == 0 {
		return anomaly.Anomaly{}, false
	}
	// Every invoice of a detail flow shares the file's header.
	inv := d.Transport[0]
	if inv.Flow.RecipientVAT == "" || sameVAT(inv.Flow.RecipientVAT, company.VAT) {
		return anomaly.Anomaly{}, false
	}
	return otherCompanyAnomaly(company, doc.Name, inv.Flow.Line, recipientVATField(inv), inv.Flow.RecipientVAT, anomaly.FileLevel), true
}

// otherCompanyInvoice returns the blocking record-level anomaly of one
// transport invoice whose detail names another recipient than the
// company, such as a detail attachment addressed to another seller inside
// a FatturaPA addressed to this one.
func otherCompanyInvoice(company Company, file string, inv *edi.TransportInvoice) (anomaly.Anomaly, bool) {
	if company.VAT == "" || inv.Flow.RecipientVAT == "" || sameVAT(inv.Flow.RecipientVAT, company.VAT) {
		return anomaly.Anomaly{}, false
	}
	a := otherCompanyAnomaly(company, file, inv.Flow.Line, recipientVATField(inv), inv.Flow.RecipientVAT, anomaly.RecordLevel)
	a.Key = inv.Number
	return a, true
}

func otherCompanyAnomaly(company Company, file string, line int, field, found string, level anomaly.Level) anomaly.Anomaly {
	return anomaly.Anomaly{
		Code:     CodeRecipient,
		Rule:     RuleOtherCompany,
		Severity: anomaly.Blocking,
		Level:    level,
		File:     file,
		Line:     line,
		Field:    field,
		Value:    found,
		Message: fmt.Sprintf("the invoice is addressed to VAT number %s, not to company %s (VAT %s), so it is not stored: "+
			"move the file to the inbox of the company with VAT number %s", found, company.Code, company.VAT, found),
	}
}
