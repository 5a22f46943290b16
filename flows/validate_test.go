package flows

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestValidatorCleanRecords(t *testing.T) {
	for _, flow := range []string{"PDO", "PDO2G", "PNO", "SNM2G", "RFO", "RNO", "RSN2G"} {
		t.Run(flow, func(t *testing.T) {
			got := runFile(testOptions(), testName(flow, "201301"), testHeader(flow), recordFor(flow))
			assert.Empty(t, got)
		})
	}
}

func TestValidatorStats(t *testing.T) {
	v := NewValidator(testOptions())
	_, err := v.Start(testName("PDO", "201301"), testHeader("PDO"))
	require.NoError(t, err)
	bad := pdoRecord()
	bad.MonthYear = Value{}
	v.Record(pdoRecord())
	v.Record(bad)
	records, blocked := v.Stats()
	assert.Equal(t, 2, records)
	assert.Equal(t, 1, blocked)
}
