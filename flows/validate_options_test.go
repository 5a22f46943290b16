package flows

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestValidateOptionsUnknownRuleIDs(t *testing.T) {
	tests := []struct {
		name  string
		opts  ValidateOptions
		wants []string // substrings of the error; none means no error
	}{
		{name: "zero value", opts: ValidateOptions{}},
		{name: "known ids", opts: ValidateOptions{
			Disabled:   []string{RuleMonthRange, "R24"},
			Severities: map[string]Severity{RuleCollection: Warning},
		}},
		{name: "unknown disabled id", opts: ValidateOptions{Disabled: []string{"R99"}},
			wants: []string{`unknown rule id "R99" in ValidateOptions.Disabled`}},
		{name: "disabled id in wrong case", opts: ValidateOptions{Disabled: []string{"r24"}},
			wants: []string{`unknown rule id "r24" in ValidateOptions.Disabled`, `did you mean "R24"?`}},
		{name: "unknown severity id", opts: ValidateOptions{Severities: map[string]Severity{"nope": Warning}},
			wants: []string{`unknown rule id "nope" in ValidateOptions.Severities`}},
		{name: "every unknown id named", opts: ValidateOptions{
			Disabled:   []string{"R99", "R98"},
			Severities: map[string]Severity{"X2": Warning, "X1": Blocking},
		}, wants: []string{`"R99"`, `"R98"`, `"X1"`, `"X2"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.opts.Check()
			if len(tt.wants) == 0 {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrUnknownRule)
			for _, w := range tt.wants {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
}

func TestValidateFileUnknownRuleID(t *testing.T) {
	opts := testOptions()
	opts.Disabled = []string{"R99"}
	_, err := ValidateFile(testName("PDO", "201301"), strings.NewReader(flowXML("PDO", pdoMonthXML("01/2013", ""))), opts)
	assert.ErrorIs(t, err, ErrUnknownRule)
}

func TestValidatorStartUnknownRuleID(t *testing.T) {
	opts := testOptions()
	opts.Severities = map[string]Severity{"r1": Warning}
	v := NewValidator(opts)
	_, err := v.Start(testName("PDO", "201301"), testHeader("PDO"))
	require.Error(t, err)
	assert.True(t, errors.Is(err, ErrUnknownRule))
	assert.Contains(t, err.Error(), `did you mean "R1"?`)
}
