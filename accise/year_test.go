package accise

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/internal/civil"
)

// generatedYear returns the billing lines of tax year 2025 for two
// provinces in two ambiti: Firenze (ordinary ambito, with ARISGAN and IRS)
// and Palermo (Sicilia, neither). It covers every electricity class, civil
// gas in both locations, industrial gas above the cap, vehicle fuel, exempt
// gas and corrections on both sides.
func generatedYear() []Line {
	var lines []Line
	row := 1
	add := func(l Line) {
		row++
		l.File, l.Row, l.Company = "year.csv", row, "FIE000123"
		if l.Kind == "" {
			l.Kind = Invoice
		}
		lines = append(lines, l)
	}
	type supply struct {
		pod, prov, mun string
		use            Use
		resident       bool
		power          string
		kwh            func(month int) string
	}
	ee := []supply{
		{"IT001E00000101", "FI", "D612", UseDwelling, true, "3", func(m int) string { return fmt.Sprint(140 + 20*(m%4)) }},
		{"IT001E00000102", "FI", "D612", UseDwelling, true, "1.5", func(m int) string { return fmt.Sprint(120 + 30*(m%3)) }},
		{"IT001E00000103", "FI", "D612", UseDwelling, false, "4.5", func(int) string { return "250" }},
		{"IT001E00000104", "FI", "D612", UseNonDwelling, false, "500", func(m int) string { return fmt.Sprint(150000 + 25000*m) }},
		{"IT001E00000105", "FI", "D612", UseNonDwelling, false, "5000", func(m int) string {
			if m == 7 {
				return "1300000"
			}
			return "900000"
		}},
		{"IT001E00000106", "FI", "D612", UseExempt, false, "50", func(int) string { return "1000" }},
		{"IT001E00000201", "PA", "G273", UseDwelling, true, "3", func(m int) string { return fmt.Sprint(200 + 10*m) }},
		{"IT001E00000202", "PA", "G273", UseNonDwelling, false, "30", func(int) string { return "4000" }},
	}
	for _, s := range ee {
		for m := 1; m <= 12; m++ {
			month := monthOf2025(m)
			res := s.resident
			power := dec(s.power)
			distributor := "01234567890"
			if s.prov == "PA" {
				distributor = "09876543210"
			}
			add(Line{Supply: s.pod, Customer: "CF" + s.pod[len(s.pod)-3:], Commodity: Electricity, Use: s.use, Resident: &res, PowerKW: &power,
				Province: s.prov, Municipality: s.mun, From: month.First(), To: month.Last(), Quantity: dec(s.kwh(m)), Distributor: distributor})
		}
	}
	add(Line{Supply: "IT001E00000104", Commodity: Electricity, Use: UseNonDwelling, Province: "FI", Municipality: "D612",
		From: day("2024-11-01"), To: day("2024-11-30"), Quantity: dec("12000"), Kind: Correction})
	add(Line{Supply: "IT001E00000103", Commodity: Electricity, Use: UseDwelling, Province: "FI", Municipality: "D612",
		From: day("2024-12-01"), To: day("2024-12-31"), Quantity: dec("-80"), Kind: Correction})

	gas := []struct {
		pdr, prov, mun, zone string
		use                  Use
		casmez               bool
		quarters             [4]string
	}{
		{"00880000000101", "FI", "D612", "D", UseCivil, false, [4]string{"600", "150", "80", "700"}},
		{"00880000000102", "FI", "D612", "D", UseCivil, false, [4]string{"60", "40", "20", "50"}},
		{"00880000000103", "FI", "D612", "D", UseIndustrial, false, [4]string{"700000", "500000", "300000", "600000"}},
		{"00880000000104", "FI", "D612", "D", UseVehicle, false, [4]string{"5000", "5000", "5000", "5000"}},
		{"00880000000105", "FI", "D612", "D", UseExempt, false, [4]string{"1000", "1000", "1000", "1000"}},
		{"00880000000201", "PA", "G273", "B", UseCivil, true, [4]string{"400", "100", "50", "450"}},
	}
	for _, g := range gas {
		for q := range 4 {
			first := monthOf2025(3*q + 1)
			add(Line{Supply: g.pdr, Customer: "CF" + g.pdr[len(g.pdr)-3:], Commodity: Gas, Use: g.use, Province: g.prov, Municipality: g.mun,
				ClimateZone: g.zone, ExCasmez: g.casmez, From: first.First(), To: first.AddMonths(2).Last(), Quantity: dec(g.quarters[q])})
		}
	}
	add(Line{Supply: "00880000000101", Commodity: Gas, Use: UseCivil, Province: "FI", Municipality: "D612", ClimateZone: "D",
		From: day("2024-10-01"), To: day("2024-12-31"), Quantity: dec("-100"), Kind: Correction})
	add(Line{Supply: "00880000000201", Commodity: Gas, Use: UseCivil, ExCasmez: true, Province: "PA", Municipality: "G273", ClimateZone: "B",
		From: day("2024-10-01"), To: day("2024-12-31"), Quantity: dec("90"), Kind: Correction})
	return lines
}

