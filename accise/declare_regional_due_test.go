package accise

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ARISGAN and IRS due in a province without such tax in the period still
// reach frame N or P, as a credit.
func TestRegionalDueWithoutLines(t *testing.T) {
	florence := []Line{halfGasLine(2, "2025-01-01", "2025-12-31", "100")}
	tests := []struct {
		name        string
		instalments map[string]decimal.Decimal
		// arisgan and irs are the balance credits of frames N and P, by
		// province.
		arisgan, irs map[string]string
	}{
		{name: "ARISGAN in a province without lines",
			instalments: map[string]decimal.Decimal{SummaryKey("TO", "ARISGAN"): dec("12.00")},
			arisgan:     map[string]string{"FI": "0.00", "TO": "12.00"}, irs: map[string]string{}},
		{name: "IRS in a province without exempt gas",
			instalments: map[string]decimal.Decimal{SummaryKey("FI", "IRS"): dec("3.00")},
			arisgan:     map[string]string{"FI": "0.00"}, irs: map[string]string{"FI": "3.00"}},
		{name: "ARISGAN in an ambito without lines",
			instalments: map[string]decimal.Decimal{SummaryKey("TN", "ARISGAN"): dec("5.00")},
			arisgan:     map[string]string{"FI": "0.00", "TN": "5.00"}, irs: map[string]string{}},
		{name: "ARISGAN where frame M exists",
			instalments: map[string]decimal.Decimal{SummaryKey("FI", "ARISGAN"): dec("1.00")},
			arisgan:     map[string]string{"FI": "0.00"}, irs: map[string]string{}},
		{name: "zero due",
			instalments: map[string]decimal.Decimal{SummaryKey("TO", "ARISGAN"): dec("0")},
			arisgan:     map[string]string{"FI": "0.00"}, irs: map[string]string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := computeHalfYear(t, florence)
			opts := yearOptions()
			opts.GasSold, opts.Suppliers, opts.InstalmentsDue = nil, nil, tt.instalments
			decls, err := BuildGas(c, opts)
			require.NoError(t, err)

			arisgan, irs := map[string]string{}, map[string]string{}
			nRow, _ := opts.layout().Row(Gas, "N", "balance-credit")
			pRow, _ := opts.layout().Row(Gas, "P", "balance-credit")
			for _, d := range decls {
				for _, f := range d.N {
					credit, _ := summaryRow(f.Rows, nRow.Row)
					arisgan[f.Province] = credit.StringFixed(2)
				}
				for _, f := range d.P {
					credit, _ := summaryRow(f.Rows, pRow.Row)
					irs[f.Province] = credit.StringFixed(2)
				}
				var buf bytes.Buffer
				require.NoError(t, WriteXML(&buf, d))
				validate(t, "GasNaturale.xsd", buf.Bytes())
				back, err := ReadGasXML(bytes.NewReader(buf.Bytes()))
				require.NoError(t, err)
				assert.Empty(t, cmp.Diff(d, back, decimalEqual, cmpopts.EquateEmpty()))
			}
			assert.Equal(t, tt.arisgan, arisgan)
			assert.Equal(t, tt.irs, irs)
		})
	}
}

// Frame I and the supplier list belong to the legal seat's declaration,
// which must exist even when the seat's ambito has no line and nothing due.
func TestSeatFramesWithoutSeatLines(t *testing.T) {
	palermo := eeLine(2)
	palermo.Use, palermo.Resident, palermo.PowerKW = UseNonDwelling, nil, nil
	palermo.Province, palermo.Municipality, palermo.Distributor = "PA", "G273", "01234567890"
	tests := []struct {
		name      string
		lines     []Line
		suppliers []Supplier
		ambiti    []string
		invoiced  bool
	}{
		{"lines outside the seat", []Line{palermo}, nil, []string{"FI", "PA"}, true},
		{"only suppliers", []Line{halfGasLine(2, "2025-01-01", "2025-12-31", "100")},
			[]Supplier{{Origin: "D", ID: "01234567890", Quantity: Qty{dec("10")}}}, []string{"FI"}, false},
		{"nothing", nil, nil, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, found := Compute(tt.lines, ComputeOptions{})
			require.Empty(t, found)
			opts := yearOptions()
			opts.InstalmentsDue, opts.Suppliers = nil, tt.suppliers
			decls, err := BuildElectricity(c, opts)
			require.NoError(t, err)

			var ambiti []string
			for _, d := range decls {
				ambiti = append(ambiti, d.Q[0].Ambito)
				seat := d.Q[0].Ambito == "FI"
				assert.Equal(t, seat && tt.invoiced, d.I != nil, "frame I in %s", d.Q[0].Ambito)
				assert.Equal(t, seat && len(tt.suppliers) > 0, d.EF != nil, "frame EF in %s", d.Q[0].Ambito)
				var buf bytes.Buffer
				require.NoError(t, WriteXML(&buf, d))
				validate(t, "EnergiaElettrica.xsd", buf.Bytes())
			}
			assert.Equal(t, tt.ambiti, ambiti)
		})
	}
}

func TestGasSeatFramesWithoutSeatLines(t *testing.T) {
	palermo := halfGasLine(2, "2025-01-01", "2025-12-31", "100")
	palermo.Province, palermo.Municipality = "PA", "G273"
	c, found := Compute([]Line{palermo}, ComputeOptions{})
	require.Empty(t, found)
	opts := yearOptions()
	opts.InstalmentsDue = nil
	decls, err := BuildGas(c, opts)
	require.NoError(t, err)
	require.Len(t, decls, 2)
	seat := decls[0]
	assert.Empty(t, seat.I, "the seat's ambito has no gas")
	assert.NotNil(t, seat.D, "gas sold")
	assert.NotNil(t, seat.EF, "suppliers")
	assert.Nil(t, decls[1].D)
	var buf bytes.Buffer
	require.NoError(t, WriteXML(&buf, seat))
	validate(t, "GasNaturale.xsd", buf.Bytes())
}
