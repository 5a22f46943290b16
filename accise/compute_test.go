package accise

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/internal/civil"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func day(s string) civil.Date {
	d, err := civil.ParseISODate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func eeRates(t *testing.T) ElectricityRates {
	t.Helper()
	r, err := DefaultRates().ElectricityAt(day("2025-06-01"))
	require.NoError(t, err)
	return r
}

func TestNonDwellingSlices(t *testing.T) {
	tests := []struct {
		kwh, want string
	}{
		{"150000", "1875.00"},
		{"300000", "3250.00"},
		{"1200000", "10000.00"},
		{"1200001", "7320.00"},
		{"1500000", "7320.00"},
	}
	for _, tc := range tests {
		t.Run(tc.kwh, func(t *testing.T) {
			ps, err := ElectricityMonth{Use: UseNonDwelling, KWh: dec(tc.kwh)}.Compute(eeRates(t))
			require.NoError(t, err)
			assert.Equal(t, tc.want, Excise(ps).StringFixed(2))
			assert.Equal(t, tc.want, LineTotal(ps).StringFixed(2))
		})
	}
}

func TestNonDwellingDiscontinuityClasses(t *testing.T) {
	below, err := ElectricityMonth{Use: UseNonDwelling, KWh: dec("1200000")}.Compute(eeRates(t))
	require.NoError(t, err)
	above, err := ElectricityMonth{Use: UseNonDwelling, KWh: dec("1200001")}.Compute(eeRates(t))
	require.NoError(t, err)
	require.Len(t, below, 2)
	require.Len(t, above, 2)
	assert.Equal(t, ClassAboveSlice, below[1].Class)
	assert.Equal(t, ClassAboveCap, above[1].Class)
	assert.Equal(t, "1000001", above[1].Quantity.String())
	assert.Equal(t, "4820", above[1].Fixed.String())
}

func TestResidentExemption(t *testing.T) {
	tests := []struct {
		name, power, kwh string
		resident         bool
		taxed, want      string
	}{
		{"3kW 160", "3", "160", true, "10", "0.23"},
		{"3kW 180", "3", "180", true, "30", "0.68"},
		{"3kW 220", "3", "220", true, "70", "1.59"},
		{"3kW 300", "3", "300", true, "230", "5.22"},
		{"3kW 370", "3", "370", true, "370", "8.40"},
		{"3kW 500", "3", "500", true, "500", "11.35"},
		{"1.5kW 200", "1.5", "200", true, "100", "2.27"},
		{"1.5kW 300", "1.5", "300", true, "300", "6.81"},
		{"3kW 100", "3", "100", true, "0", "0.00"},
		{"4.5kW resident", "4.5", "160", true, "160", "3.63"},
		{"3kW non-resident", "3", "160", false, "160", "3.63"},
		{"power unknown", "0", "160", true, "160", "3.63"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := ElectricityMonth{Use: UseDwelling, Resident: tc.resident, PowerKW: dec(tc.power), KWh: dec(tc.kwh)}
			ps, err := m.Compute(eeRates(t))
			require.NoError(t, err)
			taxedQty := decimal.Zero
			for _, p := range ps {
				if p.Class != ClassResidentExempt {
					taxedQty = taxedQty.Add(p.Quantity)
				}
			}
			assert.Equal(t, tc.taxed, taxedQty.String())
			assert.Equal(t, tc.want, Excise(ps).StringFixed(2))
		})
	}
}