func monthOf2025(m int) civil.Month {
	return civil.Month{Year: 2025, Month: 1}.AddMonths(m - 1)
}

func yearOptions() DeclareOptions {
	return DeclareOptions{
		Declarant: Declarant{CompanyCode: "FIE000123", SubjectType: "A", ActivityCode: "01",
			OfficeMunicipality: "FIRENZE", OfficeProvince: "FI", OfficeAddress: "VIA ROMA 1"},
		Year:         2025,
		SeatProvince: "FI",
		InstalmentsDue: map[string]decimal.Decimal{
			SummaryKey("IT", "1411"): dec("30000.00"),
			SummaryKey("PA", "1411"): dec("100.00"),
			SummaryKey("IT", "1421"): dec("20000.00"),
		},
		Suppliers: []Supplier{{Origin: "D", ID: "01234567890", Quantity: Qty{dec("15000000")}}},
		GasSold:   []GasSale{{Type: "M", ID: "01234567890", Quantity: Qty{dec("2500000")}, Municipality: "D612"}},
	}
}

func computeYear(t *testing.T) *Computation {
	t.Helper()
	c, found := Compute(generatedYear(), ComputeOptions{})
	require.Empty(t, found)
	return c
}

func rowOf(rows []LiquidationRow, n int) (LiquidationRow, bool) {
	for _, r := range rows {
		if r.Row == n {
			return r, true
		}
	}
	return LiquidationRow{}, false
}

func TestElectricityFramesTie(t *testing.T) {
	decls, err := BuildElectricity(computeYear(t), yearOptions())
	require.NoError(t, err)
	require.Len(t, decls, 2)
	assert.Equal(t, "EnergiaElettrica", decls[0].XMLName.Local)
	assert.Equal(t, "FI", decls[0].Q[0].Ambito, "the seat's ambito is written with the seat's province")
	assert.Equal(t, "PA", decls[1].Q[0].Ambito)
	assert.NotNil(t, decls[0].EF)
	assert.Nil(t, decls[1].EF)

	for _, d := range decls {
		mQty := map[string]map[int]decimal.Decimal{}
		for _, m := range d.M {
			if mQty[m.Province] == nil {
				mQty[m.Province] = map[int]decimal.Decimal{}
			}
			for _, r := range m.Rows {
				mQty[m.Province][r.Row] = mQty[m.Province][r.Row].Add(r.Commercial.Decimal)
			}
		}
		liquidated := decimal.Zero
		for _, p := range d.P {
			m := mQty[p.Province]
			checks := map[int]decimal.Decimal{1: m[1].Add(m[3]), 2: m[2], 4: m[9].Add(m[11]), 5: m[10]}
			for row, want := range checks {
				r, ok := rowOf(p.Rows, row)
				if want.IsZero() {
					assert.False(t, ok, "%s P%d", p.Province, row)
					continue
				}
				require.True(t, ok, "%s P%d", p.Province, row)
				got := decimal.Zero
				for _, det := range r.Details {
					got = got.Add(det.Quantity.Decimal)
				}
				assert.True(t, want.Equal(got), "%s P%d: M gives %s, P gives %s", p.Province, row, want, got)
			}
			sum := decimal.Zero
			var total decimal.Decimal
			for _, r := range p.Rows {
				switch {
				case r.Kind == RowTotal:
					total = r.Total.Decimal
				case r.Row == 11:
					sum = sum.Sub(r.Total.Decimal)
				default:
					sum = sum.Add(r.Total.Decimal)
				}
			}
			assert.True(t, sum.Equal(total), "%s P14 %s, rows add to %s", p.Province, total, sum)
			liquidated = liquidated.Add(total)
		}
		require.Len(t, d.Q, 1)
		assert.Equal(t, 1, d.Q[0].Rows[0].Row)
		assert.True(t, liquidated.Equal(d.Q[0].Rows[0].Amount.Decimal), "Q1 %s, sum of P14 %s", d.Q[0].Rows[0].Amount, liquidated)
	}
}

