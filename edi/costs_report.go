package edi

import (
	"fmt"
	"io"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
)

// Sheet names of the cost report.
const (
	CostPointSheet     = "Costi per POD"
	CostComponentSheet = "Costi per componente"
)

// WriteCostReportXLSX writes the analysis as an XLSX workbook with two
// sheets: CostPointSheet (one row per point and month, with the previous
// month, the amount billed to the customer and the margin) and
// CostComponentSheet (one row per point, month and component, with
// quantity, unit cost and previous month). Headers are in Italian and
// amounts are numeric cells written from their exact decimal text.
func WriteCostReportXLSX(w io.Writer, a *CostAnalysis) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", CostPointSheet); err != nil {
		return err
	}
	if _, err := f.NewSheet(CostComponentSheet); err != nil {
		return err
	}
	points := [][]cellValue{{
		text("POD/PDR"), text("mese"), text("costo trasporto"), text("energia kWh"), text("costo per kWh"),
		text("mese precedente"), text("variazione"), text("fatturato al cliente"), text("margine"),
	}}
	for _, p := range a.Points {
		points = append(points, []cellValue{
			text(p.Point), text(p.Month.String()), num(p.Amount, 2), optNum(p.EnergyKWh, !p.EnergyKWh.IsZero(), 3),
			optNum(p.CostPerKWh, !p.EnergyKWh.IsZero(), 6), optNum(p.Previous, p.HasPrevious, 2),
			optNum(p.Amount.Sub(p.Previous), p.HasPrevious, 2), optNum(p.Billed, p.HasBilled, 2), optNum(p.Margin(), p.HasBilled, 2),
		})
	}

	components := [][]cellValue{{
		text("POD/PDR"), text("mese"), text("componente"), text("gruppo"), text("importo"), text("quantità"),
		text("unità"), text("costo unitario"), text("mese precedente"), text("variazione"),
	}}
	for _, c := range a.Components {
		components = append(components, []cellValue{
			text(c.Point), text(c.Month.String()), text(c.Component), text(string(c.Group)), num(c.Amount, 2),
			num(c.Quantity, 3), text(c.Unit), optNum(c.UnitCost, c.HasUnitCost, 6), optNum(c.Previous, c.HasPrevious, 2),
			optNum(c.Change(), c.HasPrevious, 2),
		})
	}

	if err := writeRows(f, CostPointSheet, points); err != nil {
		return err
	}
	if err := writeRows(f, CostComponentSheet, components); err != nil {
		return err
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("writing XLSX cost report: %w", err)
	}
	return nil
}

type cellValue struct {
	value  string
	number bool
}

func text(s string) cellValue { return cellValue{value: s} }

func num(d decimal.Decimal, places int32) cellValue {
	return cellValue{value: d.StringFixed(places), number: true}
}

func optNum(d decimal.Decimal, ok bool, places int32) cellValue {
	if !ok {
		return cellValue{}
	}
	return num(d, places)
}

func writeRows(f *excelize.File, sheet string, rows [][]cellValue) error {
	for r, row := range rows {
		for c, v := range row {
			if err := setCell(f, sheet, c, r+1, v.value, v.number); err != nil {
				return err
			}
		}
	}
	return nil
}
