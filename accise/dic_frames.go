package accise

import (
	"encoding/xml"
	"fmt"
	"strconv"

	"github.com/shopspring/decimal"
)

// dicInt returns an integer value of a record; the reader guarantees digits.
func dicInt(r DicRecord, name string) int {
	n, _ := strconv.Atoi(r.Values[name])
	return n
}

func dicQty(r DicRecord, name string) Qty { return Qty{r.Decimal(name)} }

func dicMoney(r DicRecord, name string) Money { return Money{r.Decimal(name)} }

// ElectricityFromDic rebuilds an electricity declaration from the records of
// a legacy .dic file, so an older declaration can be compared with a new
// one. Records 00, 26, 41, 42, 51, 61 and 82 fill the frontispiece and
// frames I, L, M, P, Q (or X for tax year 2021) and EF. Records of other
// types, or of gas, are returned unconverted.
//
// NOTE: record 61 carries a province code. Up to tax year 2020 it is kept
// as the province of a per-province frame Q, because no public source shows
// how those years are written in the current XML.
func ElectricityFromDic(records []DicRecord) (*ElectricityDeclaration, []DicRecord) {
	d := &ElectricityDeclaration{XMLName: xml.Name{Space: ElectricityNamespace, Local: "EnergiaElettrica"}}
	consumption := map[string]*[]ConsumptionFrame{"41": &d.L, "42": &d.M}
	var rest []DicRecord
	for _, r := range records {
		if r.Commodity != Electricity {
			rest = append(rest, r)
			continue
		}
		d.Year = r.Year
		switch r.Type {
		case "00":
			d.Declarant = declarantFromDic(r)
		case "26":
			if d.I == nil {
				d.I = &InvoicedFrame{Total: Qty{decimal.Zero}}
			}
			d.I.Meters = append(d.I.Meters, Meter{Type: r.Values["kind"], ID: r.Values["id"], KWh: dicQty(r, "kwh"), Municipality: r.Values["municipality"]})
			d.I.Total.Decimal = d.I.Total.Add(r.Decimal("kwh"))
		case "41", "42":
			addConsumptionRecord(consumption[r.Type], r)
		case "51":
			d.P = addLiquidationRecord(d.P, r)
		case "61":
			if r.Year == 2021 {
				d.X = addSummaryRecord(d.X, r, false)
			} else {
				d.Q = addSummaryRecord(d.Q, r, r.Year >= 2022)
			}
		case "82":
			d.EF = addSupplierRecord(d.EF, r)
		default:
			rest = append(rest, r)
		}
	}
	return d, rest
}

// GasFromDic rebuilds a gas declaration from the records of a legacy .dic
// file. Records 00, 16, 31, 32, 50, 55, 60, 65, 80 and 82 fill the
// frontispiece and frames D, F, G, I, L, M, N, EC and EF. Records of other
// types, or of electricity, are returned unconverted.
func GasFromDic(records []DicRecord) (*GasDeclaration, []DicRecord) {
	d := &GasDeclaration{XMLName: xml.Name{Space: GasNamespace, Local: "GasNaturale"}}
	var rest []DicRecord
	for _, r := range records {
		if r.Commodity != Gas {
			rest = append(rest, r)
			continue
		}
		d.Year = r.Year
		switch r.Type {
		case "00":
			d.Declarant = declarantFromDic(r)
		case "16":
			if d.D == nil {
				d.D = &GasSoldFrame{Total: Qty{decimal.Zero}}
			}
			d.D.Sales = append(d.D.Sales, GasSale{Type: r.Values["kind"], ID: r.Values["id"], Quantity: dicQty(r, "quantity"), Municipality: r.Values["municipality"]})
			d.D.Total.Decimal = d.D.Total.Add(r.Decimal("quantity"))
		case "31", "32":
			addGasBilledRecord(r, &d.F, &d.G)
		case "50":
			d.I = addLiquidationRecord(d.I, r)
		case "55":
			d.L = addSummaryRecord(d.L, r, r.Year >= 2022)
		case "60":
			d.M = addArisganRecord(d.M, r)
		case "65":
			d.N = addSummaryRecord(d.N, r, false)
		case "80":
			d.EC = addClientRecord(d.EC, r)
		case "82":
			d.EF = addSupplierRecord(d.EF, r)
		default:
			rest = append(rest, r)
		}
	}
	return d, rest
}

func declarantFromDic(r DicRecord) Declarant {
	return Declarant{
		CompanyCode: r.Company, SubjectType: r.Values["subject_type"], ActivityCode: r.Values["activity"],
		OfficeMunicipality: r.Values["office_municipality"], OfficeProvince: r.Values["office_province"], OfficeAddress: r.Values["office_address"],
	}
}

func addConsumptionRecord(frames *[]ConsumptionFrame, r DicRecord) {
	prov, mun, month := r.Values["province"], r.Values["municipality"], dicInt(r, "month")
	n := len(*frames)
	if n == 0 || (*frames)[n-1].Province != prov || (*frames)[n-1].Municipality != mun || (*frames)[n-1].Month != month {
		*frames = append(*frames, ConsumptionFrame{Province: prov, Municipality: mun, Month: month})
		n++
	}
	f := &(*frames)[n-1]
	f.Rows = append(f.Rows, ConsumptionRow{Row: dicInt(r, "row"), OwnUse: dicQty(r, "own_use"), Supplies: dicInt(r, "supplies"), Commercial: dicQty(r, "commercial")})
}

