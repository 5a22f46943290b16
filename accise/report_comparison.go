package accise

import (
	"sort"
	"strings"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
)

// Items (Voce) of the comparison sheet rows.
const (
	// ItemPeriod is the tax on the consumption of the declared period.
	ItemPeriod = "consumi del periodo"
	// ItemCorrectionsDebit is the tax on corrections a debito.
	ItemCorrectionsDebit = "rettifiche a debito"
	// ItemCorrectionsCredit is the tax on corrections a credito, as a
	// negative amount so that the rows of a province add up.
	ItemCorrectionsCredit = "rettifiche a credito"
	// ItemRounding is the liquidation frame's total (P or I) less the tax of
	// the rows above it. The frame rounds each rate row over all supplies,
	// while the rows above round each supply-month or line.
	ItemRounding = "arrotondamento del quadro"
)

// AreaTotal is the province column of the comparison rows that total an
// ambito and chapter. When ReportInput carries the declarations built from
// the same computation, their computed tax equals the accisa liquidata of
// frame Q (electricity) or L (gas) of the XML.
const AreaTotal = "TOTALE"

var comparisonItems = []string{ItemPeriod, ItemCorrectionsDebit, ItemCorrectionsCredit, ItemRounding}

// comparisonKey identifies one row of the comparison sheet.
type comparisonKey struct {
	product, ambito, province, chapter, item string
}

// comparison is the computed and billed tax of one row.
type comparison struct {
	computed, billedComputed, billed decimal.Decimal
	lines                            int
}

// comparisonSet collects the comparison rows of a report.
type comparisonSet struct {
	in   ReportInput
	rows map[comparisonKey]*comparison
}

func (s *comparisonSet) get(c Commodity, province, chapter, item string) *comparison {
	k := comparisonKey{product: productCode(c), ambito: s.ambitoCode(province), province: province, chapter: chapter, item: item}
	if s.rows[k] == nil {
		s.rows[k] = &comparison{}
	}
	return s.rows[k]
}

// ambitoCode returns the ambito of a province as the XML codes it, or ""
// for a province outside the territory table.
func (s *comparisonSet) ambitoCode(province string) string {
	a, ok := s.in.Options.territory().AmbitoOf(province)
	if !ok {
		return ""
	}
	return s.in.Options.AmbitoCode(a)
}

func productCode(c Commodity) string {
	if c == Electricity {
		return "EE"
	}
	return "GN"
}

// fillComparison writes the computed and billed tax per province, chapter
// and item: the period's consumption, the corrections a debito and a
// credito, and the rounding of the liquidation frame. The TOTALE rows add
// them up per ambito and chapter.
func fillComparison(f *excelize.File, sheet string, in ReportInput) error {
	header := []any{"Prodotto", "Ambito", "Provincia", "Capitolo", "Voce", "Mesi o righe", "Accisa calcolata", "Calcolata dove fatturata", "Fatturata", "Differenza"}
	if in.Computation == nil {
		return rows(f, sheet, header, nil)
	}
	s := &comparisonSet{in: in, rows: map[comparisonKey]*comparison{}}
	s.addElectricity()
	s.addGas()
	s.addRounding()
	return rows(f, sheet, header, s.data())
}

// addAmount adds tax to a row without counting a line, for the parts of a
// line that fall outside its main row.
func (s *comparisonSet) addAmount(c Commodity, province, chapter, item string, amount decimal.Decimal) {
	row := s.get(c, province, chapter, item)
	row.computed = row.computed.Add(amount)
}

func (s *comparisonSet) addElectricity() {
	c := s.in.Computation
	from, to := s.in.Options.Period()
	chapter := s.in.Options.layout().Frame(Electricity, "P").Chapter
	for _, sm := range c.Months {
		if !inPeriod(sm.Month, from, to) {
			continue
		}
		s.get(Electricity, sm.Province, chapter, ItemPeriod).add(Excise(sm.Portions), sm.Billed)
	}
	for i, l := range c.Lines {
		if l.Commodity != Electricity || l.Kind != Correction || !correctionInPeriod(l, from, to) {
			continue
		}
		var debit, credit []Portion
		for _, p := range c.PerLine[i].Excise {
			switch correctionSide(correctionKey(p)) {
			case "debit":
				debit = append(debit, p)
			case "credit":
				credit = append(credit, p)
			}
		}
		s.addCorrection(Electricity, l, chapter, Excise(debit), Excise(credit))
	}
}

