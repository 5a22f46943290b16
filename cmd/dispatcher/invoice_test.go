package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/bludispatcher/dispatcher/edi"
)

var (
	invoiceFixture = filepath.Join("..", "..", "edi", "testdata", "transport-invoice.xml")
	detailFixture  = filepath.Join("..", "..", "edi", "testdata", "transport-detail.xml")
)

func TestInvoiceInspectFatturaPA(t *testing.T) {
	var out, errOut bytes.Buffer
	code := run([]string{"invoice", "inspect", invoiceFixture}, &out, &errOut)
	assert.Equal(t, 0, code, errOut.String())
	text := out.String()
	assert.Contains(t, text, "transport-invoice.xml: FatturaPA FPR12, 1 invoice(s)")
	assert.Contains(t, text, "supplier Rete Elettrica Esempio S.p.A. (IT01234567890)")
	assert.Contains(t, text, "TD01 TR-2025-0001 of 2025-02-10: invoice, taxable 4632.59, VAT 1019.17, total 5651.76")
	assert.Contains(t, text, "attached detail: electricity invoice TR-2025-0001")
	assert.Contains(t, text, "cycle (C)")
	assert.Contains(t, text, "3 point(s)")
	assert.Contains(t, text, "0 anomalies")
}

func TestInvoiceInspectReportsBlockingAnomaly(t *testing.T) {
	data, err := os.ReadFile(detailFixture)
	require.NoError(t, err)
	bad := strings.Replace(string(data), "<DPeriodoCompetenzaA>2025-01-31</DPeriodoCompetenzaA>",
		"<DPeriodoCompetenzaA>2024-12-31</DPeriodoCompetenzaA>", 1)
	path := filepath.Join(t.TempDir(), "detail.xml")
	require.NoError(t, os.WriteFile(path, []byte(bad), 0o600))

	var out, errOut bytes.Buffer
	code := run([]string{"invoice", "inspect", path}, &out, &errOut)
	assert.Equal(t, 1, code)
	assert.Contains(t, out.String(), "detail.xml: transport detail flow, 1 invoice(s)")
	assert.Contains(t, out.String(), "1 anomalies")
	assert.Contains(t, out.String(), "blocking EDI-VALUE IT001E00000001 PeriodoA=\"2024-12-31\"")
}

func TestInvoiceInspectMissingFile(t *testing.T) {
	var out, errOut bytes.Buffer
	assert.Equal(t, 1, run([]string{"invoice", "inspect", "no-such-invoice.xml"}, &out, &errOut))
	assert.Contains(t, errOut.String(), "no-such-invoice.xml")
}

func TestInvoiceUsage(t *testing.T) {
	var out, errOut bytes.Buffer
	assert.Equal(t, 2, run([]string{"invoice"}, &out, &errOut))
	assert.Contains(t, errOut.String(), "usage: dispatcher invoice")
	errOut.Reset()
	assert.Equal(t, 2, run([]string{"invoice", "print"}, &out, &errOut))
	assert.Contains(t, errOut.String(), `unknown subcommand "print"`)
	errOut.Reset()
	assert.Equal(t, 2, run([]string{"invoice", "inspect"}, &out, &errOut))
	assert.Contains(t, errOut.String(), "no FILE given")
	errOut.Reset()
	assert.Equal(t, 0, run([]string{"invoice", "pdf", "-h"}, &out, &errOut))
	assert.Contains(t, errOut.String(), "-pod code")
}

func pdfToText(t *testing.T, path string) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdftotext not found: install poppler-utils (CI=true)")
		}
		t.Skip("pdftotext not found: install poppler-utils to run this test")
	}
	out, err := exec.Command(bin, "-layout", "-enc", "UTF-8", path, "-").CombinedOutput()
	require.NoError(t, err, string(out))
	return string(out)
}