// The year of a resident 3 kW dwelling with 8 months of 160 kWh and 4 of
// 180 kWh: 200 kWh are taxed, and the declaration line of the year is
// 200 × 0.0227 = 4.54, while rounding each month apart would give 4.56.
func TestResidentYear(t *testing.T) {
	r := eeRates(t)
	taxedQty, perMonth := decimal.Zero, decimal.Zero
	for i := range 12 {
		kwh := "160"
		if i >= 8 {
			kwh = "180"
		}
		ps, err := ElectricityMonth{Use: UseDwelling, Resident: true, PowerKW: dec("3"), KWh: dec(kwh)}.Compute(r)
		require.NoError(t, err)
		for _, p := range ps {
			if p.Class == ClassResident {
				taxedQty = taxedQty.Add(p.Quantity)
			}
		}
		perMonth = perMonth.Add(Excise(ps))
	}
	assert.Equal(t, "200", taxedQty.String())
	assert.Equal(t, "4.54", Round(taxedQty.Mul(r.DwellingRate)).StringFixed(2))
	assert.Equal(t, "4.56", perMonth.StringFixed(2))

	ps, err := ElectricityMonth{Use: UseDwelling, Resident: false, PowerKW: dec("3"), KWh: dec("2000")}.Compute(r)
	require.NoError(t, err)
	assert.Equal(t, "45.40", Excise(ps).StringFixed(2))
}

func TestElectricityNegativeMonth(t *testing.T) {
	ps, err := ElectricityMonth{Use: UseNonDwelling, KWh: dec("-300000")}.Compute(eeRates(t))
	require.NoError(t, err)
	assert.Equal(t, "-3250.00", LineTotal(ps).StringFixed(2))
}

func TestElectricityInvalidUse(t *testing.T) {
	_, err := ElectricityMonth{Use: UseCivil, KWh: dec("1")}.Compute(eeRates(t))
	assert.ErrorContains(t, err, "invalid electricity use")
}

func gasYear(t *testing.T, rates *Rates, bills ...GasBill) []Portion {
	t.Helper()
	out, err := GasYear(rates, bills)
	require.NoError(t, err)
	var all []Portion
	for _, ps := range out {
		all = append(all, ps...)
	}
	return all
}

func amounts(ps []Portion) string {
	var s []string
	for _, p := range ps {
		s = append(s, p.Amount.StringFixed(2))
	}
	return strings.Join(s, " + ")
}

func TestGasCivilBrackets(t *testing.T) {
	tests := []struct {
		name     string
		qty      string
		exCasmez bool
		lines    string
		total    string
	}{
		{"1000 ordinary", "1000", false, "5.28 + 63.00 + 88.40", "156.68"},
		{"1000 ex-Casmez", "1000", true, "4.56 + 48.60 + 62.40", "115.56"},
		{"2000 ordinary", "2000", false, "5.28 + 63.00 + 183.60 + 81.84", "333.72"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ps := gasYear(t, DefaultRates(), GasBill{From: day("2025-01-01"), To: day("2025-12-31"), Quantity: dec(tc.qty), Use: UseCivil, ExCasmez: tc.exCasmez})
			assert.Equal(t, tc.lines, amounts(ps))
			assert.Equal(t, tc.total, LineTotal(ps).StringFixed(2))
		})
	}
}

func TestGasBracketsAcrossBills(t *testing.T) {
	bills := []GasBill{
		{From: day("2025-07-01"), To: day("2025-12-31"), Quantity: dec("600"), Use: UseCivil},
		{From: day("2025-01-01"), To: day("2025-06-30"), Quantity: dec("400"), Use: UseCivil},
	}
	out, err := GasYear(DefaultRates(), bills)
	require.NoError(t, err)
	// The January bill comes first: 120 in bracket 1 and 280 in bracket 2.
	assert.Equal(t, "5.28 + 49.00", amounts(out[1]))
	// The July bill goes on from 400 m³: 80 in bracket 2, 520 in bracket 3.
	assert.Equal(t, "14.00 + 88.40", amounts(out[0]))
	assert.Equal(t, 2, out[0][0].Bracket)
	assert.Equal(t, "80", out[0][0].Quantity.String())
}

func TestGasCreditEmptiesTopBracket(t *testing.T) {
	bills := []GasBill{
		{From: day("2025-01-01"), To: day("2025-06-30"), Quantity: dec("600"), Use: UseCivil},
		{From: day("2025-02-01"), To: day("2025-06-30"), Quantity: dec("-200"), Use: UseCivil},
	}
	out, err := GasYear(DefaultRates(), bills)
	require.NoError(t, err)
	// 600 m³ reach 120 into bracket 3; the credit of 200 takes those 120
	// and 80 of bracket 2.
	require.Len(t, out[1], 2)
	assert.Equal(t, 2, out[1][0].Bracket)
	assert.Equal(t, "-80", out[1][0].Quantity.String())
	assert.Equal(t, 3, out[1][1].Bracket)
	assert.Equal(t, "-120", out[1][1].Quantity.String())
}