// addLiquidationRecord adds a record 51 or 50. Records of one row share the
// row number and follow each other by sequence. A quantity × rate row adds
// up the tax of its columns, and other rows take the record's tax as total.
func addLiquidationRecord(frames []LiquidationFrame, r DicRecord) []LiquidationFrame {
	prov, month, chapter, article := r.Values["province"], dicInt(r, "month"), r.Values["chapter"], r.Values["article"]
	n := len(frames)
	if n == 0 || frames[n-1].Province != prov || frames[n-1].Month != month || frames[n-1].Chapter != chapter || frames[n-1].Article != article {
		frames = append(frames, LiquidationFrame{Province: prov, Month: month, Chapter: chapter, Article: article})
		n++
	}
	f := &frames[n-1]
	row, kind := dicInt(r, "row"), dicInt(r, "row_kind")
	if len(f.Rows) == 0 || f.Rows[len(f.Rows)-1].Row != row || dicInt(r, "sequence") == 1 {
		f.Rows = append(f.Rows, LiquidationRow{Row: row, Kind: kind, Total: Money{decimal.Zero}})
	}
	lr := &f.Rows[len(f.Rows)-1]
	if kind != RowQuantity {
		lr.Total = dicMoney(r, "tax")
		return frames
	}
	lr.Details = append(lr.Details, RateDetail{Quantity: dicQty(r, "quantity"), Rate: Rate{r.Decimal("rate")}})
	lr.Total.Decimal = lr.Total.Add(r.Decimal("tax"))
	return frames
}

// addSummaryRecord adds a riepilogo record; byAmbito puts the area code in
// Ambito (tax years from 2022), otherwise in Province.
func addSummaryRecord(frames []SummaryFrame, r DicRecord, byAmbito bool) []SummaryFrame {
	area, chapter, article := r.Values["province"], r.Values["chapter"], r.Values["article"]
	n := len(frames)
	if n == 0 || frames[n-1].Ambito+frames[n-1].Province != area || frames[n-1].Chapter != chapter || frames[n-1].Article != article {
		f := SummaryFrame{Chapter: chapter, Article: article}
		if byAmbito {
			f.Ambito = area
		} else {
			f.Province = area
		}
		frames = append(frames, f)
		n++
	}
	frames[n-1].Rows = append(frames[n-1].Rows, SummaryRow{Row: dicInt(r, "row"), Amount: dicMoney(r, "amount")})
	return frames
}

func addSupplierRecord(ef *SupplierList, r DicRecord) *SupplierList {
	if ef == nil {
		ef = &SupplierList{}
	}
	ef.Suppliers = append(ef.Suppliers, Supplier{Origin: r.Values["origin"], ID: r.Values["id"], Quantity: dicQty(r, "quantity")})
	return ef
}

func addGasBilledRecord(r DicRecord, zones, billed *[]GasBilledFrame) {
	frames := billed
	zone := ""
	if r.Type == "31" {
		frames, zone = zones, r.Values["climate_zone"]
	}
	prov := r.Values["province"]
	n := len(*frames)
	if n == 0 || (*frames)[n-1].Province != prov || (*frames)[n-1].ClimateZone != zone {
		// NOTE: records 31 and 32 carry no cadastral code, so the frames
		// rebuilt from them have none.
		*frames = append(*frames, GasBilledFrame{Province: prov, ClimateZone: zone})
		n++
	}
	f := &(*frames)[n-1]
	f.Rows = append(f.Rows, GasBilledRow{Row: dicInt(r, "row"), Supplies: dicInt(r, "supplies"), Quantity: dicQty(r, "quantity")})
}

func addArisganRecord(frames []SurchargeFrame, r DicRecord) []SurchargeFrame {
	prov := r.Values["province"]
	n := len(frames)
	if n == 0 || frames[n-1].Province != prov {
		frames = append(frames, SurchargeFrame{Province: prov})
		n++
	}
	f := &frames[n-1]
	if kind := dicInt(r, "row_kind"); kind != RowQuantity {
		f.Totals = append(f.Totals, TotalRow{Row: dicInt(r, "row"), Kind: kind, Amount: dicMoney(r, "tax")})
		return frames
	}
	row, zone := dicInt(r, "row"), r.Values["climate_zone"]
	if len(f.Rows) == 0 || f.Rows[len(f.Rows)-1].Row != row || f.Rows[len(f.Rows)-1].ClimateZone != zone || dicInt(r, "sequence") == 1 {
		f.Rows = append(f.Rows, SurchargeRow{ClimateZone: zone, Row: row, Total: Money{decimal.Zero}})
	}
	sr := &f.Rows[len(f.Rows)-1]
	sr.Details = append(sr.Details, RateDetail{Quantity: dicQty(r, "quantity"), Rate: Rate{r.Decimal("rate")}})
	sr.Total.Decimal = sr.Total.Add(r.Decimal("tax"))
	return frames
}

func addClientRecord(lists []ClientList, r DicRecord) []ClientList {
	prov := r.Values["province"]
	n := len(lists)
	if n == 0 || lists[n-1].Province != prov {
		lists = append(lists, ClientList{Province: prov})
		n++
	}
	percent := r.Values["percent"]
	if dicInt(r, "application") != 2 {
		percent = ""
	}
	lists[n-1].Clients = append(lists[n-1].Clients, Client{
		ID: r.Values["client_id"], UseFrame: r.Values["use_frame"], UseRow: dicInt(r, "use_row"), Application: dicInt(r, "application"),
		Percent: percent, Supply: r.Values["pdr"], Quantity: dicQty(r, "quantity"), Address: r.Values["address"],
		Municipality: r.Values["municipality"], Excise: dicMoney(r, "excise"),
		From: isoDate(r.Values["start"]), To: isoDate(r.Values["end"]),
	})
	return lists
}

// isoDate turns "yyyymmdd" into "yyyy-mm-dd"; other text is kept.
func isoDate(s string) string {
	if len(s) != 8 {
		return s
	}
	return fmt.Sprintf("%s-%s-%s", s[:4], s[4:6], s[6:])
}
