package accise

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/internal/civil"
)

// provincePayments returns electricity payments of tax year 2021, when each
// province had its own account, all due on 16 March 2021.
func provincePayments(n int) []Payment {
	provs := []string{"TO", "MI", "GE", "BO", "FI", "RM", "NA", "BA", "PA", "CA"}
	var out []Payment
	for i := range n {
		out = append(out, Payment{Account: Account{Company: "IT00RMA00001A", Tax: TaxElectricity, Area: provs[i%len(provs)]},
			Period: civil.Month{Year: 2021, Month: time.March}, Due: ymd(2021, 3, 16),
			Amount: dec("1000"), ToPay: dec("1000.50")})
	}
	return out
}

func TestF24FormsSplit(t *testing.T) {
	forms, err := F24Forms(provincePayments(10), F24Options{Payer: F24Payer{FiscalCode: "01234567890", Name: "Esempio"}})
	require.NoError(t, err)
	require.Len(t, forms, 2, "ten rows need two forms of six")
	assert.Len(t, forms[0].Rows, 6)
	assert.Len(t, forms[1].Rows, 4)
	assert.Equal(t, 2, forms[1].Number)
	assert.Equal(t, 2, forms[1].Of)
	assert.Equal(t, "6003.00", forms[0].Total().StringFixed(2))
	row := forms[0].Rows[0]
	assert.Equal(t, "D", row.Ente)
	assert.Equal(t, "2806", row.TaxCode)
	assert.Equal(t, 3, row.Month)
	assert.Equal(t, 2021, row.Year)
	assert.Contains(t, row.Uncertain, "ente (single-source)")
	assert.Contains(t, row.Uncertain, "codice tributo 2806 (single-source)")
}

func TestF24FormsNoVehicleCode(t *testing.T) {
	p := provincePayments(1)
	p[0].Account.Tax = TaxGasVehicle
	_, err := F24Forms(p, F24Options{})
	assert.ErrorIs(t, err, ErrNoF24Code)
}

func TestF24PDFText(t *testing.T) {
	pdftotext, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdftotext not found: install poppler-utils (CI=true)")
		}
		t.Skip("pdftotext not found")
	}
	forms, err := F24Forms(provincePayments(7), F24Options{Payer: F24Payer{FiscalCode: "01234567890", Name: "Esempio Luce S.r.l."}})
	require.NoError(t, err)
	var buf bytes.Buffer
	var w F24Writer = F24PDF{}
	require.NoError(t, w.WriteF24(&buf, forms))
	dir := t.TempDir()
	name := filepath.Join(dir, "f24.pdf")
	require.NoError(t, os.WriteFile(name, buf.Bytes(), 0o600))
	out, err := exec.Command(pdftotext, "-layout", name, "-").Output()
	require.NoError(t, err)
	text := string(out)
	assert.Contains(t, text, "Modulo 1 di 2")
	assert.Contains(t, text, "Modulo 2 di 2")
	assert.Contains(t, text, "Esempio Luce S.r.l.")
	assert.Equal(t, 7, strings.Count(text, "IT00RMA00001A"), "every row printed")
	assert.Contains(t, text, "6003.00")
	assert.Contains(t, text, "1000.50")
}
