package accise

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A gas bill across 1 January fills the brackets of each year with the
// days of that year: its part of the new year starts from zero.
func TestGasBillAcrossNewYear(t *testing.T) {
	bill := halfGasLine
	tests := []struct {
		name  string
		lines []Line
		// want maps "year bracket" to the quantity of the line under test,
		// the last one.
		want map[string]string
	}{
		{"alone", []Line{bill(2, "2025-12-01", "2026-01-31", "620")},
			map[string]string{"2025 1": "120", "2025 2": "190", "2026 1": "120", "2026 2": "190"}},
		{"after a bill of the old year", []Line{bill(2, "2025-01-01", "2025-11-30", "1000"), bill(3, "2025-12-01", "2026-01-31", "620")},
			map[string]string{"2025 3": "310", "2026 1": "120", "2026 2": "190"}},
		{"before a bill of the new year", []Line{bill(2, "2025-12-01", "2026-01-31", "620"), bill(3, "2026-02-01", "2026-02-28", "200")},
			map[string]string{"2026 2": "170", "2026 3": "30"}},
		{"new year bill listed first", []Line{bill(2, "2026-02-01", "2026-02-28", "200"), bill(3, "2025-12-01", "2026-01-31", "620")},
			map[string]string{"2025 1": "120", "2025 2": "190", "2026 1": "120", "2026 2": "190"}},
		{"three years", []Line{bill(2, "2024-12-01", "2026-01-31", "427")},
			map[string]string{"2024 1": "31", "2025 1": "120", "2025 2": "245", "2026 1": "31"}},
		{"inside one year", []Line{bill(2, "2026-01-01", "2026-01-31", "310")},
			map[string]string{"2026 1": "120", "2026 2": "190"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, found := Compute(tt.lines, ComputeOptions{})
			require.Empty(t, found)
			last := len(tt.lines) - 1
			got := map[string]string{}
			for _, p := range c.PerLine[last].Excise {
				key := fmt.Sprintf("%d %d", p.On.Year, p.Bracket)
				require.NotContains(t, got, key, "one portion per year and bracket")
				got[key] = p.Quantity.String()
			}
			assert.Equal(t, tt.want, got)
			for j, p := range c.PerLine[last].Excise[1:] {
				assert.False(t, p.On.Before(c.PerLine[last].Excise[j].On), "portions in date order")
			}
			assert.NotEmpty(t, c.PerLine[last].Surcharge, "ARISGAN of Toscana")
		})
	}
}

func TestSplitAtNewYearSums(t *testing.T) {
	tests := []struct {
		name     string
		from, to string
		quantity string
		parts    []string
	}{
		{"one year", "2025-03-01", "2025-03-31", "100", []string{"100"}},
		{"two years", "2025-12-01", "2026-01-31", "100", []string{"50", "50"}},
		{"uneven", "2025-12-31", "2026-01-02", "1", []string{"0.333", "0.667"}},
		{"credit", "2025-12-01", "2026-01-31", "-62", []string{"-31", "-31"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			segs := splitAtNewYear(0, Line{From: day(tt.from), To: day(tt.to), Quantity: dec(tt.quantity)})
			var parts []string
			sum := dec("0")
			for _, s := range segs {
				parts = append(parts, s.quantity.String())
				sum = sum.Add(s.quantity)
			}
			assert.Equal(t, tt.parts, parts)
			assert.True(t, dec(tt.quantity).Equal(sum), "parts add up to the quantity")
			assert.Equal(t, day(tt.from), segs[0].from)
			assert.Equal(t, day(tt.to), segs[len(segs)-1].to)
		})
	}
}

// Each annual declaration takes the days of a bill across 1 January that
// fall in its year, at that year's bracket position.
func TestAnnualGasAcrossNewYear(t *testing.T) {
	lines := []Line{halfGasLine(2, "2024-12-01", "2025-01-31", "620")}
	c, found := Compute(lines, ComputeOptions{})
	require.Empty(t, found)
	tests := []struct {
		year     int
		quantity string
	}{
		{2024, "310"},
		{2025, "310"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.year), func(t *testing.T) {
			opts := yearOptions()
			opts.Year, opts.InstalmentsDue, opts.GasSold, opts.Suppliers = tt.year, nil, nil, nil
			decls, err := BuildGas(c, opts)
			require.NoError(t, err)
			require.Len(t, decls, 1)
			sum := dec("0")
			for _, f := range decls[0].G {
				for _, r := range f.Rows {
					sum = sum.Add(r.Quantity.Decimal)
				}
			}
			assert.True(t, dec(tt.quantity).Equal(sum), "frame G of %d: want %s, got %s", tt.year, tt.quantity, sum)
		})
	}
}
