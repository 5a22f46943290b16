package edi

import (
	"fmt"
	"io"
	"time"

	"codeberg.org/go-pdf/fpdf"
	"github.com/shopspring/decimal"
)

// FacsimileNote is the notice printed under the title of every facsimile.
const FacsimileNote = "Documento non valido ai fini fiscali: copia di cortesia della fattura di trasporto. " +
	"L'unica fattura valida è quella elettronica trasmessa tramite il Sistema di Interscambio (SdI)."

// FacsimileOptions are the settings of WriteFacsimile and
// WritePointFacsimile.
type FacsimileOptions struct {
	// Created is the creation date stored in the PDF. The zero value stores
	// a fixed date, so the same invoice always gives the same bytes.
	Created time.Time
}

// WriteFacsimile writes a PDF copy of the transport invoice in Italian:
// parties, invoice data, totals, VAT lines, and for every point its
// technical data and charges with periods, quantities and amounts. Each
// page footer states that the copy is not the legal invoice.
func WriteFacsimile(w io.Writer, t *TransportInvoice, opts FacsimileOptions) error {
	doc := newFacsimile(t, opts)
	doc.header(t)
	doc.totals(t)
	for i := range t.Points {
		doc.point(t, &t.Points[i])
	}
	return doc.output(w)
}

// WritePointFacsimile writes the extract of one POD or PDR: the invoice
// data and the charges of that point only. It fails when the invoice does
// not bill the point.
func WritePointFacsimile(w io.Writer, t *TransportInvoice, point string, opts FacsimileOptions) error {
	p := t.Point(point)
	if p == nil {
		return fmt.Errorf("point %s not found in invoice %s", point, t.Number)
	}
	doc := newFacsimile(t, opts)
	doc.header(t)
	doc.pdf.SetFont("Helvetica", "B", 10)
	doc.cell(0, 6, fmt.Sprintf("Estratto per il punto %s (importi al netto dell'IVA)", p.Code), 1)
	doc.pdf.Ln(2)
	doc.point(t, p)
	return doc.output(w)
}

type facsimile struct {
	pdf *fpdf.Fpdf
	tr  func(string) string
}