func (s *comparisonSet) addGas() {
	c := s.in.Computation
	from, to := s.in.Options.Period()
	for i, l := range c.Lines {
		if l.Commodity != Gas {
			continue
		}
		if l.Kind == Correction {
			if correctionInPeriod(l, from, to) {
				s.addGasCorrection(l, c.PerLine[i].Excise)
			}
			continue
		}
		if l.To.Before(from) || l.From.After(to) {
			continue
		}
		portions := c.PerLine[i].Excise
		// As in BuildGas, a line across the edge of the period counts only
		// for its days inside it.
		portions = clipToPeriod(l, from, to, portions)
		byChapter := map[string]decimal.Decimal{}
		for _, p := range portions {
			byChapter[gasChapter(p)] = byChapter[gasChapter(p)].Add(p.Amount)
		}
		main := lineChapter(c.PerLine[i].Excise)
		for _, chapter := range sortedKeys(byChapter) {
			if chapter != main {
				s.addAmount(Gas, l.Province, chapter, ItemPeriod, byChapter[chapter])
			}
		}
		s.get(Gas, l.Province, main, ItemPeriod).addLine(byChapter[main], LineTotal(c.PerLine[i].Excise), l.BilledExcise)
	}
}

// addGasCorrection splits a gas correction by chapter and side, as frame H
// does: exempt portions carry no excise and are left out.
func (s *comparisonSet) addGasCorrection(l Line, portions []Portion) {
	debit, credit := map[string]decimal.Decimal{}, map[string]decimal.Decimal{}
	for _, p := range portions {
		if p.Class == ClassGasExempt {
			continue
		}
		if p.Quantity.IsNegative() {
			credit[gasChapter(p)] = credit[gasChapter(p)].Add(p.Amount)
		} else {
			debit[gasChapter(p)] = debit[gasChapter(p)].Add(p.Amount)
		}
	}
	main := lineChapter(portions)
	for _, chapter := range []string{ChapterVehicle, ChapterCombustion} {
		if chapter == main {
			s.addCorrection(Gas, l, chapter, debit[chapter], credit[chapter])
			continue
		}
		if !debit[chapter].IsZero() {
			s.addAmount(Gas, l.Province, chapter, ItemCorrectionsDebit, debit[chapter])
		}
		if !credit[chapter].IsZero() {
			s.addAmount(Gas, l.Province, chapter, ItemCorrectionsCredit, credit[chapter])
		}
	}
}

// addCorrection adds the debit and credit tax of one correction line. The
// line counts, with its billed excise, on the side of its quantity's sign.
func (s *comparisonSet) addCorrection(c Commodity, l Line, chapter string, debit, credit decimal.Decimal) {
	item, own, other, otherItem := ItemCorrectionsDebit, debit, credit, ItemCorrectionsCredit
	if l.Quantity.IsNegative() {
		item, own, other, otherItem = ItemCorrectionsCredit, credit, debit, ItemCorrectionsDebit
	}
	s.get(c, l.Province, chapter, item).addLine(own, debit.Add(credit), l.BilledExcise)
	if !other.IsZero() {
		s.addAmount(c, l.Province, chapter, otherItem, other)
	}
}

