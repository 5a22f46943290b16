package accise

import (
	"fmt"
	"io"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"github.com/bludispatcher/dispatcher/internal/anomaly"
)

// Sheet names of the control report.
const (
	SheetSummary    = "Riepilogo"
	SheetFrames     = "Quadri"
	SheetComparison = "Confronto"
	SheetAnomalies  = "Anomalie"
	SheetRows       = "Righe incerte"
)

// ReportInput is the content of the control report.
type ReportInput struct {
	// Computation gives the computed and billed tax.
	Computation *Computation
	// Electricity are the electricity declarations.
	Electricity []*ElectricityDeclaration
	// Gas are the gas declarations.
	Gas []*GasDeclaration
	// Anomalies are listed as they are.
	Anomalies anomaly.List
	// Options give the period, the layout and the territory.
	Options DeclareOptions
}

// WriteReport writes the control report as an XLSX workbook with six
// sheets. They list the liquidated tax per ambito and chapter as written in
// the XML, every frame row, and the computed and billed tax per province
// with their difference. The comparison sheet has separate rows for
// corrections a debito and a credito and for the frame's rounding, so its
// TOTALE rows equal the XML's accisa liquidata. The next two sheets list
// the anomalies and the frame rows whose number is not confirmed. The last
// one lists the computed tax that no frame declares.
func WriteReport(w io.Writer, in ReportInput) error {
	f := excelize.NewFile()
	defer f.Close()
	steps := []struct {
		sheet string
		fill  func(*excelize.File, string, ReportInput) error
	}{
		{SheetSummary, fillSummary},
		{SheetFrames, fillFrames},
		{SheetComparison, fillComparison},
		{SheetAnomalies, fillAnomalies},
		{SheetRows, fillUncertainRows},
		{SheetUndeclared, fillUndeclared},
	}
	for i, s := range steps {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", s.sheet); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(s.sheet); err != nil {
			return err
		}
		if err := s.fill(f, s.sheet, in); err != nil {
			return fmt.Errorf("accise: writing sheet %s: %w", s.sheet, err)
		}
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("accise: writing report: %w", err)
	}
	return nil
}

// rows writes a header and rows from A1 on.
func rows(f *excelize.File, sheet string, header []any, data [][]any) error {
	all := append([][]any{header}, data...)
	for i, r := range all {
		cell, err := excelize.CoordinatesToCellName(1, i+1)
		if err != nil {
			return err
		}
		if err := f.SetSheetRow(sheet, cell, &r); err != nil {
			return err
		}
	}
	return nil
}

func num(d decimal.Decimal) float64 {
	v, _ := d.Float64()
	return v
}

func fillSummary(f *excelize.File, sheet string, in ReportInput) error {
	var data [][]any
	for _, d := range in.Electricity {
		for _, q := range append(append([]SummaryFrame(nil), d.Q...), d.X...) {
			area := q.Ambito + q.Province
			for _, r := range q.Rows {
				data = append(data, []any{"EE", area, q.Chapter, frameLabel(Electricity, "Q", r.Row, in), r.Row, num(r.Amount.Decimal)})
			}
		}
	}
	for _, d := range in.Gas {
		for _, group := range []struct {
			frame  string
			frames []SummaryFrame
		}{{"X", d.X}, {"L", d.L}, {"N", d.N}, {"P", d.P}} {
			for _, s := range group.frames {
				area := s.Ambito + s.Province
				for _, r := range s.Rows {
					data = append(data, []any{"GN", area, s.Chapter, group.frame + ": " + frameLabel(Gas, group.frame, r.Row, in), r.Row, num(r.Amount.Decimal)})
				}
			}
		}
	}
	return rows(f, sheet, []any{"Prodotto", "Ambito o provincia", "Capitolo", "Voce", "Rigo", "Importo"}, data)
}

func frameLabel(c Commodity, frame string, row int, in ReportInput) string {
	for _, def := range in.Options.layout().Frame(c, frame).Rows {
		if def.Row == row {
			return def.Label
		}
	}
	return ""
}

func fillFrames(f *excelize.File, sheet string, in ReportInput) error {
	var data [][]any
	liq := func(c, frame string, lf LiquidationFrame) {
		for _, r := range lf.Rows {
			if len(r.Details) == 0 {
				data = append(data, []any{c, frame, lf.Province, lf.Chapter, r.Row, r.Kind, "", "", num(r.Total.Decimal)})
			}
			for _, det := range r.Details {
				data = append(data, []any{c, frame, lf.Province, lf.Chapter, r.Row, r.Kind, num(det.Quantity.Decimal), det.Rate.StringFixed(7), num(Round(det.Quantity.Mul(det.Rate.Decimal)))})
			}
		}
	}
	for _, d := range in.Electricity {
		for _, group := range []struct {
			frame  string
			frames []ConsumptionFrame
		}{{"J", d.J}, {"L", d.L}, {"M", d.M}} {
			for _, cf := range group.frames {
				for _, r := range cf.Rows {
					data = append(data, []any{"EE", group.frame, cf.Province, cf.Municipality, r.Row, r.Supplies, num(r.Commercial.Decimal), "", ""})
				}
			}
		}
		for _, p := range d.P {
			liq("EE", "P", p)
		}
	}
	for _, d := range in.Gas {
		for _, group := range []struct {
			frame  string
			frames []GasBilledFrame
		}{{"E", d.E}, {"F", d.F}, {"G", d.G}} {
			for _, gf := range group.frames {
				for _, r := range gf.Rows {
					data = append(data, []any{"GN", group.frame, gf.Province, gf.Municipality + gf.ClimateZone, r.Row, r.Supplies, num(r.Quantity.Decimal), "", ""})
				}
			}
		}
		for _, i := range d.I {
			liq("GN", "I", i)
		}
		for _, group := range []struct {
			frame  string
			frames []SurchargeFrame
		}{{"M", d.M}, {"O", d.O}} {
			for _, sf := range group.frames {
				for _, r := range sf.Rows {
					for _, det := range r.Details {
						data = append(data, []any{"GN", group.frame, sf.Province, r.ClimateZone, r.Row, 0, num(det.Quantity.Decimal), det.Rate.StringFixed(7), num(Round(det.Quantity.Mul(det.Rate.Decimal)))})
					}
				}
				for _, t := range sf.Totals {
					data = append(data, []any{"GN", group.frame, sf.Province, "", t.Row, t.Kind, "", "", num(t.Amount.Decimal)})
				}
			}
		}
	}
	return rows(f, sheet, []any{"Prodotto", "Quadro", "Provincia", "Comune, capitolo o fascia", "Rigo", "Utenze o tipo rigo", "Quantità", "Aliquota", "Importo"}, data)
}

func fillAnomalies(f *excelize.File, sheet string, in ReportInput) error {
	var data [][]any
	for _, a := range in.Anomalies {
		data = append(data, []any{a.Code, a.Severity.String(), a.File, a.Line, a.Key, a.Field, a.Value, a.Message})
	}
	return rows(f, sheet, []any{"Codice", "Gravità", "File", "Riga", "POD/PDR", "Campo", "Valore", "Descrizione e correzione"}, data)
}

func fillUncertainRows(f *excelize.File, sheet string, in ReportInput) error {
	var data [][]any
	l := in.Options.layout()
	for _, c := range []Commodity{Electricity, Gas} {
		for _, s := range l.Uncertain(c) {
			data = append(data, []any{c.String(), s})
		}
	}
	return rows(f, sheet, []any{"Prodotto", "Rigo il cui numero non è confermato"}, data)
}
