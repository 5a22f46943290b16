package accise

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReadXMLPeriodElements(t *testing.T) {
	period := func(year, half string) string {
		return "<Periodo><Anno>" + year + "</Anno><PeriodoRiferimento>" + half + "</PeriodoRiferimento></Periodo>"
	}
	tests := []struct {
		name     string
		root     string
		body     string
		wantErr  string // empty when the file is valid
		electric bool
	}{
		{name: "annual gas", root: "GasNaturale", body: "<Anno>2025</Anno>"},
		{name: "annual electricity", root: "EnergiaElettrica", body: "<Anno>2025</Anno>", electric: true},
		{name: "half-year gas", root: "GasNaturaleSemestrale", body: period("2026", "2")},
		{name: "half-year electricity", root: "EnergiaElettricaSemestrale", body: period("2026", "1"), electric: true},
		{name: "annual without Anno", root: "GasNaturale", body: "", wantErr: "GasNaturale has no Anno element"},
		{name: "annual with Periodo", root: "EnergiaElettrica", body: "<Anno>2025</Anno>" + period("2025", "1"), electric: true,
			wantErr: "EnergiaElettrica is an annual declaration but has a Periodo element"},
		{name: "half-year without Periodo", root: "GasNaturaleSemestrale", body: "<Anno>2026</Anno>",
			wantErr: "GasNaturaleSemestrale is a half-year declaration but has no Periodo element"},
		{name: "half-year with Anno outside", root: "EnergiaElettricaSemestrale", body: "<Anno>2026</Anno>" + period("2026", "1"), electric: true,
			wantErr: "has an Anno element outside Periodo"},
		{name: "half-year without year", root: "GasNaturaleSemestrale", body: "<Periodo><PeriodoRiferimento>1</PeriodoRiferimento></Periodo>",
			wantErr: "no Periodo/Anno element"},
		{name: "half 0", root: "GasNaturaleSemestrale", body: period("2026", "0"), wantErr: "Periodo/PeriodoRiferimento 0; want 1 or 2"},
		{name: "half 3", root: "EnergiaElettricaSemestrale", body: period("2026", "3"), electric: true,
			wantErr: "Periodo/PeriodoRiferimento 3; want 1 or 2"},
		{name: "half missing", root: "GasNaturaleSemestrale", body: "<Periodo><Anno>2026</Anno></Periodo>",
			wantErr: "Periodo/PeriodoRiferimento 0; want 1 or 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ns := GasNamespace
			if tt.electric {
				ns = ElectricityNamespace
			}
			doc := `<` + tt.root + ` xmlns="` + ns + `">` + tt.body + `</` + tt.root + `>`
			var err error
			if tt.electric {
				_, err = ReadElectricityXML(strings.NewReader(doc))
			} else {
				_, err = ReadGasXML(strings.NewReader(doc))
			}
			if tt.wantErr == "" {
				require.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, ErrPeriod)
			assert.ErrorContains(t, err, tt.wantErr)
		})
	}
}
