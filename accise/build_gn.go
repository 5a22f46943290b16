package accise

import (
	"encoding/xml"
	"fmt"
	"sort"
	"strings"

	"github.com/shopspring/decimal"
)

// Gas budget chapters: 1412 for vehicle fuel, 1421 for combustion.
const (
	ChapterVehicle    = "1412"
	ChapterCombustion = "1421"
)

// gasKey returns the frame G and I key of a gas portion.
func gasKey(p Portion) string {
	switch p.Class {
	case ClassCivil:
		return fmt.Sprintf("civil-%d-%s", p.Bracket, p.Location)
	case ClassIndustrial:
		return fmt.Sprintf("industrial-%d", p.Bracket)
	}
	return string(p.Class)
}

// surchargeKey returns the frame F and M key of a gas portion.
func surchargeKey(p Portion) string {
	return fmt.Sprintf("%s-%d", p.Class, p.Bracket)
}

type gnProvince struct {
	// billed is keyed by frame (E, G), municipality and row.
	billed map[string]map[string]map[int]*consumptionAcc
	// zones is frame F: keyed by municipality and climate zone, then row.
	zones map[string]map[string]map[int]*consumptionAcc
	// liquidation is frame I: keyed by row key.
	liquidation map[string]rateSums
	// corrections is frame H: keyed by municipality, row key and location.
	corrections map[string]map[string]map[string]*correctionAcc
	// arisgan is frame M: keyed by climate zone and row key.
	arisgan map[string]map[string]rateSums
	irs     rateSums
	clients []Client
}

func newGNProvince() *gnProvince {
	return &gnProvince{
		billed:      map[string]map[string]map[int]*consumptionAcc{},
		zones:       map[string]map[string]map[int]*consumptionAcc{},
		liquidation: map[string]rateSums{},
		corrections: map[string]map[string]map[string]*correctionAcc{},
		arisgan:     map[string]map[string]rateSums{},
		irs:         rateSums{},
	}
}

// BuildGas builds one gas declaration per ambito from a computation: the
// annual one (root GasNaturale) for tax years up to 2025, or that of one
// half (root GasNaturaleSemestrale) from 2026. Lines whose period does not
// touch the declared period are left out, and a line that runs across the
// edge of the year or the half counts only for its days inside it. A
// correction is declared when its document was issued in the declared
// period (Line.Issued), whatever period it corrects. Without an issue date
// it is declared in every declaration it is passed to, and Check warns
// about it in a half-year. For the second half, compute the bills of the
// whole tax year, because the annual brackets of a supply continue from its
// first-half bills. An ambito with excise due but no line in the period
// still gets a declaration, whose frame L turns the payments into a
// credit. In the same way a province with ARISGAN or IRS due but no such
// tax in the period gets frame N or P. The legal seat's ambito also gets a
// declaration for its gas sold and supplier lists.
//
// NOTE: no public source gives the frames of the half-year gas declaration.
// It repeats the annual frames, with the domestic and non-domestic labels
// and the monthly payments of frame L from Layout.GasHalfYear.
func BuildGas(c *Computation, opts DeclareOptions) ([]*GasDeclaration, error) {
	if err := opts.check(); err != nil {
		return nil, err
	}
	layout := opts.layout()
	provinces := collectGas(c, opts, layout)
	byAmbito := map[string][]string{}
	for _, prov := range sortedKeys(provinces) {
		a, _ := opts.territory().AmbitoOf(prov)
		byAmbito[a] = append(byAmbito[a], prov)
	}
	opts.addDueAmbiti(byAmbito, ChapterVehicle, ChapterCombustion)
	opts.addRegionalDueAmbiti(byAmbito)
	opts.addSeatAmbito(byAmbito, len(opts.GasSold) > 0 || len(opts.Suppliers) > 0)
	var out []*GasDeclaration
	for _, ambito := range sortedKeys(byAmbito) {
		out = append(out, buildGasAmbito(ambito, byAmbito[ambito], provinces, opts, layout))
	}
	return out, nil
}