func TestInvoicePDF(t *testing.T) {
	dir := t.TempDir()
	full := filepath.Join(dir, "full.pdf")
	var out, errOut bytes.Buffer
	require.Equal(t, 0, run([]string{"invoice", "pdf", "-o", full, invoiceFixture}, &out, &errOut), errOut.String())
	text := pdfToText(t, full)
	assert.Contains(t, text, "Fac-simile fattura di trasporto energia elettrica")
	assert.Contains(t, text, "POD IT001E00000003")
	assert.Contains(t, text, "€ 5.651,76")

	one := filepath.Join(dir, "one.pdf")
	require.Equal(t, 0, run([]string{"invoice", "pdf", "-o", one, "-pod", "IT001E00000002", detailFixture}, &out, &errOut), errOut.String())
	text = pdfToText(t, one)
	assert.Contains(t, text, "Estratto per il punto IT001E00000002")
	assert.NotContains(t, text, "POD IT001E00000001")

	out.Reset()
	require.Equal(t, 0, run([]string{"invoice", "pdf", "-o", "-", detailFixture}, &out, &errOut))
	assert.True(t, bytes.HasPrefix(out.Bytes(), []byte("%PDF-")))

	errOut.Reset()
	assert.Equal(t, 1, run([]string{"invoice", "pdf", "-o", one, "-number", "X", detailFixture}, &out, &errOut))
	assert.Contains(t, errOut.String(), `invoice "X" not found: the file contains TR-2025-0001`)
	errOut.Reset()
	assert.Equal(t, 2, run([]string{"invoice", "pdf", detailFixture}, &out, &errOut))
	assert.Contains(t, errOut.String(), "give -o")
}

func TestInvoiceJournalCSV(t *testing.T) {
	var out, errOut bytes.Buffer
	code := run([]string{"invoice", "journal", invoiceFixture, detailFixture}, &out, &errOut)
	require.Equal(t, 0, code, errOut.String())
	r := csv.NewReader(&out)
	r.Comma = ';'
	rows, err := r.ReadAll()
	require.NoError(t, err)
	require.Greater(t, len(rows), 2)
	assert.Equal(t, "data", rows[0][0])
	supplier := 0
	for _, row := range rows[1:] {
		if row[5] == "40.10.001" {
			supplier++
			assert.Equal(t, "5651,76", row[8])
		}
	}
	assert.Equal(t, 2, supplier, "one payable per invoice")
}

func TestInvoiceJournalXLSXWithChart(t *testing.T) {
	dir := t.TempDir()
	chart := edi.DefaultChart()
	chart.Supplier = edi.Account{Account: "D-001", Description: "Fornitori rete"}
	chartPath := filepath.Join(dir, "chart.json")
	data, err := json.MarshalIndent(chart, "", "  ")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(chartPath, data, 0o600))

	xlsx := filepath.Join(dir, "journal.xlsx")
	var out, errOut bytes.Buffer
	code := run([]string{"invoice", "journal", "-format", "xlsx", "-chart", chartPath, "-o", xlsx, invoiceFixture}, &out, &errOut)
	require.Equal(t, 0, code, errOut.String())
	f, err := excelize.OpenFile(xlsx)
	require.NoError(t, err)
	defer f.Close()
	rows, err := f.GetRows(edi.JournalSheet)
	require.NoError(t, err)
	last := rows[len(rows)-1]
	assert.Equal(t, "D-001", last[5])

	errOut.Reset()
	assert.Equal(t, 2, run([]string{"invoice", "journal", "-format", "pdf", invoiceFixture}, &out, &errOut))
	assert.Contains(t, errOut.String(), `invalid -format "pdf"`)
}

func TestInvoiceCosts(t *testing.T) {
	dir := t.TempDir()
	billed := filepath.Join(dir, "billed.csv")
	require.NoError(t, os.WriteFile(billed, []byte("pod;mese;importo\nIT001E00000001;2025-01;100,00\n"), 0o600))
	xlsx := filepath.Join(dir, "costs.xlsx")
	var out, errOut bytes.Buffer
	code := run([]string{"invoice", "costs", "-o", xlsx, "-billed", billed, invoiceFixture}, &out, &errOut)
	require.Equal(t, 0, code, errOut.String())
	f, err := excelize.OpenFile(xlsx)
	require.NoError(t, err)
	defer f.Close()
	rows, err := f.GetRows(edi.CostPointSheet)
	require.NoError(t, err)
	require.Len(t, rows, 4)
	assert.Equal(t, []string{"IT001E00000001", "2025-01", "68.17"}, rows[1][:3])
	assert.Equal(t, "31.83", rows[1][8], "margin on the billed amount")

	errOut.Reset()
	assert.Equal(t, 2, run([]string{"invoice", "costs", invoiceFixture}, &out, &errOut))
	assert.Contains(t, errOut.String(), "no -o given")
}
