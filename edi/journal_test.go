package edi

import (
	"bytes"
	"encoding/csv"
	"os"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/bludispatcher/dispatcher/edi/edigen"
)

func lineOf(t *testing.T, e JournalEntry, account string) JournalLine {
	t.Helper()
	for _, l := range e.Lines {
		if l.Account == account {
			return l
		}
	}
	t.Fatalf("account %s not in entry %s: %+v", account, e.Number, e.Lines)
	return JournalLine{}
}

func TestJournalGeneratedInvoiceWithDetail(t *testing.T) {
	data, err := edigen.Example().FatturaPA()
	require.NoError(t, err)
	inv, err := ReadInvoice(bytes.NewReader(data))
	require.NoError(t, err)
	body := &inv.Bodies[0]
	details, _ := DetailsFromInvoice(body, nil, "")
	require.Len(t, details, 1)

	e := JournalForInvoice(&inv.Header, body, details[0], JournalOptions{})
	assert.True(t, e.Balanced(), e.Lines)
	assert.Equal(t, "TR-2025-0001", e.Number)
	assert.Equal(t, "01234567890", e.SupplierVAT)

	// TRAS of the three PODs: 13.26 + 2.69 + 1060.74.
	assertDec(t, "1076.69", lineOf(t, e, "70.10.010").Debit, "transport")
	// ASOS + ARIM.
	assertDec(t, "3161.89", lineOf(t, e, "70.10.040").Debit, "system charges")
	// MIS, 1.72 per POD.
	assertDec(t, "5.16", lineOf(t, e, "70.10.030").Debit, "metering")
	_, vat, total := edigen.Example().Totals()
	assertDec(t, vat.String(), lineOf(t, e, "18.20.022").Debit, "VAT 22%")
	assertDec(t, total.String(), lineOf(t, e, "40.10.001").Credit, "supplier")
	for _, l := range e.Lines {
		assert.NotEqual(t, "70.90.001", l.Account, "no rounding when the detail ties")
	}

	without := JournalForInvoice(&inv.Header, body, nil, JournalOptions{})
	assert.True(t, without.Balanced())
	assert.Equal(t, e.Lines, without.Lines, "line codes give the same split")
}

func TestJournalBalancesForEveryInvoice(t *testing.T) {
	var entries []JournalEntry
	for _, name := range []string{"invoice-simple.xml", "invoice-credit-note.xml", "invoice-services-period.xml", "invoice-reverse-charge.xml"} {
		inv := readSample(t, name)
		for i := range inv.Bodies {
			entries = append(entries, JournalForInvoice(&inv.Header, &inv.Bodies[i], nil, JournalOptions{}))
		}
	}
	hand, err := ReadInvoice(bytes.NewReader(handMade(t)))
	require.NoError(t, err)
	for i := range hand.Bodies {
		entries = append(entries, JournalForInvoice(&hand.Header, &hand.Bodies[i], nil, JournalOptions{}))
	}
	spec := edigen.Example()
	spec.Sign, spec.Number = -1, "TR-2025-0002"
	body, detail := generatedPair(t, spec)
	entries = append(entries, JournalForInvoice(&InvoiceHeader{}, body, detail, JournalOptions{}))
	entries = append(entries, JournalForTransport(detail, JournalOptions{}))

	f, err := os.Open(gasSample(t))
	require.NoError(t, err)
	defer f.Close()
	gas, err := ReadGas(f, nil)
	require.NoError(t, err)
	entries = append(entries, JournalForTransport(gas, JournalOptions{}))

	require.Len(t, entries, 9)
	for _, e := range entries {
		d, c := e.Totals()
		assert.Truef(t, d.Equal(c), "%s: debit %s, credit %s", e.Number, d, c)
		assert.Truef(t, d.IsPositive(), "%s has no amounts", e.Number)
		for _, l := range e.Lines {
			assert.Truef(t, l.Debit.IsZero() != l.Credit.IsZero(), "%s %s: one side only", e.Number, l.Account)
			assert.False(t, l.Debit.IsNegative() || l.Credit.IsNegative(), "no negative amounts")
		}
	}
}

func TestJournalCreditNoteSwapsSides(t *testing.T) {
	inv := readSample(t, "invoice-credit-note.xml")
	e := JournalForInvoice(&inv.Header, &inv.Bodies[0], nil, JournalOptions{})
	assert.Equal(t, KindCreditNote, e.Kind)
	// DatiRiepilogo is the basis: the document-level discounts of the sample
	// change ImportoTotaleDocumento only.
	assertDec(t, "2076.40", lineOf(t, e, "40.10.001").Debit, "supplier debited")
	assertDec(t, "356.40", lineOf(t, e, "18.20.022").Credit, "VAT credited")
	assertDec(t, "1720.00", lineOf(t, e, "70.10.090").Credit, "costs credited")
}

func TestJournalNegativeInvoiceSwapsSides(t *testing.T) {
	hand, err := ReadInvoice(bytes.NewReader(handMade(t)))
	require.NoError(t, err)
	e := JournalForInvoice(&hand.Header, &hand.Bodies[0], nil, JournalOptions{})
	assertDec(t, "122.00", lineOf(t, e, "40.10.001").Debit, "supplier debited")
	assertDec(t, "100.00", lineOf(t, e, "70.10.020").Credit, "distribution credited")
	assertDec(t, "22.00", lineOf(t, e, "18.20.022").Credit, "VAT credited")
}