func collectGas(c *Computation, opts DeclareOptions, layout *Layout) map[string]*gnProvince {
	from, to := opts.Period()
	provinces := map[string]*gnProvince{}
	for i, l := range c.Lines {
		if l.Commodity != Gas {
			continue
		}
		if _, ok := opts.territory().Province(l.Province); !ok {
			continue
		}
		if l.Kind != Correction && (l.To.Before(from) || l.From.After(to)) {
			continue
		}
		if l.Kind == Correction && !correctionInPeriod(l, from, to) {
			continue
		}
		p := provinces[l.Province]
		if p == nil {
			p = newGNProvince()
			provinces[l.Province] = p
		}
		r := c.PerLine[i]
		if l.Kind != Correction {
			r.Excise = clipToPeriod(l, from, to, r.Excise)
			r.Surcharge = clipToPeriod(l, from, to, r.Surcharge)
			l = clipLine(l, from, to)
		}
		if l.Kind == Correction {
			// NOTE: the ARISGAN and IRS of a correction go to no frame,
			// because no public source gives their rows in frames M and O.
			// The control report lists them in sheet SheetUndeclared.
			for _, portion := range r.Excise {
				p.addCorrection(l.Municipality, portion)
			}
			continue
		}
		region, _ := opts.territory().RegionOf(l.Province)
		for _, portion := range r.Excise {
			p.addBilled(layout, l, portion, !region.SpecialStatute)
		}
		for _, s := range r.Surcharge {
			if s.Class == ClassGasExempt {
				p.irs.add(s.Quantity, s.Rate)
			} else {
				p.addArisgan(l.ClimateZone, s)
			}
		}
		if l.Use == UseExempt {
			p.clients = append(p.clients, exemptClient(layout, Gas, "E", l, decimal.Zero))
		}
	}
	return provinces
}

func exemptClient(layout *Layout, c Commodity, frame string, l Line, excise decimal.Decimal) Client {
	key := "gn-exempt"
	if c == Electricity {
		key = string(ClassElectricityExempt)
	}
	def, _ := layout.Row(c, frame, key)
	return Client{
		ID: l.Customer, UseFrame: frame, UseRow: def.Row, Application: 1, Supply: l.Supply,
		Quantity: Qty{l.Quantity}, Municipality: l.Municipality, Excise: Money{excise},
		From: l.From.String(), To: l.To.String(),
	}
}

// mergeClients keeps one client per supply, adding the quantities and
// widening the dates over its lines.
func mergeClients(list []Client) []Client {
	var out []Client
	at := map[string]int{}
	for _, c := range list {
		i, ok := at[c.Supply]
		if !ok {
			at[c.Supply] = len(out)
			out = append(out, c)
			continue
		}
		m := &out[i]
		m.Quantity = Qty{m.Quantity.Add(c.Quantity.Decimal)}
		m.Excise = Money{m.Excise.Add(c.Excise.Decimal)}
		if c.From < m.From {
			m.From = c.From
		}
		if c.To > m.To {
			m.To = c.To
		}
	}
	return out
}

func addAcc(m map[int]*consumptionAcc, row int, q decimal.Decimal, supply string) {
	a := m[row]
	if a == nil {
		a = &consumptionAcc{qty: decimal.Zero, supplies: map[string]bool{}}
		m[row] = a
	}
	a.qty = a.qty.Add(q)
	a.supplies[supply] = true
}

// addBilled adds a portion to frames G (or E) and I, and civil portions of
// regions that may levy ARISGAN to frame F.
func (p *gnProvince) addBilled(layout *Layout, l Line, portion Portion, arisganRegion bool) {
	key := gasKey(portion)
	frame := "G"
	if portion.Class == ClassGasExempt {
		frame = "E"
	}
	if def, ok := layout.Row(Gas, frame, key); ok && def.Row != 0 {
		if p.billed[frame] == nil {
			p.billed[frame] = map[string]map[int]*consumptionAcc{}
		}
		if p.billed[frame][l.Municipality] == nil {
			p.billed[frame][l.Municipality] = map[int]*consumptionAcc{}
		}
		addAcc(p.billed[frame][l.Municipality], def.Row, portion.Quantity, l.Supply)
	}
	if portion.Class == ClassCivil && l.ClimateZone != "" && arisganRegion {
		if def, ok := layout.Row(Gas, "F", surchargeKey(portion)); ok && def.Row != 0 {
			if p.zones[l.Municipality] == nil {
				p.zones[l.Municipality] = map[string]map[int]*consumptionAcc{}
			}
			if p.zones[l.Municipality][l.ClimateZone] == nil {
				p.zones[l.Municipality][l.ClimateZone] = map[int]*consumptionAcc{}
			}
			addAcc(p.zones[l.Municipality][l.ClimateZone], def.Row, portion.Quantity, l.Supply)
		}
	}
	if portion.Class == ClassGasExempt {
		return
	}
	if p.liquidation[key] == nil {
		p.liquidation[key] = rateSums{}
	}
	p.liquidation[key].add(portion.Quantity, portion.Rate)
}