func TestElectricityFrameValues(t *testing.T) {
	decls, err := BuildElectricity(computeYear(t), yearOptions())
	require.NoError(t, err)
	fi := decls[0].P[0]
	require.Equal(t, "FI", fi.Province)
	assert.Equal(t, "1411", fi.Chapter)
	assert.Equal(t, "01", fi.Article)
	p6, ok := rowOf(fi.Rows, 6)
	require.True(t, ok)
	assert.Equal(t, "4820.00", p6.Total.StringFixed(2), "one month above 1,200,000 kWh")
	p10, ok := rowOf(fi.Rows, 10)
	require.True(t, ok)
	assert.Equal(t, "150.00", p10.Total.StringFixed(2), "12,000 kWh at 0.0125")
	p11, ok := rowOf(fi.Rows, 11)
	require.True(t, ok)
	assert.Equal(t, "1.82", p11.Total.StringFixed(2), "80 kWh at 0.0227")
	require.Len(t, decls[0].L, 1)
	assert.Equal(t, 9, decls[0].L[0].Rows[0].Row)
	assert.Equal(t, "15330", decls[0].L[0].Rows[0].Commercial.String(), "12,000 exempt kWh and 3,330 resident exempt kWh")
	require.Len(t, decls[0].K, 1)
	q := decls[0].Q[0].Rows
	require.Len(t, q, 4)
	balance := q[0].Amount.Sub(dec("30000"))
	if balance.IsPositive() {
		assert.True(t, balance.Equal(q[2].Amount.Decimal))
		assert.True(t, q[3].Amount.IsZero())
	} else {
		assert.True(t, balance.Neg().Equal(q[3].Amount.Decimal))
		assert.True(t, q[2].Amount.IsZero())
	}
}

func TestGasFramesTie(t *testing.T) {
	decls, err := BuildGas(computeYear(t), yearOptions())
	require.NoError(t, err)
	require.Len(t, decls, 2)
	fi, pa := decls[0], decls[1]
	assert.Equal(t, "GasNaturale", fi.XMLName.Local)
	require.Len(t, fi.M, 1, "Toscana levies ARISGAN")
	assert.Empty(t, pa.M, "Sicilia levies no ARISGAN")
	require.Len(t, fi.O, 1, "Toscana levies IRS on exempt gas")
	assert.Equal(t, "104.00", fi.O[0].Totals[0].Amount.StringFixed(2), "4,000 m³ at 0.026")
	require.Len(t, fi.EC, 1)
	require.Len(t, fi.EC[0].Clients, 1)
	client := fi.EC[0].Clients[0]
	assert.Equal(t, "4000.000", client.Quantity.StringFixed(3))
	assert.Equal(t, "2025-01-01", client.From)
	assert.Equal(t, "2025-12-31", client.To)

	for _, d := range decls {
		byChapter := map[string]decimal.Decimal{}
		for _, f := range d.I {
			byChapter[f.Chapter] = byChapter[f.Chapter].Add(frameTotal(f))
		}
		for _, l := range d.L {
			require.NotEmpty(t, l.Rows)
			assert.True(t, byChapter[l.Chapter].Equal(l.Rows[0].Amount.Decimal), "L %s", l.Chapter)
		}
	}
	var vehicle LiquidationFrame
	for _, f := range fi.I {
		if f.Chapter == ChapterVehicle {
			vehicle = f
		}
	}
	assert.Equal(t, "66.20", frameTotal(vehicle).StringFixed(2), "20,000 m³ at 0.00331")
}

func TestGasIndustrialAcrossQuarters(t *testing.T) {
	decls, err := BuildGas(computeYear(t), yearOptions())
	require.NoError(t, err)
	var combustion LiquidationFrame
	for _, f := range decls[0].I {
		if f.Chapter == ChapterCombustion {
			combustion = f
		}
	}
	r13, ok := rowOf(combustion.Rows, 13)
	require.True(t, ok)
	assert.Equal(t, "1200000.000", r13.Details[0].Quantity.StringFixed(3))
	r14, ok := rowOf(combustion.Rows, 14)
	require.True(t, ok)
	assert.Equal(t, "900000.000", r14.Details[0].Quantity.StringFixed(3))
	assert.Equal(t, "6748.92", r14.Total.StringFixed(2), "900,000 m³ at 0.0074988")
}

