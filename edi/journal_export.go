package edi

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
)

// journalColumns are the columns of the CSV and XLSX exports.
var journalColumns = []string{"data", "numero", "tipo", "piva_fornitore", "fornitore", "conto", "descrizione", "dare", "avere"}

func journalRow(e *JournalEntry, l JournalLine) []string {
	return []string{e.Date.String(), e.Number, e.Kind.String(), e.SupplierVAT, e.SupplierName, l.Account, l.Description,
		amountText(l.Debit), amountText(l.Credit)}
}

func amountText(d decimal.Decimal) string {
	if d.IsZero() {
		return ""
	}
	return d.StringFixed(2)
}

// journalTextColumns are the CSV columns whose text comes from the
// distributor's file or the chart of accounts: number, supplier VAT and
// name, account and description.
var journalTextColumns = []int{1, 3, 4, 5, 6}

// escapeFormula prefixes an apostrophe to text that a spreadsheet would
// run as a formula: text starting with =, +, -, @, a tab or a carriage
// return.
func escapeFormula(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// WriteJournalCSV writes the entries as CSV, one row per journal line,
// with a header row. Fields are separated by ';' and amounts use a decimal
// comma, as Italian accounting imports expect; the date is yyyy-MM-dd.
// Text that a spreadsheet would run as a formula gets a leading apostrophe.
func WriteJournalCSV(w io.Writer, entries []JournalEntry) error {
	cw := csv.NewWriter(w)
	cw.Comma = ';'
	if err := cw.Write(journalColumns); err != nil {
		return err
	}
	for i := range entries {
		for _, l := range entries[i].Lines {
			row := journalRow(&entries[i], l)
			for _, col := range journalTextColumns {
				row[col] = escapeFormula(row[col])
			}
			row[7] = strings.Replace(row[7], ".", ",", 1)
			row[8] = strings.Replace(row[8], ".", ",", 1)
			if err := cw.Write(row); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// JournalSheet is the sheet name of the XLSX export.
const JournalSheet = "Prima nota"

// WriteJournalXLSX writes the entries as an XLSX workbook with one sheet,
// JournalSheet, one row per journal line. Amounts are numeric cells
// written from their exact decimal text.
func WriteJournalXLSX(w io.Writer, entries []JournalEntry) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", JournalSheet); err != nil {
		return err
	}
	for col, name := range journalColumns {
		if err := setCell(f, JournalSheet, col, 1, name, false); err != nil {
			return err
		}
	}
	row := 2
	for i := range entries {
		for _, l := range entries[i].Lines {
			for col, v := range journalRow(&entries[i], l) {
				if err := setCell(f, JournalSheet, col, row, v, col >= 7); err != nil {
					return err
				}
			}
			row++
		}
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("writing XLSX journal: %w", err)
	}
	return nil
}

// setCell writes a value at a 0-based column and 1-based row. Numbers go
// through SetCellDefault, which stores the decimal text as a numeric cell
// without a float conversion.
func setCell(f *excelize.File, sheet string, col, row int, value string, number bool) error {
	cell, err := excelize.CoordinatesToCellName(col+1, row)
	if err != nil {
		return err
	}
	if number && value != "" {
		return f.SetCellDefault(sheet, cell, value)
	}
	return f.SetCellStr(sheet, cell, value)
}
