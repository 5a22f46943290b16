package accise

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/internal/testref"
)

func TestValidateIBAN(t *testing.T) {
	tests := []struct {
		iban string
		ok   bool
	}{
		{"IT60X0542811101000000123456", true},
		{"IT60 X054 2811 1010 0000 0123 456", true},
		{"IT61X0542811101000000123456", false},
		{"IT60X054281110100000012345", false},
		{"IT60X05428111010000001234-6", false},
		{"DE89370400440532013000", true},
	}
	for _, tt := range tests {
		err := ValidateIBAN(tt.iban)
		if tt.ok {
			assert.NoError(t, err, tt.iban)
		} else {
			assert.ErrorIs(t, err, ErrIBAN, tt.iban)
		}
	}
}

func TestPaymentReference(t *testing.T) {
	ref, err := PaymentReference("", TaxArisgan, civil.Month{Year: 2026, Month: 3}, "BO", "IT00BOG00123A")
	require.NoError(t, err)
	assert.Equal(t, "ARISGAN 03/2026 BO IT00BOG00123A", ref)
	_, err = PaymentReference("", TaxArisgan, civil.Month{Year: 2026, Month: 3}, "BO", "IT00BOG0012")
	assert.Error(t, err, "12-character code")
}

func loadTestTransferConfig(t *testing.T) *TransferConfig {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "payments", "transfer.json"))
	require.NoError(t, err)
	defer f.Close()
	cfg, err := LoadTransferConfig(f)
	require.NoError(t, err)
	return cfg
}

func TestTransferConfigRejectsBadIBAN(t *testing.T) {
	cfg := loadTestTransferConfig(t)
	cr := cfg.Regions["EMR"]
	cr.IBAN = "IT69I0760102400000000510404"
	cfg.Regions["EMR"] = cr
	assert.ErrorIs(t, cfg.Validate(), ErrIBAN)
}

// regionalPayments returns ARISGAN and IRS payments of two provinces and
// one electricity payment, which belongs on F24.
func regionalPayments() []Payment {
	mk := func(tax Tax, prov string, m int, amount string) Payment {
		return Payment{Account: Account{Company: "IT00BOG00123A", Tax: tax, Area: prov},
			Period: civil.Month{Year: 2026, Month: time.Month(m)}, Due: civil.Month{Year: 2026, Month: time.Month(m)}.Last(),
			Amount: dec(amount), ToPay: dec(amount)}
	}
	return []Payment{mk(TaxArisgan, "BO", 3, "1250.40"), mk(TaxArisgan, "TO", 3, "830.00"),
		mk(TaxIRS, "BO", 3, "12.10"), mk(TaxArisgan, "BO", 4, "1190.00"),
		{Account: Account{Company: "IT00BOG00123A", Tax: TaxElectricity, Area: "IT"}, ToPay: dec("5")}}
}

func requireXMLLint(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("xmllint")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("xmllint not found: install libxml2-utils (CI=true)")
		}
		t.Skip("xmllint not found")
	}
	return path
}

func validateXSD(t *testing.T, xsd string, doc []byte) {
	t.Helper()
	xmllint := requireXMLLint(t)
	name := filepath.Join(t.TempDir(), "doc.xml")
	require.NoError(t, os.WriteFile(name, doc, 0o600))
	out, err := exec.Command(xmllint, "--noout", "--schema", xsd, name).CombinedOutput()
	require.NoError(t, err, "%s\n%s", out, doc)
}

func TestTransfersValidateAgainstXSD(t *testing.T) {
	cbiXSD := testref.Dir(t, "accise", "CBIPaymentRequest.00.04.01.xsd")
	painXSD := testref.Dir(t, "accise", "pain.001.001.03.xsd")
	cfg := loadTestTransferConfig(t)
	transfers, err := Transfers(regionalPayments(), cfg, DefaultTerritory())
	require.NoError(t, err)
	require.Len(t, transfers, 4, "the excise payment is left to F24")
	assert.Equal(t, "ARISGAN 03/2026 TO IT00TOG00456B", transfers[1].Reference)
	assert.Equal(t, "IRS 03/2026 BO IT00BOG00123A", transfers[2].Reference)
	created := time.Date(2026, 3, 20, 9, 30, 0, 0, time.UTC)
	msgs := BankMessages("ARISGAN", created, cfg.Debtor, transfers)
	require.Len(t, msgs, 2, "one message per execution date")
	for _, m := range msgs {
		var cbi, pain bytes.Buffer
		require.NoError(t, WriteCBI(&cbi, m))
		validateXSD(t, cbiXSD, cbi.Bytes())
		require.NoError(t, WritePain001(&pain, m))
		validateXSD(t, painXSD, pain.Bytes())
	}
}

func TestTransfersMissingRegion(t *testing.T) {
	cfg := loadTestTransferConfig(t)
	p := regionalPayments()[0]
	p.Account.Area = "RM"
	_, err := Transfers([]Payment{p}, cfg, DefaultTerritory())
	assert.ErrorContains(t, err, "LAZ")
}

func TestBankMessageRejectsLongName(t *testing.T) {
	cfg := loadTestTransferConfig(t)
	transfers, err := Transfers(regionalPayments()[:1], cfg, DefaultTerritory())
	require.NoError(t, err)
	transfers[0].Creditor.Name = strings.Repeat("R", 71)
	m := BankMessages("X", time.Now(), cfg.Debtor, transfers)[0]
	var buf bytes.Buffer
	assert.ErrorContains(t, WriteCBI(&buf, m), "70 characters")
	assert.ErrorContains(t, WritePain001(&buf, m), "70 characters")
}

func TestTransferGoldenFiles(t *testing.T) {
	cfg := loadTestTransferConfig(t)
	transfers, err := Transfers(regionalPayments(), cfg, DefaultTerritory())
	require.NoError(t, err)
	m := BankMessages("ARISGAN", time.Date(2026, 3, 20, 9, 30, 0, 0, time.UTC), cfg.Debtor, transfers)[0]
	for _, tc := range []struct {
		name  string
		write func(io.Writer, BankMessage) error
	}{{"cbi_2026-03-31.xml", WriteCBI}, {"pain001_2026-03-31.xml", WritePain001}} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			require.NoError(t, tc.write(&buf, m))
			golden := filepath.Join("testdata", "payments", tc.name)
			if *update {
				require.NoError(t, os.WriteFile(golden, buf.Bytes(), 0o644))
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err)
			assert.Equal(t, string(want), buf.String())
		})
	}
}
