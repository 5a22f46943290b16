package distributor

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

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

// validateXSD validates doc against the XSD at schema (a path below
// schemaDir) with xmllint.
func validateXSD(t *testing.T, schema string, doc []byte) {
	t.Helper()
	lint := requireXMLLint(t)
	file := filepath.Join(t.TempDir(), "doc.xml")
	require.NoError(t, os.WriteFile(file, doc, 0o600))
	out, err := exec.Command(lint, "--noout", "--schema", filepath.Join(schemaDir(), schema), file).CombinedOutput()
	require.NoError(t, err, "%s\n%s", out, doc)
}
