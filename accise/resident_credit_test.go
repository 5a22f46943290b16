package accise

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A credit note reduces the billed kWh of its month. The resident
// exemption applies to the month's net consumption, never below zero, so
// a month credited more than billed puts no negative kWh in frame L row 9.
func TestResidentCreditedMonth(t *testing.T) {
	tests := []struct {
		name      string
		invoice   string // kWh of the January invoice, or empty for none
		credit    string // kWh of the January credit note, negative
		exempt    string // frame L row 9, or empty when the row is absent
		resident  string // frame M row 1, or empty when the row is absent
		recovered string // frame M row 3, or empty when the row is absent
		excise    string // computed excise of the month
	}{
		{"credit below invoice", "300", "-100", "150", "50", "", "1.14"},
		{"credit equal to invoice", "300", "-300", "", "", "", "0.00"},
		{"net within exemption", "100", "-250", "", "", "", "0.00"},
		{"net past recovery", "100", "-400", "", "-150", "-80", "-5.22"},
		{"credit note alone", "", "-50", "", "", "", "0.00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var lines []Line
			if tt.invoice != "" {
				l := eeLine(1)
				l.Quantity = dec(tt.invoice)
				lines = append(lines, l)
			}
			credit := eeLine(2)
			credit.Kind, credit.Quantity = CreditNote, dec(tt.credit)
			lines = append(lines, credit)

			c, found := Compute(lines, ComputeOptions{})
			require.Empty(t, found)
			require.Len(t, c.Months, 1)
			for _, p := range c.Months[0].Portions {
				if p.Class == ClassResidentExempt {
					assert.False(t, p.Quantity.IsNegative(), "exempt kWh %s", p.Quantity)
				}
			}
			assert.Equal(t, tt.excise, Excise(c.Months[0].Portions).StringFixed(2), "excise")

			opts := yearOptions()
			opts.InstalmentsDue = nil
			decls, err := BuildElectricity(c, opts)
			require.NoError(t, err)
			require.NotEmpty(t, decls)
			for _, row := range []struct {
				frame string
				list  []ConsumptionFrame
				row   int
				want  string
			}{
				{"L", decls[0].L, 9, tt.exempt},
				{"M", decls[0].M, 1, tt.resident},
				{"M", decls[0].M, 3, tt.recovered},
			} {
				got, ok := consumptionQuantity(row.list, row.row)
				assert.Equal(t, row.want != "", ok, "%s%d present", row.frame, row.row)
				if row.want != "" {
					assert.True(t, dec(row.want).Equal(got), "%s%d: want %s, got %s", row.frame, row.row, row.want, got)
				}
			}
		})
	}
}
