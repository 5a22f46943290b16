package accise

import (
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// consumptionQuantity returns the kWh of a row over the frames of a
// declaration, and whether the row is present.
func consumptionQuantity(frames []ConsumptionFrame, row int) (decimal.Decimal, bool) {
	sum, found := decimal.Zero, false
	for _, f := range frames {
		for _, r := range f.Rows {
			if r.Row == row {
				sum, found = sum.Add(r.Commercial.Decimal), true
			}
		}
	}
	return sum, found
}

// The resident exemption follows the public seller billing system: the
// exempt kWh go to frame L row 9 and the taxed ones to frame M rows 1 and 3.
func TestResidentExemptInFrameL(t *testing.T) {
	tests := []struct {
		name      string
		power     string
		kWh       string
		exempt    string // frame L row 9, or empty when the row is absent
		resident  string // frame M row 1
		recovered string // frame M row 3
	}{
		{"below 150 kWh", "3", "100", "100", "", ""},
		{"3 kW at 300 kWh", "3", "300", "70", "150", "80"},
		{"1.5 kW at 200 kWh", "1.5", "200", "100", "50", "50"},
		{"3 kW at 370 kWh", "3", "370", "", "220", "150"},
		{"above 3 kW", "4.5", "200", "", "200", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := eeLine(2)
			l.PowerKW, l.Quantity = kw(tt.power), dec(tt.kWh)
			c, found := Compute([]Line{l}, ComputeOptions{})
			require.Empty(t, found)
			opts := yearOptions()
			opts.InstalmentsDue = nil
			decls, err := BuildElectricity(c, opts)
			require.NoError(t, err)
			require.Len(t, decls, 1)
			d := decls[0]

			got, ok := consumptionQuantity(d.L, 9)
			assert.Equal(t, tt.exempt != "", ok, "L9 present")
			if tt.exempt != "" {
				assert.True(t, dec(tt.exempt).Equal(got), "L9: want %s, got %s", tt.exempt, got)
			}
			for row, want := range map[int]string{1: tt.resident, 3: tt.recovered} {
				got, ok := consumptionQuantity(d.M, row)
				assert.Equal(t, want != "", ok, "M%d present", row)
				if want != "" {
					assert.True(t, dec(want).Equal(got), "M%d: want %s, got %s", row, want, got)
				}
			}
		})
	}
}