// addRounding adds, per province and chapter, the difference between the
// liquidation frame's total and the rows collected from the computation.
func (s *comparisonSet) addRounding() {
	frames := map[comparisonKey]decimal.Decimal{}
	for _, d := range s.in.Electricity {
		for _, p := range d.P {
			frames[comparisonKey{product: productCode(Electricity), province: p.Province, chapter: p.Chapter}] = frameTotal(p)
		}
	}
	for _, d := range s.in.Gas {
		for _, i := range d.I {
			frames[comparisonKey{product: productCode(Gas), province: i.Province, chapter: i.Chapter}] = frameTotal(i)
		}
	}
	lines := map[comparisonKey]decimal.Decimal{}
	for k, c := range s.rows {
		frameKey := comparisonKey{product: k.product, province: k.province, chapter: k.chapter}
		lines[frameKey] = lines[frameKey].Add(c.computed)
	}
	for k, total := range frames {
		diff := total.Sub(lines[k])
		if diff.IsZero() {
			continue
		}
		c := Electricity
		if k.product == productCode(Gas) {
			c = Gas
		}
		s.addAmount(c, k.province, k.chapter, ItemRounding, diff)
	}
}

// data returns the sheet rows: the rows of each province in item order,
// then one TOTALE row per product, ambito and chapter.
func (s *comparisonSet) data() [][]any {
	keys := make([]comparisonKey, 0, len(s.rows))
	totals := map[comparisonKey]*comparison{}
	for k, c := range s.rows {
		keys = append(keys, k)
		tk := comparisonKey{product: k.product, ambito: k.ambito, province: AreaTotal, chapter: k.chapter}
		if totals[tk] == nil {
			totals[tk] = &comparison{}
		}
		totals[tk].merge(c)
	}
	sortComparisonKeys(keys)
	var out [][]any
	for _, k := range keys {
		out = append(out, s.rows[k].row(k))
	}
	totalKeys := make([]comparisonKey, 0, len(totals))
	for k := range totals {
		totalKeys = append(totalKeys, k)
	}
	sortComparisonKeys(totalKeys)
	for _, k := range totalKeys {
		out = append(out, totals[k].row(k))
	}
	return out
}

func sortComparisonKeys(keys []comparisonKey) {
	order := map[string]int{}
	for i, item := range comparisonItems {
		order[item] = i
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.product != b.product {
			return a.product < b.product
		}
		if a.ambito != b.ambito {
			return a.ambito < b.ambito
		}
		if a.province != b.province {
			return a.province < b.province
		}
		if a.chapter != b.chapter {
			return a.chapter < b.chapter
		}
		return order[a.item] < order[b.item]
	})
}

// add adds one supply-month or line whose whole tax is in this row.
func (c *comparison) add(computed decimal.Decimal, billed *decimal.Decimal) {
	c.addLine(computed, computed, billed)
}

// addLine adds one line: computed is its tax in this row, lineTotal its
// whole tax, compared with the billed excise when the line gives it.
func (c *comparison) addLine(computed, lineTotal decimal.Decimal, billed *decimal.Decimal) {
	c.computed = c.computed.Add(computed)
	c.lines++
	if billed != nil {
		c.billed = c.billed.Add(*billed)
		c.billedComputed = c.billedComputed.Add(lineTotal)
	}
}

func (c *comparison) merge(o *comparison) {
	c.lines += o.lines
	c.computed = c.computed.Add(o.computed)
	c.billedComputed = c.billedComputed.Add(o.billedComputed)
	c.billed = c.billed.Add(o.billed)
}

func (c *comparison) row(k comparisonKey) []any {
	return []any{k.product, k.ambito, k.province, k.chapter, k.item, c.lines,
		num(c.computed), num(c.billedComputed), num(c.billed), num(c.billed.Sub(c.billedComputed))}
}

// correctionSide returns "debit" or "credit" from a frame K row key, or ""
// for a portion that frame K leaves out.
func correctionSide(key string) string {
	side, _, found := strings.Cut(key, ":")
	if !found {
		return ""
	}
	return side
}

// gasChapter returns the budget chapter of a gas portion.
func gasChapter(p Portion) string {
	if p.Class == ClassVehicle {
		return ChapterVehicle
	}
	return ChapterCombustion
}

// lineChapter returns the chapter of a gas line's first taxed portion,
// which carries the line's count and billed excise.
func lineChapter(ps []Portion) string {
	for _, p := range ps {
		if p.Class != ClassGasExempt {
			return gasChapter(p)
		}
	}
	return ChapterCombustion
}
