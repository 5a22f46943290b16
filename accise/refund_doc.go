package accise

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// claimFields returns the labelled fields of a refund claim, in the order
// of the printed document.
func claimFields(c *RefundClaim) [][2]string {
	return [][2]string{
		{"Riferimento istanza", c.ID},
		{"Richiedente", c.Claimant},
		{"Codice fiscale", c.FiscalCode},
		{"Codice ditta / accisa", c.Account.Company},
		{"Ufficio destinatario", c.Office},
		{"Imposta", c.Account.Tax.Label()},
		{"Capitolo", c.Account.Tax.Chapter()},
		{"Ambito / provincia", c.Account.Area},
		{"Anno d'imposta", fmt.Sprint(c.Year)},
		{"Importo richiesto (euro)", c.Amount.StringFixed(2)},
		{"Origine del credito", string(c.Origin)},
		{"Motivazione", c.Reason},
		{"IBAN per l'accredito", compactIBAN(c.IBAN)},
		{"Ultima dichiarazione annuale presentata il", italianDate(c.LastDeclaration)},
		{"Termine per il rimborso (art. 14 c. 2 TUA)", italianDate(c.Deadline())},
		{"Stato", string(c.status())},
	}
}

// WriteRefundClaimPDF writes a refund claim as a PDF draft for filing:
// the claimant, the account, the amount and its origin, the IBAN, the
// deadline and the attachments.
//
// NOTE: the official field list of the claim (istanza di rimborso) is not
// public; the document carries the data a claim is expected to need.
func WriteRefundClaimPDF(w io.Writer, c *RefundClaim, created time.Time) error {
	if err := c.Check(); err != nil {
		return err
	}
	doc := newPDFDoc("Istanza di rimborso "+c.ID, created)
	doc.pdf.AddPage()
	doc.pdf.SetFont("Helvetica", "B", 13)
	doc.text(0, 8, "Istanza di rimborso accisa (art. 14 D.Lgs. 504/1995)", "", 1, "L")
	doc.pdf.Ln(2)
	for _, f := range claimFields(c) {
		doc.pdf.SetFont("Helvetica", "B", 9)
		doc.text(75, 6, f[0], "1", 0, "L")
		doc.pdf.SetFont("Helvetica", "", 9)
		doc.text(0, 6, f[1], "1", 1, "L")
	}
	doc.pdf.Ln(4)
	doc.pdf.SetFont("Helvetica", "B", 9)
	doc.text(0, 6, "Allegati", "", 1, "L")
	doc.pdf.SetFont("Helvetica", "", 9)
	if len(c.Documents) == 0 {
		doc.text(0, 5, "nessuno", "", 1, "L")
	}
	for _, a := range c.Documents {
		doc.text(0, 5, "- "+a, "", 1, "L")
	}
	return doc.output(w)
}

// WriteRefundClaimXLSX writes a refund claim as a workbook: one sheet with
// the claim's fields and one with its status history.
func WriteRefundClaimXLSX(w io.Writer, c *RefundClaim) error {
	if err := c.Check(); err != nil {
		return err
	}
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", "Istanza"); err != nil {
		return err
	}
	var data [][]any
	for _, field := range claimFields(c) {
		data = append(data, []any{field[0], field[1]})
	}
	data = append(data, []any{"Allegati", strings.Join(c.Documents, "; ")})
	if err := rows(f, "Istanza", []any{"Campo", "Valore"}, data); err != nil {
		return err
	}
	if _, err := f.NewSheet("Stato"); err != nil {
		return err
	}
	var history [][]any
	for _, h := range c.History {
		history = append(history, []any{h.Date.Italian(), string(h.Status), h.Note})
	}
	if err := rows(f, "Stato", []any{"Data", "Stato", "Nota"}, history); err != nil {
		return err
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("accise: writing refund claim %s: %w", c.ID, err)
	}
	return nil
}

// WriteCreditTransferPDF writes a credit transfer request between two
// provinces as a PDF, one page per office (the office where the credit
// arose and the receiving office).
func WriteCreditTransferPDF(w io.Writer, t *CreditTransfer, created time.Time) error {
	if err := t.Check(); err != nil {
		return err
	}
	doc := newPDFDoc("Richiesta di trasferimento credito "+t.ID, created)
	for _, office := range []string{t.FromOffice, t.ToOffice} {
		doc.pdf.AddPage()
		doc.pdf.SetFont("Helvetica", "B", 13)
		doc.text(0, 8, "Richiesta di utilizzo del credito d'accisa in altra provincia", "", 1, "L")
		doc.pdf.SetFont("Helvetica", "", 9)
		fields := [][2]string{
			{"Ufficio destinatario", office},
			{"Riferimento", t.ID},
			{"Codice ditta", t.From.Company},
			{"Imposta / capitolo", t.From.Tax.Label() + " / " + t.From.Tax.Chapter()},
			{"Provincia del credito", t.From.Area + " (" + t.FromOffice + ")"},
			{"Provincia di utilizzo", t.To.Area + " (" + t.ToOffice + ")"},
			{"Importo (euro)", t.Amount.StringFixed(2)},
			{"Primo utilizzo", t.FirstUse.Italian()},
			{"Data della richiesta", t.Filed.Italian()},
		}
		for _, f := range fields {
			doc.text(60, 6, f[0], "1", 0, "L")
			doc.text(0, 6, f[1], "1", 1, "L")
		}
	}
	return doc.output(w)
}