func newFacsimile(t *TransportInvoice, opts FacsimileOptions) *facsimile {
	pdf := fpdf.New("P", "mm", "A4", "")
	created := opts.Created
	if created.IsZero() {
		created = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	pdf.SetCreationDate(created)
	pdf.SetModificationDate(created)
	pdf.SetTitle("Fac-simile fattura di trasporto "+t.Number, true)
	pdf.SetProducer("dispatcher edi", false)
	pdf.SetCatalogSort(true) // resources in a fixed order, for reproducible bytes
	pdf.SetAutoPageBreak(true, 15)
	pdf.AliasNbPages("{nb}")
	doc := &facsimile{pdf: pdf, tr: pdf.UnicodeTranslatorFromDescriptor("")}
	pdf.SetFooterFunc(func() {
		pdf.SetY(-12)
		pdf.SetFont("Helvetica", "I", 7)
		pdf.CellFormat(0, 5, doc.tr(fmt.Sprintf("Fattura %s - pagina %d di {nb} - fac-simile non valido ai fini fiscali",
			t.Number, pdf.PageNo())), "", 0, "C", false, 0, "")
	})
	pdf.AddPage()
	return doc
}

func (d *facsimile) cell(w, h float64, text string, ln int) {
	d.pdf.CellFormat(w, h, d.tr(text), "", ln, "L", false, 0, "")
}

func (d *facsimile) output(w io.Writer) error {
	if err := d.pdf.Error(); err != nil {
		return fmt.Errorf("PDF facsimile: %w", err)
	}
	return d.pdf.Output(w)
}

func commodityTitle(c Commodity) string {
	if c == Gas {
		return "Fac-simile fattura di distribuzione gas naturale"
	}
	return "Fac-simile fattura di trasporto energia elettrica"
}

func (d *facsimile) header(t *TransportInvoice) {
	pdf := d.pdf
	pdf.SetFont("Helvetica", "B", 14)
	d.cell(0, 8, commodityTitle(t.Commodity), 1)
	pdf.SetFont("Helvetica", "I", 8)
	pdf.SetTextColor(160, 0, 0)
	pdf.MultiCell(0, 4, d.tr(FacsimileNote), "", "L", false)
	pdf.SetTextColor(0, 0, 0)
	pdf.Ln(3)

	pdf.SetFont("Helvetica", "", 9)
	rows := [][2]string{
		{"Distributore", partyText(t.Flow.SenderName, t.Flow.SenderVAT)},
		{"Venditore", partyText(t.Flow.RecipientName, t.Flow.RecipientVAT)},
		{"Fattura n.", t.Number + " del " + italianDate(t.Date)},
		{"Tipo", t.Type.Italian() + typeCodeText(t.TypeCode)},
	}
	if t.CorrectionReason != "" || t.CorrectedInvoice != "" {
		rows = append(rows, [2]string{"Rettifica", correctionText(t)})
	}
	if t.PeriodStart.Set || t.PeriodEnd.Set {
		rows = append(rows, [2]string{"Periodo", "dal " + italianDate(t.PeriodStart) + " al " + italianDate(t.PeriodEnd)})
	}
	if t.DueDate.Set {
		rows = append(rows, [2]string{"Scadenza", italianDate(t.DueDate)})
	}
	for _, r := range rows {
		pdf.SetFont("Helvetica", "B", 9)
		d.cell(35, 5, r[0], 0)
		pdf.SetFont("Helvetica", "", 9)
		d.cell(0, 5, r[1], 1)
	}
	pdf.Ln(3)
}

func partyText(name, vat string) string {
	if vat == "" {
		return name
	}
	return name + " - P.IVA " + vat
}

func typeCodeText(code string) string {
	if code == "" {
		return ""
	}
	return " (codice " + code + ")"
}

func correctionText(t *TransportInvoice) string {
	s := ""
	if t.CorrectedInvoice != "" {
		s = "della fattura " + t.CorrectedInvoice
	}
	if t.CorrectionReason != "" {
		if s != "" {
			s += ", "
		}
		s += "motivazione " + t.CorrectionReason
	}
	return s
}

func (d *facsimile) totals(t *TransportInvoice) {
	pdf := d.pdf
	pdf.SetFont("Helvetica", "B", 10)
	d.cell(0, 6, "Totali della fattura", 1)
	pdf.SetFont("Helvetica", "", 9)
	for _, r := range []struct {
		label string
		value Number
	}{{"Imponibile", t.Taxable}, {"IVA", t.VAT}, {"Totale fattura", t.Total}, {"Imposta di bollo", t.Stamp}} {
		if !r.value.Set {
			continue
		}
		d.cell(50, 5, r.label, 0)
		pdf.CellFormat(40, 5, d.tr(euro(r.value.Value)), "", 1, "R", false, 0, "")
	}
	for _, v := range t.VATLines {
		label := "IVA " + formatItalian(v.Rate.Value, 2) + "%"
		if v.Nature != "" {
			label += " (" + v.Nature + ")"
		}
		text := ""
		if v.Taxable.Set {
			text = "imponibile " + euro(v.Taxable.Value) + ", imposta " + euro(v.Tax.Value)
		} else if v.Description != "" {
			text = v.Description
		}
		d.cell(50, 5, label, 0)
		d.cell(0, 5, text, 1)
	}
	pdf.SetFont("Helvetica", "", 9)
	d.cell(50, 5, fmt.Sprintf("Punti fatturati: %d", len(t.Points)), 1)
	pdf.Ln(3)
}

func euro(v decimal.Decimal) string { return "€ " + formatItalian(v, 2) }

// Column widths of the charge table, in mm; they add up to 190.
var chargeColumns = []struct {
	title string
	width float64
	align string
}{
	{"Componente", 34, "L"}, {"Scagl.", 12, "C"}, {"Periodo", 38, "L"}, {"Quantità", 28, "R"},
	{"Unità", 22, "L"}, {"Prezzo unitario", 28, "R"}, {"Importo", 28, "R"},
}

func (d *facsimile) point(t *TransportInvoice, p *Point) {
	pdf := d.pdf
	if _, y := pdf.GetXY(); y > 250 {
		pdf.AddPage()
	}
	pdf.SetFont("Helvetica", "B", 10)
	pdf.SetFillColor(230, 230, 230)
	label := "POD "
	if t.Commodity == Gas {
		label = "PDR "
	}
	pdf.CellFormat(0, 6, d.tr(label+p.Code), "", 1, "L", true, 0, "")
	pdf.SetFont("Helvetica", "", 8)
	if info := pointInfo(p); info != "" {
		d.cell(0, 4, info, 1)
	}

	d.chargeHeader()
	pdf.SetFont("Helvetica", "", 8)
	for _, c := range p.Charges {
		if _, y := pdf.GetXY(); y > 275 {
			pdf.AddPage()
			d.chargeHeader()
			pdf.SetFont("Helvetica", "", 8)
		}
		values := []string{c.Component, c.Bracket, italianDate(c.From) + " - " + italianDate(c.To),
			formatQuantity(c.Quantity), c.Unit, formatQuantity(c.UnitPrice), formatItalian(c.Amount.Value, 2)}
		for i, col := range chargeColumns {
			pdf.CellFormat(col.width, 5, d.tr(values[i]), "B", 0, col.align, false, 0, "")
		}
		pdf.Ln(-1)
	}

	pdf.SetFont("Helvetica", "B", 8)
	pdf.CellFormat(162, 5, d.tr("Totale "+label+p.Code), "", 0, "R", false, 0, "")
	pdf.CellFormat(28, 5, d.tr(formatItalian(p.PointTotal(), 2)), "", 1, "R", false, 0, "")
	pdf.Ln(3)
}

func (d *facsimile) chargeHeader() {
	d.pdf.SetFont("Helvetica", "B", 8)
	for _, col := range chargeColumns {
		d.pdf.CellFormat(col.width, 5, d.tr(col.title), "B", 0, col.align, false, 0, "")
	}
	d.pdf.Ln(-1)
}

func pointInfo(p *Point) string {
	var parts []string
	if e := p.Electricity; e != nil {
		if e.Voltage.Set {
			parts = append(parts, "tensione "+formatQuantity(e.Voltage)+" V")
		}
		if e.CommittedPower.Set {
			parts = append(parts, "potenza impegnata "+formatQuantity(e.CommittedPower)+" kW")
		}
		if e.AvailablePower.Set {
			parts = append(parts, "potenza disponibile "+formatQuantity(e.AvailablePower)+" kW")
		}
		if e.ContractType != "" {
			parts = append(parts, "tipologia "+e.ContractType)
		}
		if e.TariffCode != "" {
			parts = append(parts, "tariffa "+e.TariffCode)
		}
		if e.Resident != "" {
			parts = append(parts, "residente "+e.Resident)
		}
	}
	if g := p.Gas; g != nil {
		if g.Municipality != "" {
			parts = append(parts, "comune "+g.Municipality)
		}
		if g.MeterClass != "" {
			parts = append(parts, "misuratore "+g.MeterClass)
		}
		if g.PDRType != "" {
			parts = append(parts, "tipo "+g.PDRType)
		}
		if g.REMIPool != "" {
			parts = append(parts, "REMI "+g.REMIPool)
		}
	}
	out := ""
	for i, s := range parts {
		if i > 0 {
			out += ", "
		}
		out += s
	}
	return out
}