func TestArisganPiemonte(t *testing.T) {
	ps := gasYear(t, DefaultRates(), GasBill{From: day("2025-01-01"), To: day("2025-12-31"), Quantity: dec("1000"), Use: UseCivil})
	a := Arisgan(DefaultRates(), "PIE", "E", false, ps)
	assert.Equal(t, "2.64 + 9.29 + 13.42", amounts(a))
	assert.Equal(t, "25.35", LineTotal(a).StringFixed(2))
}

func TestArisganLombardiaIsZero(t *testing.T) {
	ps := gasYear(t, DefaultRates(), GasBill{From: day("2025-01-01"), To: day("2025-12-31"), Quantity: dec("1000"), Use: UseCivil})
	assert.Empty(t, Arisgan(DefaultRates(), "LOM", "E", false, ps))
	assert.Empty(t, Arisgan(DefaultRates(), "SIC", "B", false, ps))
}

func TestArisganByZoneAndLocation(t *testing.T) {
	r := DefaultRates()
	on := day("2025-01-01")
	lig, ok := r.ArisganAt("LIG", "F", false, on)
	require.True(t, ok)
	assert.Equal(t, "0.0103", lig.Civil[0].String())
	laz, ok := r.ArisganAt("LAZ", "D", true, on)
	require.True(t, ok)
	assert.Equal(t, "0.019", laz.Civil[0].String())
	laz, ok = r.ArisganAt("LAZ", "D", false, on)
	require.True(t, ok)
	assert.Equal(t, "0.022", laz.Civil[0].String())
	abr, ok := r.ArisganAt("ABR", "E", false, on)
	require.True(t, ok)
	assert.Equal(t, "0.01033", abr.Civil[3].String())
}

func TestGasIndustrial(t *testing.T) {
	ps := gasYear(t, DefaultRates(), GasBill{From: day("2025-01-01"), To: day("2025-12-31"), Quantity: dec("2000000"), Use: UseIndustrial})
	assert.Equal(t, "14997.60 + 5999.04", amounts(ps))
	assert.Equal(t, "20996.64", LineTotal(ps).StringFixed(2))
	a := Arisgan(DefaultRates(), "PIE", "E", false, ps)
	assert.Equal(t, "11658.80", LineTotal(a).StringFixed(2))
}

// The table chooses 0.0074988 for industrial gas above 1,200,000 m³ and
// records 0.007499 as the alternative some texts give; with it the same year
// would cost 20,996.80.
func TestGasReducedRateChoice(t *testing.T) {
	for _, on := range []string{"2025-06-01", "2026-06-01"} {
		g, err := DefaultRates().GasAt(day(on))
		require.NoError(t, err)
		assert.Equal(t, "0.0074988", g.IndustrialAboveCapRate.String())
		require.Len(t, g.IndustrialAboveCapAlternatives, 1)
		alt := g.IndustrialAboveCapAlternatives[0].Rate
		assert.Equal(t, "0.007499", alt.String())
		total := Round(dec("1200000").Mul(g.IndustrialRate)).Add(Round(dec("800000").Mul(alt)))
		assert.Equal(t, "20996.80", total.StringFixed(2))
	}
}

func TestGasRateChangeSplitsBill(t *testing.T) {
	rates, err := LoadRates(strings.NewReader(string(ratesJSON)))
	require.NoError(t, err)
	rates.Gas[1].VehicleRate = dec("0.004")
	bill := GasBill{From: day("2025-12-01"), To: day("2026-01-31"), Quantity: dec("620"), Use: UseVehicle}
	ps := gasYear(t, rates, bill)
	require.Len(t, ps, 2)
	assert.Equal(t, "310", ps[0].Quantity.String())
	assert.Equal(t, "0.00331", ps[0].Rate.String())
	assert.Equal(t, "1.03", ps[0].Amount.StringFixed(2))
	assert.Equal(t, "310", ps[1].Quantity.String())
	assert.Equal(t, "0.004", ps[1].Rate.String())
	assert.Equal(t, day("2026-01-01"), ps[1].On)
}

