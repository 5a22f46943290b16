package accise

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseAmount(t *testing.T) {
	tests := []struct {
		in      string
		want    string
		wantErr string
	}{
		{in: "2500.00", want: "2500"},
		{in: "2500", want: "2500"},
		{in: "-4.4", want: "-4.4"},
		{in: "0.05", want: "0.05"},
		{in: "999999999999.99", want: "999999999999.99"},
		{in: "2500,00", wantErr: "decimal point"},
		{in: "1.234", wantErr: "at most two decimals"},
		{in: "1e9", wantErr: "at most two decimals"},
		{in: "1e999999999", wantErr: "at most two decimals"},
		{in: "+5", wantErr: "at most two decimals"},
		{in: ".5", wantErr: "at most two decimals"},
		{in: "5.", wantErr: "at most two decimals"},
		{in: "", wantErr: "at most two decimals"},
		{in: "-", wantErr: "at most two decimals"},
		{in: " 5", wantErr: "at most two decimals"},
		{in: "1000000000000", wantErr: "more than 12 digits"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseAmount(tt.in)
			if tt.wantErr != "" {
				assert.ErrorContains(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got.String())
		})
	}
}