func TestJournalRoundingTakesDetailDifference(t *testing.T) {
	body, detail := generatedPair(t, edigen.Example())
	detail.Points[0].Charges[0].Amount = NumberOf("13,20") // 6 cents less than invoiced
	e := JournalForInvoice(&InvoiceHeader{}, body, detail, JournalOptions{})
	assert.True(t, e.Balanced())
	assertDec(t, "0.06", lineOf(t, e, "70.90.001").Debit, "rounding")
}

func TestJournalGasVATPerCode(t *testing.T) {
	f, err := os.Open(gasSample(t))
	require.NoError(t, err)
	defer f.Close()
	gas, err := ReadGas(f, nil)
	require.NoError(t, err)
	e := JournalForTransport(gas, JournalOptions{})
	// DEBE items (10%): 130.97 + 237.75 + 238.12 = 606.84 → 60.68.
	assertDec(t, "60.68", lineOf(t, e, "18.20.010").Debit, "VAT 10%")
	assertDec(t, "5920.70", lineOf(t, e, "40.10.001").Credit, "supplier")
}

func TestLoadChartRejectsMissingAccounts(t *testing.T) {
	_, err := LoadChart(strings.NewReader(`{"supplier":{"account":"1"},"vatDefault":{"account":"2"},"rounding":{"account":"3"},"groups":{}}`))
	assert.ErrorContains(t, err, "groups.")
	_, err = LoadChart(strings.NewReader(`{"unknown":1}`))
	assert.Error(t, err)
	custom := DefaultChart()
	custom.Suppliers = map[string]Account{"01234567890": {Account: "40.10.777", Description: "Rete Esempio"}}
	body, detail := generatedPair(t, edigen.Example())
	e := JournalForInvoice(&InvoiceHeader{Supplier: Party{VATNumber: "01234567890"}}, body, detail, JournalOptions{Chart: custom})
	assert.NotZero(t, lineOf(t, e, "40.10.777").Credit)
}

func TestJournalExports(t *testing.T) {
	body, detail := generatedPair(t, edigen.Example())
	e := JournalForInvoice(&InvoiceHeader{Supplier: Party{VATNumber: "01234567890", CompanyName: "Rete"}}, body, detail, JournalOptions{})
	entries := []JournalEntry{e, JournalForTransport(detail, JournalOptions{})}

	var csvBuf bytes.Buffer
	require.NoError(t, WriteJournalCSV(&csvBuf, entries))
	r := csv.NewReader(&csvBuf)
	r.Comma = ';'
	rows, err := r.ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 1+len(entries[0].Lines)+len(entries[1].Lines))
	assert.Equal(t, journalColumns, rows[0])
	assert.Equal(t, []string{"2025-02-10", "TR-2025-0001", "invoice", "01234567890", "Rete", "70.10.010",
		"Costi di trasmissione", "1076,69", ""}, rows[1])

	var xlsxBuf bytes.Buffer
	require.NoError(t, WriteJournalXLSX(&xlsxBuf, entries))
	f, err := excelize.OpenReader(&xlsxBuf)
	require.NoError(t, err)
	defer f.Close()
	sheet, err := f.GetRows(JournalSheet)
	require.NoError(t, err)
	require.Len(t, sheet, len(rows))
	var debit, credit decimal.Decimal
	for _, row := range sheet[1:] {
		for len(row) < 9 {
			row = append(row, "")
		}
		if row[7] != "" {
			debit = debit.Add(decimal.RequireFromString(row[7]))
		}
		if row[8] != "" {
			credit = credit.Add(decimal.RequireFromString(row[8]))
		}
	}
	assert.True(t, debit.Equal(credit), "XLSX debit %s credit %s", debit, credit)
	cellType, err := f.GetCellType(JournalSheet, "H2")
	require.NoError(t, err)
	// A cell without a t attribute is numeric in OOXML.
	assert.Contains(t, []excelize.CellType{excelize.CellTypeUnset, excelize.CellTypeNumber}, cellType)
	value, err := f.GetCellValue(JournalSheet, "H2")
	require.NoError(t, err)
	assert.Equal(t, "1076.69", value)
}

// A supplier name or invoice number such as =HYPERLINK(...) comes from the
// distributor's file, and a spreadsheet that opens the CSV runs it as a
// formula unless the cell starts with an apostrophe.
func TestJournalCSVFormulaTextEscaped(t *testing.T) {
	entry := JournalEntry{
		Number: "=1+1", SupplierVAT: "01234567890", SupplierName: `=HYPERLINK("http://example.org","x")`,
		Lines: []JournalLine{
			{Account: "+70", Description: "@SUM(A1)", Debit: decimal.RequireFromString("10")},
			{Account: "40", Description: "-fornitore", Credit: decimal.RequireFromString("10")},
		},
	}
	var buf bytes.Buffer
	require.NoError(t, WriteJournalCSV(&buf, []JournalEntry{entry}))
	r := csv.NewReader(&buf)
	r.Comma = ';'
	rows, err := r.ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 3)
	assert.Equal(t, "'=1+1", rows[1][1])
	assert.Equal(t, "01234567890", rows[1][3])
	assert.Equal(t, `'=HYPERLINK("http://example.org","x")`, rows[1][4])
	assert.Equal(t, "'+70", rows[1][5])
	assert.Equal(t, "'@SUM(A1)", rows[1][6])
	assert.Equal(t, "10,00", rows[1][7], "amounts stay numbers")
	assert.Equal(t, "'-fornitore", rows[2][6])
}
