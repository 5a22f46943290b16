package accise

import (
	"fmt"
	"io"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"
)

// F24PDFOptions configures WriteF24PDF.
type F24PDFOptions struct {
	// Created is the creation date stored in the PDF. The zero value stores
	// a fixed date, so the same forms always give the same bytes.
	Created time.Time
}

// F24PDF writes each form on its own A4 page: the payer, the excise rows
// with their fields and the total, and the fields that rest on a single
// source or a guess. It is a worksheet for copying the form at the bank or
// into home banking, not the official form.
type F24PDF struct {
	// Options sets the PDF metadata.
	Options F24PDFOptions
}

// WriteF24 writes the forms as one PDF.
func (p F24PDF) WriteF24(w io.Writer, forms []F24Form) error {
	if len(forms) == 0 {
		return fmt.Errorf("accise: no F24 form to write")
	}
	doc := newPDFDoc("Modello F24 Accise", p.Options.Created)
	for _, f := range forms {
		doc.pdf.AddPage()
		writeF24Page(doc, f)
	}
	return doc.output(w)
}

// pdfDoc is a PDF with a translator for Latin-1 text.
type pdfDoc struct {
	pdf *fpdf.Fpdf
	tr  func(string) string
}

func newPDFDoc(title string, created time.Time) *pdfDoc {
	pdf := fpdf.New("P", "mm", "A4", "")
	if created.IsZero() {
		created = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	pdf.SetCreationDate(created)
	pdf.SetModificationDate(created)
	pdf.SetTitle(title, true)
	pdf.SetProducer("dispatcher accise", false)
	pdf.SetCatalogSort(true)
	pdf.SetAutoPageBreak(true, 15)
	return &pdfDoc{pdf: pdf, tr: pdf.UnicodeTranslatorFromDescriptor("")}
}

func (d *pdfDoc) text(w, h float64, s string, border string, ln int, align string) {
	d.pdf.CellFormat(w, h, d.tr(s), border, ln, align, false, 0, "")
}

func (d *pdfDoc) output(w io.Writer) error {
	if err := d.pdf.Error(); err != nil {
		return fmt.Errorf("accise: PDF: %w", err)
	}
	return d.pdf.Output(w)
}

var f24Columns = []struct {
	title string
	width float64
}{{"Ente", 12}, {"Prov.", 14}, {"Codice identificativo", 42}, {"Codice tributo", 24},
	{"Rateazione", 20}, {"Mese", 12}, {"Anno", 16}, {"Importo a debito", 40}}

func writeF24Page(d *pdfDoc, f F24Form) {
	pdf := d.pdf
	pdf.SetFont("Helvetica", "B", 14)
	d.text(0, 8, "Modello F24 Accise", "", 1, "L")
	pdf.SetFont("Helvetica", "", 9)
	d.text(0, 5, fmt.Sprintf("Modulo %d di %d - scadenza %s", f.Number, f.Of, f.Due.Italian()), "", 1, "L")
	d.text(0, 5, "Contribuente: "+f.Payer.Name+" - codice fiscale "+f.Payer.FiscalCode, "", 1, "L")
	pdf.Ln(3)
	pdf.SetFont("Helvetica", "B", 9)
	d.text(0, 6, "Sezione accise/monopoli ed altri versamenti non ammessi in compensazione", "", 1, "L")
	pdf.SetFont("Helvetica", "B", 8)
	for _, c := range f24Columns {
		d.text(c.width, 6, c.title, "1", 0, "C")
	}
	pdf.Ln(-1)
	pdf.SetFont("Helvetica", "", 9)
	for _, r := range f.Rows {
		values := []string{r.Ente, r.Province, r.Identifier, r.TaxCode, r.Instalment,
			itoa0(r.Month, 2), itoa0(r.Year, 4), r.Amount.StringFixed(2)}
		for i, c := range f24Columns {
			align := "C"
			if i == len(f24Columns)-1 {
				align = "R"
			}
			d.text(c.width, 6, values[i], "1", 0, align)
		}
		pdf.Ln(-1)
	}
	pdf.SetFont("Helvetica", "B", 9)
	d.text(140, 6, "Saldo (totale da versare)", "1", 0, "R")
	d.text(40, 6, f.Total().StringFixed(2), "1", 1, "R")
	pdf.Ln(4)
	pdf.SetFont("Helvetica", "I", 8)
	for _, r := range f.Rows {
		if len(r.Uncertain) == 0 {
			continue
		}
		d.text(0, 4, fmt.Sprintf("Codice %s, %s: da verificare %s", r.TaxCode, r.Province, strings.Join(r.Uncertain, ", ")), "", 1, "L")
	}
	d.text(0, 4, "Prospetto per la compilazione: non sostituisce il modello ufficiale.", "", 1, "L")
}
