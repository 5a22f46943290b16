package accise

import (
	"encoding/xml"
	"sort"
	"strings"

	"github.com/shopspring/decimal"
)

// frameOfClass returns the electricity consumption frame of a tax class.
//
// NOTE: the exempt kWh of resident dwellings go to frame L row 9 (other
// exempt uses) and their taxed kWh to frame M rows 1 and 3, as one public
// seller billing system declares them. No ADM text confirms the L row.
func frameOfClass(c Class) string {
	switch c {
	case ClassElectricityExempt, ClassResidentExempt:
		return "L"
	case ClassElectricityExcluded:
		return "J"
	}
	return "M"
}

// consumptionRow returns the row of a consumption frame that declares a tax
// class: the row keyed by the class, or else one that lists it in Classes.
func consumptionRow(layout *Layout, frame string, c Class) (RowDef, bool) {
	if def, ok := layout.Row(Electricity, frame, string(c)); ok {
		return def, true
	}
	for _, def := range layout.Frame(Electricity, frame).Rows {
		if containsClass(def.Classes, c) {
			return def, true
		}
	}
	return RowDef{}, false
}

// correctionKey returns the key of a frame K row: the side and the use.
func correctionKey(p Portion) string {
	side := "debit"
	if p.Quantity.IsNegative() || p.Amount.IsNegative() {
		side = "credit"
	}
	switch p.Class {
	case ClassResident, ClassOtherDwelling, ClassRecovered:
		return side + ":" + string(p.Class)
	case ClassSlice, ClassAboveSlice, ClassCappedSlice, ClassAboveCap:
		return side + ":non-dwelling"
	}
	return ""
}

// eeProvince collects the quantities of one province.
type eeProvince struct {
	// consumption is keyed by frame, municipality and row.
	consumption map[string]map[string]map[int]*consumptionAcc
	// liquidation is keyed by P row key.
	liquidation map[string]rateSums
	fixed       decimal.Decimal
	// corrections is keyed by municipality and K row key.
	corrections map[string]map[string]*correctionAcc
	// clients are the exempt supplies for frame EC.
	clients []Client
}

type consumptionAcc struct {
	qty      decimal.Decimal
	supplies map[string]bool
}

type correctionAcc struct {
	byRate rateSums
	fixed  decimal.Decimal
}

func newEEProvince() *eeProvince {
	return &eeProvince{
		consumption: map[string]map[string]map[int]*consumptionAcc{},
		liquidation: map[string]rateSums{},
		corrections: map[string]map[string]*correctionAcc{},
	}
}

// BuildElectricity builds one electricity declaration per ambito from a
// computation. Supply-months outside the declared period are left out.
// A correction is declared when its document was issued in the declared
// period (Line.Issued), whatever period it corrects, or in every
// declaration when its issue date is not given. An ambito with excise due
// but no line in the period still gets a declaration, whose frame Q turns
// the payments into a credit. So does the legal seat's ambito when frame I
// or the supplier list has content.
func BuildElectricity(c *Computation, opts DeclareOptions) ([]*ElectricityDeclaration, error) {
	if err := opts.check(); err != nil {
		return nil, err
	}
	layout := opts.layout()
	provinces := collectElectricity(c, opts, layout)
	byAmbito := map[string][]string{}
	for _, prov := range sortedKeys(provinces) {
		a, _ := opts.territory().AmbitoOf(prov)
		byAmbito[a] = append(byAmbito[a], prov)
	}
	opts.addDueAmbiti(byAmbito, layout.Frame(Electricity, "Q").Chapter)
	invoiced := invoicedFrame(c, opts)
	opts.addSeatAmbito(byAmbito, invoiced != nil || len(opts.Suppliers) > 0)
	var out []*ElectricityDeclaration
	for _, ambito := range sortedKeys(byAmbito) {
		out = append(out, buildElectricityAmbito(ambito, byAmbito[ambito], provinces, invoiced, opts, layout))
	}
	return out, nil
}

