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

func TestValidateFileRootNamespace(t *testing.T) {
	tests := []struct {
		name      string
		xmlns     string
		want      Value
		anomalies int
	}{
		{name: "no declaration", xmlns: "", want: Value{}},
		{name: "default namespace", xmlns: ` xmlns="urn:x"`, want: Value{Text: "urn:x", Set: true, Line: 2}, anomalies: 1},
		{name: "empty declaration", xmlns: ` xmlns=""`, want: Value{Text: "", Set: true, Line: 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			content := strings.Replace(flowXML("PDO", pdoMonthXML("01/2013", "")), "<FlussoMisure", "<FlussoMisure"+tt.xmlns, 1)

			h, err := NewDecoder(strings.NewReader(content)).Header()
			require.NoError(t, err)
			assert.Equal(t, tt.want, h.RootNamespace)

			rep := validateString(t, testName("PDO", "201301"), content)
			var found Anomalies
			for _, a := range rep.Anomalies {
				if a.Field == "xmlns" {
					found = append(found, a)
				}
			}
			require.Len(t, found, tt.anomalies, "%v", rep.Anomalies)
			if tt.anomalies == 0 {
				return
			}
			assert.Equal(t, RuleStructure, found[0].Rule)
			assert.Equal(t, FileLevel, found[0].Level)
			assert.True(t, found[0].Blocking())
			assert.Equal(t, "urn:x", found[0].Value)
			assert.True(t, rep.FileBlocked)
		})
	}
}

func TestWriterLeavesOutRootNamespace(t *testing.T) {
	h := testHeader("PDO")
	h.RootNamespace = V("urn:x")
	var b strings.Builder
	w := NewWriter(&b)
	require.NoError(t, w.WriteHeader(h))
	require.NoError(t, w.Close())
	assert.NotContains(t, b.String(), `xmlns="`)
}
