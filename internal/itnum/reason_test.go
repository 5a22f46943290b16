package itnum

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The reason must name the actual defect: a trailing space is not a
// fourth decimal, and a second comma is not a run of extra decimals.
func TestCheckReasonNamesDefect(t *testing.T) {
	tests := []struct {
		in     string
		reason string
	}{
		{" 1,000", "white space around the number"},
		{"1,000 ", "white space around the number"},
		{"1,000\n", "white space around the number"},
		{"1,000,000", "more than one comma"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			err := Check(tt.in, Numeric12v3)
			var se *SyntaxError
			require.True(t, errors.As(err, &se))
			assert.Contains(t, se.Reason, tt.reason)
		})
	}
}