func TestDeclarationRegime(t *testing.T) {
	c := computeYear(t)
	opts := yearOptions()
	opts.Year = 2026
	_, err := BuildElectricity(c, opts)
	assert.ErrorIs(t, err, ErrRegime)
	opts.Half = 1
	decls, err := BuildElectricity(c, opts)
	require.NoError(t, err)
	assert.Empty(t, decls[0].M, "no 2026 months in the 2025 lines")
	opts.Year, opts.Half = 2025, 2
	_, err = BuildElectricity(c, opts)
	assert.ErrorIs(t, err, ErrRegime)
	assert.Equal(t, day("2027-03-31"), DeclareOptions{Year: 2026, Half: 2}.Due())
	assert.Equal(t, day("2026-09-30"), DeclareOptions{Year: 2026, Half: 1}.Due())
	assert.Equal(t, day("2026-03-31"), DeclareOptions{Year: 2025}.Due())
}

func TestHalfYearElectricity(t *testing.T) {
	var lines []Line
	for m := 1; m <= 12; m++ {
		month := civil.Month{Year: 2026, Month: monthOf2025(m).Month}
		lines = append(lines, Line{File: "h.csv", Row: m + 1, Supply: "IT001E00000104", Commodity: Electricity, Use: UseNonDwelling,
			Province: "TO", Municipality: "L219", From: month.First(), To: month.Last(), Quantity: dec("1000"), Kind: Invoice})
	}
	c, found := Compute(lines, ComputeOptions{})
	require.Empty(t, found)
	opts := yearOptions()
	opts.Year, opts.Half, opts.SeatProvince = 2026, 2, "TO"
	decls, err := BuildElectricity(c, opts)
	require.NoError(t, err)
	d := decls[0]
	assert.Equal(t, "EnergiaElettricaSemestrale", d.XMLName.Local)
	assert.Equal(t, &Period{Year: 2026, Half: 2}, d.Period)
	assert.Equal(t, "6000.000", d.M[0].Rows[0].Commercial.StringFixed(3))
	assert.Equal(t, "75.00", frameTotal(d.P[0]).StringFixed(2))
}

func TestTransitionFrameX(t *testing.T) {
	lines := []Line{{File: "x.csv", Row: 2, Supply: "IT001E00000104", Commodity: Electricity, Use: UseNonDwelling,
		Province: "TO", Municipality: "L219", From: day("2021-03-01"), To: day("2021-03-31"), Quantity: dec("1000"), Kind: Invoice}}
	c, found := Compute(lines, ComputeOptions{})
	require.Empty(t, found)
	opts := yearOptions()
	opts.Year, opts.SeatProvince = 2021, "TO"
	opts.InstalmentsDue = map[string]decimal.Decimal{SummaryKey("TO", "1411"): dec("20")}
	opts.PreviousCredit = map[string]decimal.Decimal{SummaryKey("TO", "1411"): dec("3.50")}
	decls, err := BuildElectricity(c, opts)
	require.NoError(t, err)
	d := decls[0]
	assert.Empty(t, d.Q)
	require.Len(t, d.X, 1)
	got := map[int]string{}
	for _, r := range d.X[0].Rows {
		got[r.Row] = r.Amount.StringFixed(2)
	}
	assert.Equal(t, map[int]string{1: "12.50", 2: "20.00", 3: "0.00", 4: "7.50", 5: "3.50"}, got)
}

func TestNewInstalments(t *testing.T) {
	got := NewInstalments(dec("126500"))
	assert.Equal(t, "10541.67", got[0].StringFixed(2))
	assert.Equal(t, "10541.63", got[11].StringFixed(2))
	sum := decimal.Zero
	for _, v := range got {
		sum = sum.Add(v)
	}
	assert.Equal(t, "126500.00", sum.StringFixed(2))
}

func TestLayoutUncertainRows(t *testing.T) {
	u := DefaultLayout().Uncertain(Electricity)
	assert.Contains(t, u, "Q2 instalments-due (provisional)")
	assert.Contains(t, u, "Q0 new-instalments (unknown)")
	assert.Contains(t, u, "P6 above-cap (guess)")
}

