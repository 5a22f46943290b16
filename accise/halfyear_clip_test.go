package accise

import (
	"fmt"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// midYearRates returns the default rates with a gas version from 1 July
// 2026 that doubles the civil rates and raises the vehicle rate.
func midYearRates(t *testing.T) *Rates {
	t.Helper()
	rates, err := LoadRates(strings.NewReader(string(ratesJSON)))
	require.NoError(t, err)
	july := rates.Gas[1]
	rates.Gas[1].ValidTo = day("2026-06-30")
	july.ValidFrom = day("2026-07-01")
	july.CivilOrdinary = []decimal.Decimal{dec("0.088"), dec("0.35"), dec("0.34"), dec("0.372")}
	july.VehicleRate = dec("0.004")
	rates.Gas = append(rates.Gas, july)
	return rates
}

// A bill across the edge of the half that also spans a rate change is
// declared in each half with the quantity and rate of its own days.
func TestHalfYearGasClipByRate(t *testing.T) {
	vehicle := halfGasLine(2, "2026-06-01", "2026-07-31", "610")
	vehicle.Use = UseVehicle
	yearEdge := halfGasLine(2, "2025-12-01", "2026-01-31", "620")
	yearEdge.Use = UseVehicle
	tests := []struct {
		name string
		line Line
		half int
		// quantity and excise are the totals of frames G and I.
		quantity, excise string
	}{
		// June: 120 × 0.044 + 180 × 0.175 at the first version.
		{"civil first half", halfGasLine(2, "2026-06-01", "2026-07-31", "610"), 1, "300.000", "36.78"},
		// July: 180 × 0.35 + 130 × 0.34 at the second version.
		{"civil second half", halfGasLine(2, "2026-06-01", "2026-07-31", "610"), 2, "310.000", "107.20"},
		{"vehicle first half", vehicle, 1, "300.000", "0.99"},
		{"vehicle second half", vehicle, 2, "310.000", "1.24"},
		// January 2026 at the 2026 version (310 × 0.004), not half of
		// each month's portion.
		{"across the year edge", yearEdge, 1, "310.000", "1.24"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rates := midYearRates(t)
			if tt.line.From.Year == 2025 {
				rates.Gas[1].VehicleRate = dec("0.004")
			}
			c, found := Compute([]Line{tt.line}, ComputeOptions{Rates: rates})
			require.Empty(t, found)
			opts := yearOptions()
			opts.Year, opts.Half, opts.InstalmentsDue, opts.GasSold, opts.Suppliers = 2026, tt.half, nil, nil, nil
			decls, err := BuildGas(c, opts)
			require.NoError(t, err)
			require.Len(t, decls, 1)
			d := decls[0]

			quantity := decimal.Zero
			for _, g := range d.G {
				for _, r := range g.Rows {
					quantity = quantity.Add(r.Quantity.Decimal)
				}
			}
			assert.Equal(t, tt.quantity, quantity.StringFixed(3), "frame G quantity")
			require.Len(t, d.I, 1)
			assert.Equal(t, tt.excise, frameTotal(d.I[0]).StringFixed(2), "frame I total")
		})
	}
}

// The monthly tax of a bill that spans a rate change follows the rate of
// each month's days, so the monthly payments tie to the half-year frames.
func TestMonthlyTaxesSplitByRate(t *testing.T) {
	line := halfGasLine(2, "2026-06-01", "2026-07-31", "610")
	c, found := Compute([]Line{line}, ComputeOptions{Rates: midYearRates(t)})
	require.Empty(t, found)
	taxes, err := MonthlyTaxes(c, "FIE000123", DefaultTerritory())
	require.NoError(t, err)
	got := map[string]string{}
	for _, tax := range taxes {
		got[tax.Account.Tax.Chapter()+" "+tax.Month.String()] = tax.Amount.StringFixed(2)
	}
	want := map[string]string{
		// June: 120 × 0.044 + 180 × 0.175; July: 180 × 0.35 + 130 × 0.34.
		"1421 2026-06": "36.78", "1421 2026-07": "107.20",
		// Toscana ARISGAN: June 120 × 0.022 + 180 × 0.030987, July 310 × 0.030987.
		"ARISGAN 2026-06": "8.22", "ARISGAN 2026-07": "9.61",
	}
	assert.Equal(t, want, got)
}

// A bill across 1 July fills the annual brackets in the order of its days:
// the first half's days take the lower brackets.
func TestHalfYearGasBracketsInDayOrder(t *testing.T) {
	tests := []struct {
		name string
		line Line
		half int
		// brackets are the quantities of frame G by bracket.
		brackets map[int]string
	}{
		{"two months, first half", halfGasLine(2, "2026-06-01", "2026-07-31", "610"), 1, map[int]string{1: "120.000", 2: "180.000"}},
		{"two months, second half", halfGasLine(2, "2026-06-01", "2026-07-31", "610"), 2, map[int]string{2: "180.000", 3: "130.000"}},
		// 2000 m³ over 365 days: 181 days (991.781 m³) in the first half.
		{"whole year, first half", halfGasLine(2, "2026-01-01", "2026-12-31", "2000"), 1,
			map[int]string{1: "120.000", 2: "360.000", 3: "511.781"}},
		{"whole year, second half", halfGasLine(2, "2026-01-01", "2026-12-31", "2000"), 2,
			map[int]string{3: "568.219", 4: "440.000"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, found := Compute([]Line{tt.line}, ComputeOptions{})
			require.Empty(t, found)
			opts := yearOptions()
			opts.Year, opts.Half, opts.InstalmentsDue, opts.GasSold, opts.Suppliers = 2026, tt.half, nil, nil, nil
			decls, err := BuildGas(c, opts)
			require.NoError(t, err)
			require.Len(t, decls, 1)
			got := map[int]string{}
			for _, g := range decls[0].G {
				for _, r := range g.Rows {
					for bracket := 1; bracket <= 4; bracket++ {
						if def, _ := opts.layout().Row(Gas, "G", fmt.Sprintf("civil-%d-C", bracket)); def.Row == r.Row {
							got[bracket] = r.Quantity.StringFixed(3)
						}
					}
				}
			}
			assert.Equal(t, tt.brackets, got)
		})
	}
}
