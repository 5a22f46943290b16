package flows

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A 48 MB record of twelve million empty unknown elements made Record
// return one anomaly per element and the validate command use 15 GB. A
// record now reports at most MaxRecordAnomalies and one summary of the rest.
func TestValidatorCapsAnomaliesPerRecord(t *testing.T) {
	opts := testOptions()
	opts.MaxRecordAnomalies = 10
	v := NewValidator(opts)
	_, err := v.Start(testName("PDO", "201301"), testHeader("PDO"))
	require.NoError(t, err)
	rec := pdoRecord()
	for i := 0; i < 50; i++ {
		rec.Extra = append(rec.Extra, Element{Name: fmt.Sprintf("x%d", i), XML: "<x/>", Line: 9})
	}

	got := v.Record(rec)
	require.Len(t, got, 11)
	last := got[10]
	assert.Equal(t, RuleTooManyAnomalies, last.Rule)
	assert.Equal(t, Blocking, last.Severity, "the dropped anomalies were blocking")
	assert.Equal(t, RecordLevel, last.Level)
	assert.Equal(t, rec.POD.Text, last.Key)
	assert.Contains(t, last.Message, "40 more anomalies")
	_, blocked := v.Stats()
	assert.Equal(t, 1, blocked)
}

func TestValidatorCapKeepsSchemaCount(t *testing.T) {
	opts := testOptions()
	opts.MaxRecordAnomalies = 5
	v := NewValidator(opts)
	_, err := v.Start(testName("PDO", "201301"), testHeader("PDO"))
	require.NoError(t, err)
	rec := pdoRecord()
	for i := 0; i < 20; i++ {
		rec.Extra = append(rec.Extra, Element{Name: fmt.Sprintf("x%d", i), XML: "<x/>"})
	}
	v.Record(rec)
	fin := v.Finish()
	require.NotEmpty(t, fin)
	assert.Contains(t, fin[len(fin)-1].Message, "in 20 place(s)", "dropped schema anomalies still count for rule 12")
}

func TestValidatorDefaultAnomalyCap(t *testing.T) {
	v := NewValidator(testOptions())
	_, err := v.Start(testName("PDO", "201301"), testHeader("PDO"))
	require.NoError(t, err)
	rec := pdoRecord()
	for i := 0; i < DefaultMaxRecordAnomalies+5; i++ {
		rec.Extra = append(rec.Extra, Element{Name: "x", XML: "<x/>"})
	}
	got := v.Record(rec)
	assert.Len(t, got, DefaultMaxRecordAnomalies+1)
}

func TestValidatorCapsRootElements(t *testing.T) {
	opts := testOptions()
	opts.MaxRecordAnomalies = 3
	v := NewValidator(opts)
	_, err := v.Start(testName("PDO", "201301"), testHeader("PDO"))
	require.NoError(t, err)
	extra := make([]Element, 10)
	for i := range extra {
		extra[i] = Element{Name: "x", XML: "<x/>"}
	}
	got := v.RootElements(extra)
	require.Len(t, got, 4)
	assert.Equal(t, RuleTooManyAnomalies, got[3].Rule)
	assert.Equal(t, FileLevel, got[3].Level)
	assert.Contains(t, got[3].Message, "7 more anomalies")
}

// An IdentificativiFlusso after the records is misplaced, not unknown.
func TestRootElementsMisplacedHeader(t *testing.T) {
	v := NewValidator(testOptions())
	_, err := v.Start(testName("PDO", "201301"), testHeader("PDO"))
	require.NoError(t, err)
	got := v.RootElements([]Element{{Name: "IdentificativiFlusso", XML: "<IdentificativiFlusso/>", Line: 40}})
	require.Len(t, got, 1)
	assert.Equal(t, "element IdentificativiFlusso must come before the first DatiPod", got[0].Message)
}
