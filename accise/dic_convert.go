package accise

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
)

// The legacy .dic file carries quantities as whole kWh or m³; the converters
// round them half away from zero.
func wholeUnits(q decimal.Decimal) string { return q.Round(0).StringFixed(0) }

func money(d decimal.Decimal) string { return d.StringFixed(2) }

func rate(d decimal.Decimal) string { return d.StringFixed(7) }

func itoa(i int) string { return fmt.Sprint(i) }

// frontispiece builds record 00 from the declarant.
func frontispiece(c Commodity, d Declarant, year int) DicRecord {
	return DicRecord{Commodity: c, Company: d.CompanyCode, Year: year, Type: "00", Values: map[string]string{
		"activity": d.ActivityCode, "subject_type": d.SubjectType, "name": "",
		"seat_municipality": "", "seat_province": "", "seat_address": "",
		"office_municipality": d.OfficeMunicipality, "office_province": d.OfficeProvince, "office_address": d.OfficeAddress,
	}}
}

// ElectricityDicRecords converts an annual electricity declaration into the
// legacy record types whose layout is known: 00, 26 (frame I), 41 (frame L),
// 42 (frame M), 51 (frame P), 61 (frames X and Q) and 82 (frame EF).
func ElectricityDicRecords(d *ElectricityDeclaration) []DicRecord {
	year := d.Year
	if d.Period != nil {
		year = d.Period.Year
	}
	rec := func(typ string, v map[string]string) DicRecord {
		return DicRecord{Commodity: Electricity, Company: d.Declarant.CompanyCode, Year: year, Type: typ, Values: v}
	}
	out := []DicRecord{frontispiece(Electricity, d.Declarant, year)}
	if d.I != nil {
		for _, m := range d.I.Meters {
			out = append(out, rec("26", map[string]string{"month": "0", "kind": m.Type, "id": m.ID,
				"kwh": wholeUnits(m.KWh.Decimal), "municipality": m.Municipality}))
		}
	}
	for _, pair := range []struct {
		typ    string
		frames []ConsumptionFrame
	}{{"41", d.L}, {"42", d.M}} {
		for _, f := range pair.frames {
			for _, r := range f.Rows {
				out = append(out, rec(pair.typ, map[string]string{
					"province": f.Province, "month": "0", "row": itoa(r.Row), "own_use": wholeUnits(r.OwnUse.Decimal),
					"supplies": itoa(r.Supplies), "commercial": wholeUnits(r.Commercial.Decimal), "municipality": f.Municipality,
				}))
			}
		}
	}
	for _, f := range d.P {
		for _, v := range liquidationValues(f) {
			out = append(out, rec("51", v))
		}
	}
	for _, f := range append(append([]SummaryFrame(nil), d.X...), d.Q...) {
		out = append(out, summaryRecords(Electricity, "61", d.Declarant.CompanyCode, year, f)...)
	}
	if d.EF != nil {
		out = append(out, supplierRecords(Electricity, d.Declarant.CompanyCode, year, d.EF)...)
	}
	return out
}

// GasDicRecords converts a gas declaration into the legacy record types
// whose layout is known: 00, 16 (frame D), 31 (frame F), 32 (frame G), 50
// (frame I), 55 (frame L), 60 (frame M), 65 (frame N), 80 (frame EC) and 82
// (frame EF).
func GasDicRecords(d *GasDeclaration) []DicRecord {
	rec := func(typ string, v map[string]string) DicRecord {
		return DicRecord{Commodity: Gas, Company: d.Declarant.CompanyCode, Year: d.Year, Type: typ, Values: v}
	}
	out := []DicRecord{frontispiece(Gas, d.Declarant, d.Year)}
	if d.D != nil {
		for _, s := range d.D.Sales {
			out = append(out, rec("16", map[string]string{"month": "0", "row_kind": "0", "kind": s.Type, "id": s.ID,
				"quantity": wholeUnits(s.Quantity.Decimal), "municipality": s.Municipality}))
		}
	}
	for _, f := range d.F {
		for _, r := range f.Rows {
			out = append(out, rec("31", map[string]string{"province": f.Province, "month": "0", "climate_zone": f.ClimateZone,
				"row": itoa(r.Row), "supplies": itoa(r.Supplies), "quantity": wholeUnits(r.Quantity.Decimal)}))
		}
	}
	for _, f := range d.G {
		for _, r := range f.Rows {
			out = append(out, rec("32", map[string]string{"province": f.Province, "month": "0",
				"row": itoa(r.Row), "supplies": itoa(r.Supplies), "quantity": wholeUnits(r.Quantity.Decimal)}))
		}
	}
	for _, f := range d.I {
		for _, v := range liquidationValues(f) {
			out = append(out, rec("50", v))
		}
	}
	for _, f := range d.L {
		out = append(out, summaryRecords(Gas, "55", d.Declarant.CompanyCode, d.Year, f)...)
	}
	for _, f := range d.M {
		out = append(out, arisganRecords(f, rec)...)
	}
	for _, f := range d.N {
		out = append(out, summaryRecords(Gas, "65", d.Declarant.CompanyCode, d.Year, f)...)
	}
	for _, list := range d.EC {
		for _, c := range list.Clients {
			out = append(out, rec("80", map[string]string{
				"province": list.Province, "month": "0", "client_id": c.ID, "use_frame": c.UseFrame, "use_row": itoa(c.UseRow),
				"application": itoa(c.Application), "percent": "0", "start": compactDate(c.From), "end": compactDate(c.To),
				"pdr": c.Supply, "quantity": wholeUnits(c.Quantity.Decimal), "address": c.Address, "municipality": c.Municipality,
				"excise": money(c.Excise.Decimal),
			}))
		}
	}
	if d.EF != nil {
		out = append(out, supplierRecords(Gas, d.Declarant.CompanyCode, d.Year, d.EF)...)
	}
	return out
}