func (p *gnProvince) addArisgan(zone string, s Portion) {
	if p.arisgan[zone] == nil {
		p.arisgan[zone] = map[string]rateSums{}
	}
	key := surchargeKey(s)
	if p.arisgan[zone][key] == nil {
		p.arisgan[zone][key] = rateSums{}
	}
	p.arisgan[zone][key].add(s.Quantity, s.Rate)
}

func (p *gnProvince) addCorrection(municipality string, portion Portion) {
	if portion.Class == ClassGasExempt {
		return
	}
	side := "debit"
	if portion.Quantity.IsNegative() {
		side = "credit"
	}
	key := side + ":" + string(portion.Class)
	if p.corrections[municipality] == nil {
		p.corrections[municipality] = map[string]map[string]*correctionAcc{}
	}
	if p.corrections[municipality][key] == nil {
		p.corrections[municipality][key] = map[string]*correctionAcc{}
	}
	a := p.corrections[municipality][key][portion.Location]
	if a == nil {
		a = &correctionAcc{byRate: rateSums{}, fixed: decimal.Zero}
		p.corrections[municipality][key][portion.Location] = a
	}
	a.byRate.add(portion.Quantity.Abs(), portion.Rate)
}

func buildGasAmbito(ambito string, provs []string, all map[string]*gnProvince, opts DeclareOptions, layout *Layout) *GasDeclaration {
	d := &GasDeclaration{
		XMLName:   xml.Name{Space: GasNamespace, Local: "GasNaturale"},
		Declarant: opts.Declarant,
		Year:      opts.Year,
	}
	if opts.Half != 0 {
		d.XMLName.Local = "GasNaturaleSemestrale"
		d.Period, d.Year = &Period{Year: opts.Year, Half: opts.Half}, 0
		d.Declarant = halfYearDeclarant(opts.Declarant)
	}
	liquidated := map[string]decimal.Decimal{ChapterVehicle: decimal.Zero, ChapterCombustion: decimal.Zero}
	for _, prov := range provs {
		provLiquidated := map[string]decimal.Decimal{}
		p := all[prov]
		d.E = append(d.E, p.billedFrames("E", prov)...)
		d.F = append(d.F, p.zoneFrames(prov)...)
		d.G = append(d.G, p.billedFrames("G", prov)...)
		h, debit, credit := p.correctionFrames(layout, prov)
		d.H = append(d.H, h...)
		for _, chapter := range []string{ChapterVehicle, ChapterCombustion} {
			f, ok := p.liquidationFrame(layout, prov, chapter, debit, credit)
			if ok {
				d.I = append(d.I, f)
				liquidated[chapter] = liquidated[chapter].Add(frameTotal(f))
				provLiquidated[chapter] = frameTotal(f)
			}
		}
		if opts.Year == 2021 {
			d.X = append(d.X, gasTransitionFrame(layout, prov, provLiquidated, opts))
		}
		if m, ok := p.arisganFrame(layout, prov); ok {
			d.M = append(d.M, m)
			d.N = append(d.N, SummaryFrame{Province: prov,
				Rows: summaryRows(layout, Gas, "N", surchargeTotal(m), opts.dueFor(SummaryKey(prov, "ARISGAN")))})
		}
		if o, ok := p.irsFrame(layout, prov); ok {
			d.O = append(d.O, o)
			d.P = append(d.P, SummaryFrame{Province: prov,
				Rows: summaryRows(layout, Gas, "P", surchargeTotal(o), opts.dueFor(SummaryKey(prov, "IRS")))})
		}
		if len(p.clients) > 0 {
			d.EC = append(d.EC, ClientList{Province: prov, Clients: mergeClients(p.clients)})
		}
	}
	addRegionalDueFrames(d, ambito, opts, layout)
	for _, chapter := range []string{ChapterVehicle, ChapterCombustion} {
		key := SummaryKey(ambito, chapter)
		due := opts.dueFor(key)
		if opts.Year == 2021 || (liquidated[chapter].IsZero() && due.IsZero()) {
			continue
		}
		// Frame L numbers the rows of both chapters in one sequence, so each
		// chapter's frame takes only the rows keyed with its chapter.
		d.L = append(d.L, SummaryFrame{Ambito: opts.AmbitoCode(ambito), Chapter: chapter, Article: "00",
			Rows:     transitionRows(layout.Frame(Gas, "L"), chapter+":", liquidated[chapter], due, decimal.Zero),
			Payments: opts.monthlyPayments(key)})
	}
	if ambito == opts.seatAmbito() {
		if len(opts.Suppliers) > 0 {
			d.EF = &SupplierList{Suppliers: opts.Suppliers}
		}
		if len(opts.GasSold) > 0 {
			d.D = &GasSoldFrame{Sales: opts.GasSold, Total: Qty{decimal.Zero}}
			for _, s := range opts.GasSold {
				d.D.Total.Decimal = d.D.Total.Add(s.Quantity.Decimal)
			}
		}
	}
	d.Sending = &Sending{Number: 1, Total: 1}
	return d
}