func collectElectricity(c *Computation, opts DeclareOptions, layout *Layout) map[string]*eeProvince {
	from, to := opts.Period()
	provinces := map[string]*eeProvince{}
	get := func(prov string) *eeProvince {
		if _, ok := opts.territory().Province(prov); !ok {
			return nil
		}
		if provinces[prov] == nil {
			provinces[prov] = newEEProvince()
		}
		return provinces[prov]
	}
	for _, sm := range c.Months {
		p := get(sm.Province)
		if p == nil || !inPeriod(sm.Month, from, to) {
			continue
		}
		for _, portion := range sm.Portions {
			p.addConsumption(layout, sm.Municipality, sm.Supply, portion)
		}
	}
	for i, l := range c.Lines {
		if l.Commodity == Electricity && l.Use == UseExempt && l.Kind != Correction && !l.To.Before(from) && !l.From.After(to) {
			if p := get(l.Province); p != nil {
				p.clients = append(p.clients, exemptClient(layout, Electricity, "L", l, decimal.Zero))
			}
		}
		if l.Commodity != Electricity || l.Kind != Correction || !correctionInPeriod(l, from, to) {
			continue
		}
		if p := get(l.Province); p != nil {
			for _, portion := range c.PerLine[i].Excise {
				p.addCorrection(l.Municipality, portion)
			}
		}
	}
	return provinces
}

func (p *eeProvince) addConsumption(layout *Layout, municipality, supply string, portion Portion) {
	frame := frameOfClass(portion.Class)
	if portion.Class == ClassResidentExempt && portion.Quantity.IsZero() {
		// A month above the recovery limit leaves no exempt kWh, so the
		// supply is not counted in frame L.
		frame = ""
	}
	if frame == "" {
		return
	}
	if def, ok := consumptionRow(layout, frame, portion.Class); ok && def.Row != 0 {
		if p.consumption[frame] == nil {
			p.consumption[frame] = map[string]map[int]*consumptionAcc{}
		}
		rows := p.consumption[frame][municipality]
		if rows == nil {
			rows = map[int]*consumptionAcc{}
			p.consumption[frame][municipality] = rows
		}
		a := rows[def.Row]
		if a == nil {
			a = &consumptionAcc{qty: decimal.Zero, supplies: map[string]bool{}}
			rows[def.Row] = a
		}
		a.qty = a.qty.Add(portion.Quantity)
		a.supplies[supply] = true
	}
	for _, def := range layout.Frame(Electricity, "P").Rows {
		if !containsClass(def.Classes, portion.Class) {
			continue
		}
		if !portion.Fixed.IsZero() {
			p.fixed = p.fixed.Add(portion.Fixed)
			continue
		}
		if p.liquidation[def.Key] == nil {
			p.liquidation[def.Key] = rateSums{}
		}
		p.liquidation[def.Key].add(portion.Quantity, portion.Rate)
	}
}

func containsClass(list []Class, c Class) bool {
	for _, x := range list {
		if x == c {
			return true
		}
	}
	return false
}

func (p *eeProvince) addCorrection(municipality string, portion Portion) {
	key := correctionKey(portion)
	if key == "" {
		return
	}
	if p.corrections[municipality] == nil {
		p.corrections[municipality] = map[string]*correctionAcc{}
	}
	a := p.corrections[municipality][key]
	if a == nil {
		a = &correctionAcc{byRate: rateSums{}, fixed: decimal.Zero}
		p.corrections[municipality][key] = a
	}
	if !portion.Fixed.IsZero() {
		a.fixed = a.fixed.Add(portion.Fixed.Abs())
		return
	}
	a.byRate.add(portion.Quantity.Abs(), portion.Rate)
}

