package edi

import (
	"bytes"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLoadFatturaPAWithDetail(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "transport-invoice.xml"))
	require.NoError(t, err)
	signed := base64.StdEncoding.EncodeToString(signCMS(t, data, false))
	doc, err := Load("in/IT01234567890_00001.xml.p7m", strings.NewReader(signed), LoadOptions{})
	require.NoError(t, err)
	assert.Equal(t, "IT01234567890_00001.xml.p7m", doc.Name)
	assert.True(t, doc.Signed)
	require.NotNil(t, doc.Invoice)
	require.Len(t, doc.Details, 1)
	require.Len(t, doc.Details[0], 1)
	assert.Empty(t, doc.Anomalies)
	assert.Len(t, doc.TransportInvoices(), 1)
	entries := doc.Journal(JournalOptions{})
	require.Len(t, entries, 1)
	assert.True(t, entries[0].Balanced())
}

func TestLoadDetailFlows(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "transport-detail.xml"))
	require.NoError(t, err)
	doc, err := Load("detail.xml", bytes.NewReader(data), LoadOptions{})
	require.NoError(t, err)
	assert.Nil(t, doc.Invoice)
	require.Len(t, doc.Transport, 1)
	assert.Empty(t, doc.Anomalies)

	f, err := os.Open(gasSample(t))
	require.NoError(t, err)
	defer f.Close()
	doc, err = Load("gas.xml", f, LoadOptions{})
	require.NoError(t, err)
	require.Len(t, doc.Transport, 1)
	assert.Equal(t, Gas, doc.Transport[0].Commodity)
	assert.Len(t, doc.Anomalies, 2)
	assert.Equal(t, "gas.xml", doc.Anomalies[0].File)
}

func TestLoadPartlyBadDetailKeepsGoodInvoices(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "transport-detail.xml"))
	require.NoError(t, err)
	broken := strings.Replace(string(data), "</Fatture>", "</Fatture><Fatture><FNumeroFattura>2</Oops>", 1)
	doc, err := Load("detail.xml", strings.NewReader(broken), LoadOptions{})
	require.NoError(t, err)
	require.Len(t, doc.Transport, 1)
	require.NotEmpty(t, doc.Anomalies)
	last := doc.Anomalies[len(doc.Anomalies)-1]
	assert.True(t, last.Blocking())
	assert.Contains(t, last.Message, "cannot be read")
	assert.Positive(t, last.Line)
}

func TestLoadRejectsUnknownFiles(t *testing.T) {
	for name, input := range map[string]string{
		"text":      "hello",
		"other XML": "<FlussoMisure/>",
		"bad p7m":   "\x30\x03\x02\x01\x01",
		"empty":     "",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Load("x", strings.NewReader(input), LoadOptions{})
			assert.Error(t, err)
		})
	}
}