// addRegionalDueFrames adds frame N or P, with nothing liquidated, for each
// province of the ambito that has ARISGAN or IRS due but no frame M or O,
// so that the payments show as a credit. Frames stay sorted by province.
func addRegionalDueFrames(d *GasDeclaration, ambito string, opts DeclareOptions, layout *Layout) {
	for _, p := range opts.territory().Provinces {
		if p.Ambito != ambito {
			continue
		}
		due := opts.regionalDue(p.Code)
		if v, ok := due[TaxArisgan]; ok && !hasProvince(d.N, p.Code) {
			d.N = append(d.N, SummaryFrame{Province: p.Code, Rows: summaryRows(layout, Gas, "N", decimal.Zero, v)})
		}
		if v, ok := due[TaxIRS]; ok && !hasProvince(d.P, p.Code) {
			d.P = append(d.P, SummaryFrame{Province: p.Code, Rows: summaryRows(layout, Gas, "P", decimal.Zero, v)})
		}
	}
	for _, frames := range [][]SummaryFrame{d.N, d.P} {
		sort.SliceStable(frames, func(a, b int) bool { return frames[a].Province < frames[b].Province })
	}
}

func hasProvince(frames []SummaryFrame, province string) bool {
	for _, f := range frames {
		if f.Province == province {
			return true
		}
	}
	return false
}

func (p *gnProvince) billedFrames(frame, prov string) []GasBilledFrame {
	var out []GasBilledFrame
	for _, mun := range sortedKeys(p.billed[frame]) {
		rows := p.billed[frame][mun]
		f := GasBilledFrame{Province: prov, Municipality: mun}
		for _, r := range sortedInts(rows) {
			f.Rows = append(f.Rows, GasBilledRow{Row: r, Supplies: len(rows[r].supplies), Quantity: Qty{rows[r].qty}})
		}
		out = append(out, f)
	}
	return out
}

func (p *gnProvince) zoneFrames(prov string) []GasBilledFrame {
	var out []GasBilledFrame
	for _, mun := range sortedKeys(p.zones) {
		for _, zone := range sortedKeys(p.zones[mun]) {
			rows := p.zones[mun][zone]
			f := GasBilledFrame{Province: prov, Municipality: mun, ClimateZone: zone}
			for _, r := range sortedInts(rows) {
				f.Rows = append(f.Rows, GasBilledRow{Row: r, Supplies: len(rows[r].supplies), Quantity: Qty{rows[r].qty}})
			}
			out = append(out, f)
		}
	}
	return out
}

// correctionFrames builds frame H and returns the debit and credit totals by
// chapter.
func (p *gnProvince) correctionFrames(layout *Layout, prov string) ([]CorrectionFrame, map[string]decimal.Decimal, map[string]decimal.Decimal) {
	debit := map[string]decimal.Decimal{}
	credit := map[string]decimal.Decimal{}
	var out []CorrectionFrame
	for _, mun := range sortedKeys(p.corrections) {
		f := CorrectionFrame{Province: prov, Municipality: mun}
		for _, def := range layout.Frame(Gas, "H").Rows {
			byLocation := p.corrections[mun][def.Key]
			if byLocation == nil || def.Row == 0 {
				continue
			}
			row := CorrectionRow{Row: def.Row, Total: Money{decimal.Zero}}
			for _, loc := range sortedKeys(byLocation) {
				part := correctionRow(def.Row, byLocation[loc])
				for _, det := range part.Details {
					det.Location = loc
					row.Details = append(row.Details, det)
				}
				row.Total.Decimal = row.Total.Add(part.Total.Decimal)
			}
			f.Rows = append(f.Rows, row)
			chapter := ChapterCombustion
			if strings.HasSuffix(def.Key, ":vehicle") {
				chapter = ChapterVehicle
			}
			if strings.HasPrefix(def.Key, "credit:") {
				credit[chapter] = credit[chapter].Add(row.Total.Decimal)
			} else {
				debit[chapter] = debit[chapter].Add(row.Total.Decimal)
			}
		}
		if len(f.Rows) > 0 {
			out = append(out, f)
		}
	}
	return out, debit, credit
}