// A rate change in July gives frame P one column per rate.
func TestElectricityRateChangeInYear(t *testing.T) {
	rates, err := LoadRates(bytes.NewReader(ratesJSON))
	require.NoError(t, err)
	changed := rates.Electricity[0]
	changed.ValidFrom = day("2025-07-01")
	changed.DwellingRate = dec("0.03")
	rates.Electricity[0].ValidTo = day("2025-06-30")
	rates.Electricity = append(rates.Electricity, changed)

	var lines []Line
	for m := 1; m <= 12; m++ {
		month := monthOf2025(m)
		lines = append(lines, Line{File: "r.csv", Row: m + 1, Supply: "IT001E00000103", Commodity: Electricity, Use: UseDwelling,
			Province: "TO", Municipality: "L219", From: month.First(), To: month.Last(), Quantity: dec("100"), Kind: Invoice})
	}
	c, found := Compute(lines, ComputeOptions{Rates: rates})
	require.Empty(t, found)
	opts := yearOptions()
	opts.SeatProvince = "TO"
	decls, err := BuildElectricity(c, opts)
	require.NoError(t, err)
	p2, ok := rowOf(decls[0].P[0].Rows, 2)
	require.True(t, ok)
	require.Len(t, p2.Details, 2)
	assert.Equal(t, "0.0227", p2.Details[0].Rate.String())
	assert.Equal(t, "600", p2.Details[0].Quantity.String())
	assert.Equal(t, "0.03", p2.Details[1].Rate.String())
	assert.Equal(t, "600", p2.Details[1].Quantity.String())
	assert.Equal(t, "31.62", p2.Total.StringFixed(2), "13.62 + 18.00")
}

func TestInvoicedFrame(t *testing.T) {
	c := computeYear(t)
	decls, err := BuildElectricity(c, yearOptions())
	require.NoError(t, err)
	require.NotNil(t, decls[0].I, "the seat's ambito carries frame I")
	assert.Nil(t, decls[1].I)
	i := decls[0].I
	require.Len(t, i.Meters, 2)
	assert.Equal(t, Meter{Type: "M", ID: "01234567890", KWh: i.Meters[0].KWh, Municipality: "D612"}, i.Meters[0])
	assert.Equal(t, "09876543210", i.Meters[1].ID)
	want := decimal.Zero
	for _, sm := range c.Months {
		want = want.Add(sm.KWh)
	}
	assert.True(t, want.Equal(i.Total.Decimal), "frame I total %s, billed %s", i.Total, want)
}

func TestGasTransitionFrameX(t *testing.T) {
	lines := []Line{{File: "x.csv", Row: 2, Supply: "00880000000001", Commodity: Gas, Use: UseCivil, Province: "TO", Municipality: "L219",
		ClimateZone: "E", From: day("2021-01-01"), To: day("2021-12-31"), Quantity: dec("1000"), Kind: Invoice}}
	c, found := Compute(lines, ComputeOptions{})
	require.Empty(t, found)
	opts := yearOptions()
	opts.Year, opts.SeatProvince = 2021, "TO"
	opts.InstalmentsDue = map[string]decimal.Decimal{SummaryKey("TO", ChapterCombustion): dec("200")}
	opts.PreviousCredit = map[string]decimal.Decimal{SummaryKey("TO", ChapterCombustion): dec("12.34")}
	decls, err := BuildGas(c, opts)
	require.NoError(t, err)
	d := decls[0]
	assert.Empty(t, d.L)
	require.Len(t, d.X, 1)
	got := map[int]string{}
	for _, r := range d.X[0].Rows {
		got[r.Row] = r.Amount.StringFixed(2)
	}
	assert.Equal(t, "156.68", got[6])
	assert.Equal(t, "43.32", got[9], "credit of 200.00 - 156.68")
	assert.Equal(t, "12.34", got[10])
	assert.Equal(t, "0.00", got[4])

	var buf bytes.Buffer
	require.NoError(t, WriteXML(&buf, d))
	validate(t, "GasNaturale.xsd", buf.Bytes())
}

// The legacy acconto and conguaglio of an electricity seller: 120,000.00 of
// instalments against 126,500.00 liquidated leaves 6,500.00 to pay, and
// against 114,000.00 a credit of 6,000.00.
func TestSummaryBalance(t *testing.T) {
	tests := []struct {
		liquidated, debit, credit string
	}{
		{"126500", "6500.00", "0.00"},
		{"114000", "0.00", "6000.00"},
	}
	for _, tc := range tests {
		rows := summaryRows(DefaultLayout(), Electricity, "Q", dec(tc.liquidated), dec("120000"))
		require.Len(t, rows, 4)
		assert.Equal(t, tc.liquidated+".00", rows[0].Amount.StringFixed(2))
		assert.Equal(t, "120000.00", rows[1].Amount.StringFixed(2))
		assert.Equal(t, tc.debit, rows[2].Amount.StringFixed(2))
		assert.Equal(t, tc.credit, rows[3].Amount.StringFixed(2))
	}
	assert.Equal(t, "9500.00", NewInstalments(dec("114000"))[0].StringFixed(2))
}