func buildElectricityAmbito(ambito string, provs []string, all map[string]*eeProvince, invoiced *InvoicedFrame, opts DeclareOptions, layout *Layout) *ElectricityDeclaration {
	d := &ElectricityDeclaration{Declarant: opts.Declarant}
	if opts.Half != 0 {
		d.XMLName = xml.Name{Space: ElectricityNamespace, Local: "EnergiaElettricaSemestrale"}
		d.Period = &Period{Year: opts.Year, Half: opts.Half}
		d.Declarant = halfYearDeclarant(opts.Declarant)
	} else {
		d.XMLName = xml.Name{Space: ElectricityNamespace, Local: "EnergiaElettrica"}
		d.Year = opts.Year
	}
	pDef := layout.Frame(Electricity, "P")
	liquidated := decimal.Zero
	for _, prov := range provs {
		p := all[prov]
		d.J = append(d.J, p.consumptionFrames("J", prov)...)
		d.L = append(d.L, p.consumptionFrames("L", prov)...)
		d.M = append(d.M, p.consumptionFrames("M", prov)...)
		k, debit, credit := p.correctionFrames(layout, prov)
		d.K = append(d.K, k...)
		frame := p.liquidationFrame(layout, prov, debit, credit)
		frame.Chapter, frame.Article = pDef.Chapter, pDef.Article
		d.P = append(d.P, frame)
		total := frameTotal(frame)
		liquidated = liquidated.Add(total)
		if len(p.clients) > 0 {
			d.EC = append(d.EC, ClientList{Province: prov, Clients: mergeClients(p.clients)})
		}
		if opts.Year == 2021 {
			key := SummaryKey(prov, pDef.Chapter)
			d.X = append(d.X, SummaryFrame{Province: prov, Chapter: pDef.Chapter, Article: pDef.Article,
				Rows: transitionRows(layout.Frame(Electricity, "X"), "", total, opts.InstalmentsDue[key], opts.PreviousCredit[key])})
		}
	}
	if opts.Year != 2021 {
		q := layout.Frame(Electricity, "Q")
		d.Q = []SummaryFrame{{Ambito: opts.AmbitoCode(ambito), Chapter: q.Chapter, Article: q.Article,
			Rows: summaryRows(layout, Electricity, "Q", liquidated, opts.dueFor(SummaryKey(ambito, q.Chapter)))}}
	}
	if ambito == opts.seatAmbito() {
		d.I = invoiced
		if len(opts.Suppliers) > 0 {
			d.EF = &SupplierList{Suppliers: opts.Suppliers}
		}
	}
	d.Sending = &Sending{Number: 1, Total: 1}
	return d
}

// transitionRows fills the rows of frame X of tax year 2021 whose keys start
// with prefix: a riepilogo e saldo per province, whose credit moved into the
// ambito account on 1 January 2022.
func transitionRows(def FrameDef, prefix string, liquidated, due, previous decimal.Decimal) []SummaryRow {
	var rows []SummaryRow
	balance := liquidated.Sub(due)
	values := map[string]decimal.Decimal{
		prefix + "liquidated": liquidated, prefix + "instalments-due": due,
		prefix + "balance-debit":   decimal.Max(balance, decimal.Zero),
		prefix + "balance-credit":  decimal.Max(balance.Neg(), decimal.Zero),
		prefix + "previous-credit": previous,
	}
	for _, r := range def.Rows {
		if v, ok := values[r.Key]; ok && r.Row != 0 {
			rows = append(rows, SummaryRow{Row: r.Row, Amount: Money{v}})
		}
	}
	return rows
}

func (p *eeProvince) consumptionFrames(frame, prov string) []ConsumptionFrame {
	var out []ConsumptionFrame
	byMunicipality := p.consumption[frame]
	for _, mun := range sortedKeys(byMunicipality) {
		f := ConsumptionFrame{Province: prov, Municipality: mun}
		rows := byMunicipality[mun]
		for _, r := range sortedInts(rows) {
			a := rows[r]
			f.Rows = append(f.Rows, ConsumptionRow{Row: r, OwnUse: Qty{decimal.Zero}, Supplies: len(a.supplies), Commercial: Qty{a.qty}})
		}
		out = append(out, f)
	}
	return out
}

// correctionFrames builds frame K and returns the totals of its debit and
// credit sides.
func (p *eeProvince) correctionFrames(layout *Layout, prov string) ([]CorrectionFrame, decimal.Decimal, decimal.Decimal) {
	debit, credit := decimal.Zero, decimal.Zero
	var out []CorrectionFrame
	for _, mun := range sortedKeys(p.corrections) {
		f := CorrectionFrame{Province: prov, Municipality: mun}
		for _, def := range layout.Frame(Electricity, "K").Rows {
			a := p.corrections[mun][def.Key]
			if a == nil || def.Row == 0 {
				continue
			}
			row := correctionRow(def.Row, a)
			f.Rows = append(f.Rows, row)
			if strings.HasPrefix(def.Key, "credit:") {
				credit = credit.Add(row.Total.Decimal)
			} else {
				debit = debit.Add(row.Total.Decimal)
			}
		}
		if len(f.Rows) > 0 {
			out = append(out, f)
		}
	}
	return out, debit, credit
}

func correctionRow(n int, a *correctionAcc) CorrectionRow {
	details, rounded, _ := a.byRate.details()
	row := CorrectionRow{Row: n, Total: Money{rounded.Add(a.fixed)}}
	for _, d := range details {
		row.Details = append(row.Details, CorrectionDetail{Quantity: d.Quantity, Rate: d.Rate, Amount: Money{Round(d.Quantity.Mul(d.Rate.Decimal))}})
	}
	if !a.fixed.IsZero() {
		row.Details = append(row.Details, CorrectionDetail{Quantity: Qty{decimal.Zero}, Rate: Rate{decimal.Zero}, Amount: Money{a.fixed}})
	}
	return row
}

