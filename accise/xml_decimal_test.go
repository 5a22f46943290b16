package accise

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReadGasXMLDecimals(t *testing.T) {
	tests := []struct {
		name    string
		value   string
		want    string
		wantErr string
	}{
		{name: "plain", value: "2500.00", want: "2500.00"},
		{name: "negative", value: "-4.4", want: "-4.40"},
		{name: "plus sign", value: "+4.4", want: "4.40"},
		{name: "no integer digits", value: ".5", want: "0.50"},
		{name: "no decimals", value: "5.", want: "5.00"},
		{name: "huge exponent", value: "1e999999999", wantErr: "want digits"},
		{name: "upper-case exponent", value: "1E3", wantErr: "want digits"},
		{name: "negative exponent", value: "1e-999999", wantErr: "want digits"},
		{name: "decimal comma", value: "4,40", wantErr: "want digits"},
		{name: "two points", value: "1.2.3", wantErr: "want digits"},
		{name: "sign only", value: "-", wantErr: "want digits"},
		{name: "empty", value: "", wantErr: "want digits"},
		{name: "space inside", value: "4 40", wantErr: "want digits"},
		{name: "too long", value: strings.Repeat("9", maxDecimalLength+1), wantErr: "longer than 64 characters"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := `<GasNaturaleSemestrale xmlns="` + GasNamespace + `">` +
				`<Periodo><Anno>2026</Anno><PeriodoRiferimento>1</PeriodoRiferimento></Periodo><L><Ambito>IT</Ambito>` +
				`<VersMese><Mese>1</Mese><Imp>` + tt.value + `</Imp></VersMese></L></GasNaturaleSemestrale>`
			d, err := ReadGasXML(strings.NewReader(doc))
			if tt.wantErr != "" {
				assert.ErrorContains(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			require.Len(t, d.L, 1)
			require.Len(t, d.L[0].Payments, 1)
			assert.Equal(t, tt.want, d.L[0].Payments[0].Amount.StringFixed(2))
		})
	}
}
