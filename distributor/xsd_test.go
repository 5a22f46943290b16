package distributor

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// schemaDir returns the folder of the flow XSDs: testdata/xsd, or the
// folder in DISPATCHER_DISTRIBUTOR_XSD, which may hold the official set in
// the same layout (<letter>/<service>_<flow>.xsd).
func schemaDir() string {
	if dir := os.Getenv("DISPATCHER_DISTRIBUTOR_XSD"); dir != "" {
		return dir
	}
	return filepath.Join("testdata", "xsd")
}

// requireXMLLint returns the xmllint path, skipping when it is missing
// unless CI=true.
func requireXMLLint(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("xmllint")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("xmllint not found: install libxml2-utils (CI=true)")
		}
		t.Skip("xmllint not found: install libxml2-utils to run this test")
	}
	return path
}

// xmllintSchema runs xmllint on doc with the XSD at schema (a path below
// schemaDir) and returns its output and error.
func xmllintSchema(t *testing.T, schema string, doc []byte) ([]byte, error) {
	t.Helper()
	lint := requireXMLLint(t)
	file := filepath.Join(t.TempDir(), "doc.xml")
	require.NoError(t, os.WriteFile(file, doc, 0o600))
	return exec.Command(lint, "--noout", "--schema", filepath.Join(schemaDir(), schema), file).CombinedOutput()
}

// validateXSD validates doc against the XSD at schema (a path below
// schemaDir) with xmllint.
func validateXSD(t *testing.T, schema string, doc []byte) {
	t.Helper()
	out, err := xmllintSchema(t, schema, doc)
	require.NoError(t, err, "%s\n%s", out, doc)
}

// TestXSDRejectsBadRequests checks that the test XSDs catch the mistakes
// seen in public seller code: the schema of another service, gas flow
// codes, booleans that are not SI/NO, dates in a locale format, and
// elements out of order.
func TestXSDRejectsBadRequests(t *testing.T) {
	a01 := string(encodeXML(t, loadRequest(t, "A01"), nil))
	d01 := string(encodeXML(t, loadRequest(t, "D01"), nil))
	tests := []struct {
		name   string
		schema string
		doc    string
		want   string
	}{
		{"A01 against the PN1 schema", "P/PN1_0050.xsd", a01, "cod_servizio"},
		{"gas flow code for D01", "D/D01_E050.xsd", strings.Replace(d01, `cod_flusso="E050"`, `cod_flusso="0050"`, 1), "cod_flusso"},
		{"boolean as text", "D/D01_E050.xsd", strings.Replace(d01, "<Disatt_Fuori_Orario>NO<", "<Disatt_Fuori_Orario>false<", 1), "Disatt_Fuori_Orario"},
		{"locale date", "D/D01_E050.xsd", strings.Replace(d01, "2026-12-15", "Dec 15, 2026", 1), "Da_Eseguire_Non_Prima_Del"},
		{"bad ISTAT", "A/A01_0050.xsd", strings.Replace(a01, "<istat>015146<", "<istat>15146<", 1), "istat"},
		{"namespace", "D/D01_E050.xsd", strings.Replace(d01, "<Prestazione ", `<Prestazione xmlns="urn:x" `, 1), "Prestazione"},
		{"order", "D/D01_E050.xsd", swapBlocks(d01, "PresenzaCliente", "FuoriOrario"), "FuoriOrario"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := xmllintSchema(t, tt.schema, []byte(tt.doc))
			require.Error(t, err, "the schema accepted:\n%s", tt.doc)
			assert.Contains(t, string(out), tt.want)
		})
	}
}

// swapBlocks swaps two adjacent top-level elements of doc, first then
// second, each written on three lines by the encoder.
func swapBlocks(doc, first, second string) string {
	start := strings.Index(doc, "  <"+first+">")
	mid := strings.Index(doc, "  <"+second+">")
	end := strings.Index(doc, "</"+second+">\n") + len("</"+second+">\n")
	return doc[:start] + doc[mid:end] + doc[start:mid] + doc[end:]
}
