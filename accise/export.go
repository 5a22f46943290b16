package accise

import (
	"encoding/csv"
	"io"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/internal/itnum"
)

// lineColumns is the header of WriteLinesCSV, the column names of the
// "dispatcher" import profile.
var lineColumns = []string{
	"codice_ditta", "pod_pdr", "codice_fiscale", "prodotto", "categoria_uso", "residente", "potenza_kw",
	"provincia", "codice_catastale", "zona_climatica", "ex_casmez", "data_inizio", "data_fine",
	"quantita", "accisa_fatturata", "addizionale_fatturata", "tipo_documento", "numero_documento", "piva_distributore",
	"data_documento",
}

// LineCSVWriter writes billing lines in the format of the "dispatcher"
// import profile: semicolons, Italian dates and decimal commas. Absent
// optional values stay empty, so the file reads back into equal lines.
type LineCSVWriter struct {
	w      *csv.Writer
	header bool
}

// NewLineCSVWriter returns a writer; the header is written with the first
// line, or by Flush when there are none.
func NewLineCSVWriter(w io.Writer) *LineCSVWriter {
	cw := csv.NewWriter(w)
	cw.Comma = ';'
	return &LineCSVWriter{w: cw}
}

func (lw *LineCSVWriter) writeHeader() error {
	if lw.header {
		return nil
	}
	lw.header = true
	return lw.w.Write(lineColumns)
}

// Write writes one line.
func (lw *LineCSVWriter) Write(l Line) error {
	if err := lw.writeHeader(); err != nil {
		return err
	}
	commodity := "EE"
	if l.Commodity == Gas {
		commodity = "GN"
	}
	return lw.w.Write([]string{
		l.Company, l.Supply, l.Customer, commodity, string(l.Use), yesNo(l.Resident), optionalNumber(l.PowerKW),
		l.Province, l.Municipality, l.ClimateZone, location(l), l.From.Italian(), l.To.Italian(),
		number(l.Quantity), optionalNumber(l.BilledExcise), optionalNumber(l.BilledSurcharge), string(l.Kind), l.Document, l.Distributor,
		optionalDate(l.Issued),
	})
}

// Flush writes the header if nothing was written and flushes the buffer.
func (lw *LineCSVWriter) Flush() error {
	if err := lw.writeHeader(); err != nil {
		return err
	}
	lw.w.Flush()
	return lw.w.Error()
}

func yesNo(b *bool) string {
	switch {
	case b == nil:
		return ""
	case *b:
		return "S"
	}
	return "N"
}

func location(l Line) string {
	if l.Commodity != Gas {
		return ""
	}
	return l.Location()
}

// number writes d with a decimal comma and as many decimals as it has.
func number(d decimal.Decimal) string {
	places := max(-d.Exponent(), 0)
	return strings.TrimSuffix(itnum.FormatDecimal(d, places), ",")
}

func optionalDate(d civil.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.Italian()
}

func optionalNumber(d *decimal.Decimal) string {
	if d == nil {
		return ""
	}
	return number(*d)
}