func TestIRS(t *testing.T) {
	ps := gasYear(t, DefaultRates(), GasBill{From: day("2025-01-01"), To: day("2025-12-31"), Quantity: dec("1000"), Use: UseExempt})
	assert.Equal(t, "26.00", LineTotal(IRS(DefaultRates(), "TOS", ps)).StringFixed(2))
	assert.Equal(t, "31.00", LineTotal(IRS(DefaultRates(), "CAM", ps)).StringFixed(2))
	assert.Empty(t, IRS(DefaultRates(), "PIE", ps))
}

func TestLoadRatesRejectsBadShape(t *testing.T) {
	_, err := LoadRates(strings.NewReader(`{"gas":[{"civil_bracket_limits_m3":["120"],"civil_ordinary":["1"],"civil_ex_casmez":["1","2"]}]}`))
	assert.ErrorContains(t, err, "bracket limits")
	_, err = LoadRates(strings.NewReader(`{"unknown":1}`))
	assert.ErrorContains(t, err, "invalid rate table")
}

func TestTerritory(t *testing.T) {
	tr := DefaultTerritory()
	assert.Len(t, tr.Provinces, 107)
	for _, tc := range []struct{ prov, region, ambito string }{
		{"TO", "PIE", "IT"}, {"MI", "LOM", "IT"}, {"PA", "SIC", "PA"}, {"UD", "FVG", "TS"}, {"BZ", "TAA", "BZ"}, {"TN", "TAA", "TN"}, {"SU", "SAR", "CA"},
	} {
		p, ok := tr.Province(tc.prov)
		require.True(t, ok, tc.prov)
		assert.Equal(t, tc.region, p.Region, tc.prov)
		assert.Equal(t, tc.ambito, p.Ambito, tc.prov)
	}
	r, ok := tr.RegionOf("CT")
	require.True(t, ok)
	assert.True(t, r.SpecialStatute)
}

func TestGasBracketsRestartEachYear(t *testing.T) {
	lines := []Line{
		{File: "g.csv", Row: 2, Supply: "00880000000001", Commodity: Gas, Use: UseCivil, Province: "TO",
			From: day("2024-01-01"), To: day("2024-12-31"), Quantity: dec("1000"), Kind: Invoice},
		{File: "g.csv", Row: 3, Supply: "00880000000001", Commodity: Gas, Use: UseCivil, Province: "TO",
			From: day("2025-01-01"), To: day("2025-12-31"), Quantity: dec("1000"), Kind: Invoice},
	}
	c, found := Compute(lines, ComputeOptions{})
	require.Empty(t, found)
	assert.Equal(t, "156.68", LineTotal(c.PerLine[0].Excise).StringFixed(2))
	assert.Equal(t, "156.68", LineTotal(c.PerLine[1].Excise).StringFixed(2))
}

func TestArisganNotInForce(t *testing.T) {
	lines := []Line{{File: "g.csv", Row: 2, Supply: "00880000000001", Commodity: Gas, Use: UseCivil, Province: "TO",
		ClimateZone: "E", From: day("2020-01-01"), To: day("2020-12-31"), Quantity: dec("1000"), Kind: Invoice}}
	_, found := Compute(lines, ComputeOptions{})
	require.Len(t, found, 1)
	assert.Equal(t, CodeNotComputable, found[0].Code)
	assert.Contains(t, found[0].Message, "ARISGAN of Piemonte")
	lines[0].Province = "PA"
	_, found = Compute(lines, ComputeOptions{})
	assert.Empty(t, found, "Sicilia levies no ARISGAN")
	lines[0].From, lines[0].To = day("2025-01-01"), day("2025-12-31")
	lines[0].Province = "MI"
	_, found = Compute(lines, ComputeOptions{})
	assert.Empty(t, found, "Lombardia has a zero row")
}