// liquidationFrame builds frame I for one chapter; false when the chapter
// has nothing to declare.
func (p *gnProvince) liquidationFrame(layout *Layout, prov, chapter string, debit, credit map[string]decimal.Decimal) (LiquidationFrame, bool) {
	f := LiquidationFrame{Province: prov, Chapter: chapter, Article: "00"}
	total := decimal.Zero
	filled := false
	for _, def := range layout.Frame(Gas, "I").Rows {
		if def.Chapter != chapter || def.Row == 0 {
			continue
		}
		row := LiquidationRow{Row: def.Row, Kind: def.Kind, Total: Money{decimal.Zero}}
		_, suffix, _ := strings.Cut(def.Key, ":")
		switch {
		case def.Kind == RowTotal:
			row.Total = Money{total}
		case suffix == "corrections-debit":
			row.Total = Money{debit[chapter]}
			total = total.Add(row.Total.Decimal)
		case suffix == "corrections-credit":
			row.Total = Money{credit[chapter]}
			total = total.Sub(row.Total.Decimal)
		default:
			sums := p.liquidation[def.Key]
			if len(sums) == 0 {
				continue
			}
			row.Details, row.Total.Decimal, _ = sums.details()
			total = total.Add(row.Total.Decimal)
		}
		if def.Kind != RowTotal && row.Total.IsZero() && len(row.Details) == 0 {
			continue
		}
		if def.Kind != RowTotal {
			filled = true
		}
		f.Rows = append(f.Rows, row)
	}
	return f, filled
}

// arisganFrame builds frame M: one row per climate zone and bracket, and the
// total row.
func (p *gnProvince) arisganFrame(layout *Layout, prov string) (SurchargeFrame, bool) {
	f := SurchargeFrame{Province: prov}
	total := decimal.Zero
	var totalRow RowDef
	for _, zone := range sortedKeys(p.arisgan) {
		for _, def := range layout.Frame(Gas, "M").Rows {
			if def.Kind == RowTotal {
				totalRow = def
				continue
			}
			sums := p.arisgan[zone][def.Key]
			if len(sums) == 0 || def.Row == 0 {
				continue
			}
			details, rounded, _ := sums.details()
			f.Rows = append(f.Rows, SurchargeRow{ClimateZone: zone, Row: def.Row, Details: details, Total: Money{rounded}})
			total = total.Add(rounded)
		}
	}
	if len(f.Rows) == 0 {
		return f, false
	}
	if totalRow.Row != 0 {
		f.Totals = []TotalRow{{Row: totalRow.Row, Kind: RowTotal, Amount: Money{total}}}
	}
	return f, true
}

// irsFrame builds frame O; false when no IRS is due in the province.
func (p *gnProvince) irsFrame(layout *Layout, prov string) (SurchargeFrame, bool) {
	if len(p.irs) == 0 {
		return SurchargeFrame{}, false
	}
	f := SurchargeFrame{Province: prov}
	details, rounded, _ := p.irs.details()
	if def, ok := layout.Row(Gas, "O", "gn-exempt"); ok && def.Row != 0 {
		f.Rows = []SurchargeRow{{Row: def.Row, Details: details, Total: Money{rounded}}}
	}
	if def, ok := layout.Row(Gas, "O", "liquidated"); ok && def.Row != 0 {
		f.Totals = []TotalRow{{Row: def.Row, Kind: RowTotal, Amount: Money{rounded}}}
	}
	return f, true
}

// surchargeTotal returns the total of a frame M or O.
func surchargeTotal(f SurchargeFrame) decimal.Decimal {
	for _, t := range f.Totals {
		if t.Kind == RowTotal {
			return t.Amount.Decimal
		}
	}
	sum := decimal.Zero
	for _, r := range f.Rows {
		sum = sum.Add(r.Total.Decimal)
	}
	return sum
}

// gasTransitionFrame builds frame X of tax year 2021 for one province, with
// the rows of both chapters. It replaces the riepilogo per ambito that year.
func gasTransitionFrame(layout *Layout, prov string, liquidated map[string]decimal.Decimal, opts DeclareOptions) SummaryFrame {
	f := SummaryFrame{Province: prov}
	for _, chapter := range []string{ChapterVehicle, ChapterCombustion} {
		key := SummaryKey(prov, chapter)
		f.Rows = append(f.Rows, transitionRows(layout.Frame(Gas, "X"), chapter+":", liquidated[chapter],
			opts.InstalmentsDue[key], opts.PreviousCredit[key])...)
	}
	return f
}