// liquidationFrame builds frame P: one row per rate class, the fixed amount
// above 1,200,000 kWh, the corrections, the rounding row (the rounded sum
// of the exact amounts less the sum of the rounded rows) and the accisa
// liquidata.
func (p *eeProvince) liquidationFrame(layout *Layout, prov string, debit, credit decimal.Decimal) LiquidationFrame {
	f := LiquidationFrame{Province: prov}
	sumRounded, sumExact, total := decimal.Zero, decimal.Zero, decimal.Zero
	for _, def := range layout.Frame(Electricity, "P").Rows {
		if def.Row == 0 {
			continue
		}
		row := LiquidationRow{Row: def.Row, Kind: def.Kind, Total: Money{decimal.Zero}}
		switch def.Key {
		case "above-cap":
			row.Total = Money{p.fixed}
		case "corrections-debit":
			row.Total = Money{debit}
		case "corrections-credit":
			row.Total = Money{credit}
		case "rounding":
			// NOTE: this difference can be negative, although the ADM rules
			// allow a negative amount only on the accisa liquidata row. How
			// the official form writes a negative rounding is not known.
			row.Total = Money{Round(sumExact).Sub(sumRounded)}
		case "liquidated":
			row.Total = Money{total}
		default:
			sums := p.liquidation[def.Key]
			if len(sums) == 0 {
				continue
			}
			var exact decimal.Decimal
			row.Details, row.Total.Decimal, exact = sums.details()
			sumRounded, sumExact = sumRounded.Add(row.Total.Decimal), sumExact.Add(exact)
		}
		if def.Kind != RowTotal && row.Total.IsZero() && len(row.Details) == 0 {
			continue
		}
		if def.Key == "corrections-credit" {
			total = total.Sub(row.Total.Decimal)
		} else if def.Kind != RowTotal {
			total = total.Add(row.Total.Decimal)
		}
		f.Rows = append(f.Rows, row)
	}
	return f
}

// frameTotal returns the total row (TipoR 9) of a liquidation frame.
func frameTotal(f LiquidationFrame) decimal.Decimal {
	for _, r := range f.Rows {
		if r.Kind == RowTotal {
			return r.Total.Decimal
		}
	}
	return decimal.Zero
}

func sortedInts[V any](m map[int]V) []int {
	keys := make([]int, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	for i := 1; i < len(keys); i++ {
		for j := i; j > 0 && keys[j] < keys[j-1]; j-- {
			keys[j], keys[j-1] = keys[j-1], keys[j]
		}
	}
	return keys
}

// invoicedFrame builds frame I from the lines billed in the period: sales to
// resellers (excluded use) under type P with the customer's fiscal code, and
// every other line under type M with its distributor's VAT number, by
// municipality. It returns nil when no line is billed.
//
// NOTE: frame I is placed only in the declaration of the legal seat's ambito,
// on the reading that it is a national frame; no public source says so.
func invoicedFrame(c *Computation, opts DeclareOptions) *InvoicedFrame {
	from, to := opts.Period()
	type key struct{ typ, id, municipality string }
	sums := map[key]decimal.Decimal{}
	var order []key
	for _, sm := range c.Months {
		if !inPeriod(sm.Month, from, to) {
			continue
		}
		l := c.Lines[sm.Lines[len(sm.Lines)-1]]
		k := key{"M", l.Distributor, sm.Municipality}
		if l.Use == UseExcluded {
			k = key{"P", l.Customer, sm.Municipality}
		}
		if _, ok := sums[k]; !ok {
			order = append(order, k)
		}
		sums[k] = sums[k].Add(sm.KWh)
	}
	if len(order) == 0 {
		return nil
	}
	sort.Slice(order, func(a, b int) bool {
		x, y := order[a], order[b]
		if x.typ != y.typ {
			return x.typ < y.typ
		}
		if x.id != y.id {
			return x.id < y.id
		}
		return x.municipality < y.municipality
	})
	f := &InvoicedFrame{Total: Qty{decimal.Zero}}
	for _, k := range order {
		f.Meters = append(f.Meters, Meter{Type: k.typ, ID: k.id, KWh: Qty{sums[k]}, Municipality: k.municipality})
		f.Total.Decimal = f.Total.Add(sums[k])
	}
	return f
}
