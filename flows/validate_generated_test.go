package flows_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/flows"
	"github.com/bludispatcher/dispatcher/flows/flowgen"
)

// TestValidateGeneratedFiles validates every kind of generated file,
// including the spring and autumn clock-change days, which the generator
// writes independently of the validator. The only findings expected are
// the ones the files carry on purpose.
func TestValidateGeneratedFiles(t *testing.T) {
	opts := flows.ValidateOptions{Now: time.Date(2026, time.January, 1, 0, 0, 0, 0, time.UTC)}
	for _, o := range flowgen.Catalog(7, 3) {
		var buf bytes.Buffer
		name, err := flowgen.Write(&buf, o)
		require.NoError(t, err)
		t.Run(name, func(t *testing.T) {
			rep, err := flows.ValidateFile(name, &buf, opts)
			require.NoError(t, err)
			assert.Equal(t, rep.Records, rep.RecordsOK)

			allowed := map[string]bool{}
			switch {
			case o.FlowCode == "PDO2G" && o.NotRegime:
				allowed[flows.RulePDO2GNotRegime] = true // the official samples have such a file too
			case o.Legacy:
				allowed[flows.RuleMeterState] = true // legacy names have no meter state
			case o.FlowCode == "SNS" || o.FlowCode == "S2G" || o.FlowCode == "SOS":
				allowed[flows.RuleEmptyValue] = true // negative monthly sums
			}
			for _, a := range rep.Anomalies {
				assert.True(t, allowed[a.Rule], "unexpected anomaly: %s", a)
			}
		})
	}
}
