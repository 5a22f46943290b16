package flows

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestValidateFileMissingIdentifiers(t *testing.T) {
	full := flowXML("PDO", pdoMonthXML("01/2013", ""))
	start := strings.Index(full, "<IdentificativiFlusso>")
	end := strings.Index(full, "</IdentificativiFlusso>") + len("</IdentificativiFlusso>")
	require.Positive(t, start)
	content := full[:start] + full[end:]

	d := NewDecoder(strings.NewReader(content))
	h, err := d.Header()
	require.NoError(t, err)
	assert.True(t, h.IdentifiersMissing)

	rep := validateString(t, testName("PDO", "201301"), content)
	var structure Anomalies
	for _, a := range rep.Anomalies {
		if a.Level == FileLevel && a.Rule == RuleStructure {
			structure = append(structure, a)
		}
	}
	require.Len(t, structure, 1, "%v", rep.Anomalies)
	assert.Equal(t, "IdentificativiFlusso", structure[0].Field)
	assert.True(t, structure[0].Blocking())
	assert.Contains(t, structure[0].Message, "IdentificativiFlusso is missing")
	for _, rule := range []string{RuleDistributorVAT, RuleSellerVAT, RuleContract} {
		assert.Empty(t, withRule(rep.Anomalies, rule), "rule %s", rule)
	}
}

func TestValidateFilePresentIdentifiers(t *testing.T) {
	content := flowXML("PDO", pdoMonthXML("01/2013", ""))
	d := NewDecoder(strings.NewReader(content))
	h, err := d.Header()
	require.NoError(t, err)
	assert.False(t, h.IdentifiersMissing)
}
