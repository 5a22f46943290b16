package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
)

const acciseMovements = `company;tax;area;date;period;kind;amount;source;reference;note
IT00BOG00123A;ee;IT;2025-03-10;;credit;6000.00;declaration;dichiarazione 2024;conguaglio a credito
IT00BOG00123A;ee;IT;2025-03-17;2025-03;due;9500.00;instalment;dichiarazione 2024;rata 03/2025
IT00BOG00123A;ee;IT;2025-04-16;2025-04;due;9500.00;instalment;dichiarazione 2024;rata 04/2025
IT00BOG00123A;arisgan;BO;2025-03-31;2025-03;due;1250.40;instalment;dichiarazione 2024;rata 03/2025
`

const acciseTransferConfig = `{
 "debtor": {"name": "Esempio Gas S.p.A.", "iban": "IT60X0542811101000000123456", "abi": "05428", "cuc": "1234567X", "fiscal_code": "01234567890"},
 "regions": {"EMR": {"name": "Regione Emilia-Romagna", "iban": "IT68I0760102400000000510404"}},
 "excise_codes": {"*": "IT00BOG00123A"}
}`

func acciseTempFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
	return path
}

func TestAcciseLedger(t *testing.T) {
	movements := acciseTempFile(t, "m.csv", acciseMovements)
	code, out, errOut := acciseRun("accise", "ledger", movements)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "IT00BOG00123A/ee/IT;19000.00;0.00;6000.00;6000.00;13000.00;0.00;0.00")
	assert.Contains(t, errOut, "residuo credito 0.00, da versare 3500.00")
}

func TestAccisePay(t *testing.T) {
	movements := acciseTempFile(t, "m.csv", acciseMovements)
	config := acciseTempFile(t, "c.json", acciseTransferConfig)
	dir := t.TempDir()
	code, out, errOut := acciseRun("accise", "pay", "-config", config, "-payer-cf", "01234567890", "-payer-name", "Esempio",
		"-from", "2025-03-01", "-to", "2025-03-31", "-out", dir, movements)
	require.Equal(t, 0, code, errOut)
	files := strings.Fields(out)
	require.Len(t, files, 3, "one F24 PDF, one CBI and one pain.001 file")
	assert.Equal(t, "F24_accise.pdf", filepath.Base(files[0]))
	assert.Equal(t, "CBI_ACCISE-20250331.xml", filepath.Base(files[1]))
	cbi, err := os.ReadFile(files[1])
	require.NoError(t, err)
	assert.Contains(t, string(cbi), "<Ustrd>ARISGAN 03/2025 BO IT00BOG00123A</Ustrd>")
}

func TestAccisePayNeedsConfig(t *testing.T) {
	movements := acciseTempFile(t, "m.csv", acciseMovements)
	code, _, errOut := acciseRun("accise", "pay", "-out", t.TempDir(), movements)
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "give -config")
}

func TestAcciseCredits(t *testing.T) {
	movements := acciseTempFile(t, "m.csv", acciseMovements+
		"IT00BOG00123A;gn-combustion;IT;2025-03-31;;credit;800.00;declaration;dichiarazione 2024;\n")
	out := filepath.Join(t.TempDir(), "credits.xlsx")
	code, _, errOut := acciseRun("accise", "credits", "-from", "2025-01-01", "-to", "2025-12-31",
		"-last-declaration", "2025-03-10", "-on", "2027-01-15", "-o", out, movements)
	assert.Equal(t, 0, code, errOut)
	assert.Contains(t, errOut, "refund-deadline-near")
	assert.Contains(t, errOut, "gn-combustion")
	f, err := excelize.OpenFile(out)
	require.NoError(t, err)
	defer f.Close()
	rows, err := f.GetRows("Crediti residui")
	require.NoError(t, err)
	assert.Len(t, rows, 3)
}
