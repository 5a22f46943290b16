package flows

import (
	"os/exec"
)

// findXmllint returns the path of xmllint, the libxml2 schema validator.
func findXmllint() (string, error) { return exec.LookPath("xmllint") }

// runXmllint validates file against the schema and returns an error when
// the file does not conform.
func runXmllint(xmllint, schema, file string) error {
	return exec.Command(xmllint, "--noout", "--schema", schema, file).Run()
}
