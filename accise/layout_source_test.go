package accise

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The row statuses record what the public sources support, so a change here
// needs a source that supports it.
func TestLayoutRowStatus(t *testing.T) {
	tests := []struct {
		commodity Commodity
		frame     string
		key       string
		status    string
		hasSource bool
	}{
		{Electricity, "K", "debit:resident", "single-source", true},
		{Electricity, "K", "debit:other-dwelling", "single-source", true},
		{Electricity, "K", "debit:recovered", "single-source", true},
		{Electricity, "K", "debit:non-dwelling", "single-source", true},
		{Electricity, "K", "credit:resident", "guess", false},
		{Electricity, "L", "ee-exempt", "single-source", true},
		{Electricity, "K", "credit:non-dwelling", "guess", false},
		{Electricity, "P", "above-cap", "guess", false},
		{Electricity, "Q", "instalments-due", "provisional", false},
		{Gas, "L", "1412:row-5", "unknown", false},
		{Gas, "L", "1421:row-10", "unknown", false},
		{Gas, "L", "1412:row-11", "unknown", false},
		{Gas, "L", "1421:row-15", "unknown", false},
	}
	for _, tc := range tests {
		t.Run(tc.frame+" "+tc.key, func(t *testing.T) {
			row, ok := DefaultLayout().Row(tc.commodity, tc.frame, tc.key)
			require.True(t, ok)
			assert.Equal(t, tc.status, row.Status)
			assert.Equal(t, tc.hasSource, row.Source != "")
		})
	}
}

func TestLayoutUncertainOmitsSingleSource(t *testing.T) {
	u := DefaultLayout().Uncertain(Electricity)
	assert.NotContains(t, u, "K1 debit:resident (guess)")
	assert.Contains(t, u, "K5 credit:resident (guess)")
}

func TestLoadLayoutRowSource(t *testing.T) {
	const doc = `{"version":"x","source":"s","statuses":{"guess":"g"},
		"electricity":{"K":{"title":"t","rows":[{"row":1,"key":"k","status":"guess","label":"l","source":"page"}]}}}`
	l, err := LoadLayout(strings.NewReader(doc))
	require.NoError(t, err)
	row, ok := l.Row(Electricity, "K", "k")
	require.True(t, ok)
	assert.Equal(t, "page", row.Source)
}

// No public source gives the file marker of a legacy gas file. The one public
// reader found treats every file without the electricity marker as gas.
func TestDicGasMarkerStaysUnknown(t *testing.T) {
	l := DefaultDicLayout()
	assert.Equal(t, "unknown", l.Markers["gas"].Status)
	assert.Empty(t, l.Markers["gas"].Value)
	assert.Equal(t, "ELETTR", l.Markers["electricity"].Value)
}