// liquidationValues returns one record per rate column of each liquidation
// row, numbered by sequence. Amount-only and total rows give one record
// with the amount as tax.
func liquidationValues(f LiquidationFrame) []map[string]string {
	var out []map[string]string
	for _, r := range f.Rows {
		base := func(seq int) map[string]string {
			return map[string]string{"province": f.Province, "month": itoa(f.Month), "chapter": f.Chapter, "article": f.Article,
				"row": itoa(r.Row), "row_kind": itoa(r.Kind), "sequence": itoa(seq)}
		}
		if len(r.Details) == 0 {
			v := base(1)
			v["quantity"], v["rate"], v["tax"] = "0", rate(decimal.Zero), money(r.Total.Decimal)
			out = append(out, v)
			continue
		}
		for i, det := range r.Details {
			v := base(i + 1)
			v["quantity"] = wholeUnits(det.Quantity.Decimal)
			v["rate"] = rate(det.Rate.Decimal)
			v["tax"] = money(Round(det.Quantity.Mul(det.Rate.Decimal)))
			out = append(out, v)
		}
	}
	return out
}

func summaryRecords(c Commodity, typ, company string, year int, f SummaryFrame) []DicRecord {
	area := f.Province
	if area == "" {
		area = f.Ambito
	}
	var out []DicRecord
	for _, r := range f.Rows {
		out = append(out, DicRecord{Commodity: c, Company: company, Year: year, Type: typ, Values: map[string]string{
			"province": area, "month": "0", "chapter": f.Chapter, "article": f.Article, "row": itoa(r.Row), "amount": money(r.Amount.Decimal),
		}})
	}
	return out
}

func arisganRecords(f SurchargeFrame, rec func(string, map[string]string) DicRecord) []DicRecord {
	var out []DicRecord
	for _, r := range f.Rows {
		for i, det := range r.Details {
			out = append(out, rec("60", map[string]string{"province": f.Province, "month": "0", "row_kind": "0", "climate_zone": r.ClimateZone,
				"row": itoa(r.Row), "sequence": itoa(i + 1), "quantity": wholeUnits(det.Quantity.Decimal), "rate": rate(det.Rate.Decimal),
				"tax": money(Round(det.Quantity.Mul(det.Rate.Decimal)))}))
		}
	}
	for _, t := range f.Totals {
		out = append(out, rec("60", map[string]string{"province": f.Province, "month": "0", "row_kind": itoa(t.Kind), "climate_zone": "",
			"row": itoa(t.Row), "sequence": "1", "quantity": "0", "rate": rate(decimal.Zero), "tax": money(t.Amount.Decimal)}))
	}
	return out
}

func supplierRecords(c Commodity, company string, year int, ef *SupplierList) []DicRecord {
	var out []DicRecord
	for _, s := range ef.Suppliers {
		out = append(out, DicRecord{Commodity: c, Company: company, Year: year, Type: "82", Values: map[string]string{
			"month": "0", "origin": s.Origin, "id": s.ID, "quantity": wholeUnits(s.Quantity.Decimal),
		}})
	}
	return out
}

// compactDate turns "yyyy-mm-dd" into "yyyymmdd".
func compactDate(s string) string { return strings.ReplaceAll(s, "-", "") }
