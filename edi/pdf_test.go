package edi

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/edi/edigen"
)

// pdfText returns the text of a PDF as pdftotext (poppler-utils) extracts
// it, skipping when pdftotext is missing unless CI=true.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdftotext not found: install poppler-utils (CI=true)")
		}
		t.Skip("pdftotext not found: install poppler-utils to run this test")
	}
	path := filepath.Join(t.TempDir(), "f.pdf")
	require.NoError(t, os.WriteFile(path, pdf, 0o600))
	out, err := exec.Command(bin, "-layout", "-enc", "UTF-8", path, "-").CombinedOutput()
	require.NoError(t, err, string(out))
	return string(out)
}

func TestFormatItalian(t *testing.T) {
	tests := []struct{ in, want string }{
		{"0", "0,00"}, {"1234.5", "1.234,50"}, {"-1234567.891", "-1.234.567,89"}, {"999", "999,00"}, {"100000", "100.000,00"},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, formatItalian(dec(tc.in), 2), tc.in)
	}
	assert.Equal(t, "98.765,432", formatQuantity(NumberOf("98765,432")))
	assert.Equal(t, "0,010740", formatQuantity(NumberOf("0,010740")), "decimals kept as written")
}

func TestFacsimileText(t *testing.T) {
	_, detail := generatedPair(t, edigen.Example())
	var buf bytes.Buffer
	require.NoError(t, WriteFacsimile(&buf, detail, FacsimileOptions{}))
	text := pdfText(t, buf.Bytes())
	for _, want := range []string{
		"Fac-simile fattura di trasporto energia elettrica",
		"Documento non valido ai fini fiscali",
		"Rete Elettrica Esempio S.p.A. - P.IVA 01234567890",
		"Venditore Esempio S.r.l. - P.IVA 12345678901",
		"TR-2025-0001 del 10/02/2025",
		"fattura di ciclo (codice C)",
		"dal 01/01/2025 al 31/01/2025",
		"POD IT001E00000001", "POD IT001E00000002", "POD IT001E00000003",
		"potenza impegnata 6,0 kW",
		"01/01/2025 - 31/01/2025",
		"98.765,432", "€/kWh", "1.060,74",
		"Punti fatturati: 3",
	} {
		assert.Contains(t, text, want)
	}
	taxable, vat, total := edigen.Example().Totals()
	assert.Contains(t, text, "€ "+formatItalian(taxable, 2))
	assert.Contains(t, text, "€ "+formatItalian(vat, 2))
	assert.Contains(t, text, "€ "+formatItalian(total, 2))
	assert.Contains(t, text, "Totale POD IT001E00000003")
	assert.Contains(t, text, formatItalian(detail.Points[2].PointTotal(), 2))
}

func TestFacsimileIsReproducible(t *testing.T) {
	_, detail := generatedPair(t, edigen.Example())
	var a, b bytes.Buffer
	require.NoError(t, WriteFacsimile(&a, detail, FacsimileOptions{}))
	require.NoError(t, WriteFacsimile(&b, detail, FacsimileOptions{}))
	assert.Equal(t, a.Bytes(), b.Bytes())
}

func TestPointFacsimileText(t *testing.T) {
	_, detail := generatedPair(t, edigen.Example())
	var buf bytes.Buffer
	require.NoError(t, WritePointFacsimile(&buf, detail, "IT001E00000002", FacsimileOptions{}))
	text := pdfText(t, buf.Bytes())
	assert.Contains(t, text, "Estratto per il punto IT001E00000002")
	assert.Contains(t, text, "POD IT001E00000002")
	assert.Contains(t, text, "Documento non valido ai fini fiscali")
	assert.NotContains(t, text, "POD IT001E00000001")
	assert.NotContains(t, text, "POD IT001E00000003")
	assert.Contains(t, text, formatItalian(detail.Points[1].PointTotal(), 2))

	err := WritePointFacsimile(&buf, detail, "IT001E99999999", FacsimileOptions{})
	assert.ErrorContains(t, err, "IT001E99999999")
}

func TestFacsimileGasSample(t *testing.T) {
	f, err := os.Open(gasSample(t))
	require.NoError(t, err)
	defer f.Close()
	inv, err := ReadGas(f, nil)
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, WriteFacsimile(&buf, inv, FacsimileOptions{}))
	text := pdfText(t, buf.Bytes())
	assert.Contains(t, text, "Fac-simile fattura di distribuzione gas naturale")
	assert.Contains(t, text, "PDR 1322570260")
	assert.Contains(t, text, "994.327.813,572479")
	assert.Contains(t, text, "€ 5.920,70")
	assert.Greater(t, strings.Count(text, "fac-simile non valido ai fini fiscali"), 1, "several pages")
}
