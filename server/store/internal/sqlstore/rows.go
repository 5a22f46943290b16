package sqlstore

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/bludispatcher/dispatcher/flows"
	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/server/store"
)

// Column lists of the bulk-inserted tables, in insert order.
var (
	anomalyCols = []string{"load_id", "seq", "company_id", "code", "rule", "blocking", "level",
		"file", "line", "record_key", "field", "value", "message"}
	recordCols = []string{"load_id", "seq", "company_id", "flow_code", "family", "pod",
		"competence", "date", "month", "month_year", "measure_date", "correction_type",
		"detection_date", "reason", "service_date", "practice_code", "start_date", "line", "extra"}
	readingBaseCols = []string{"load_id", "record_seq", "kind", "company_id", "pod", "flow_code",
		"date", "xsi_type", "period_start", "collection", "data_type", "obstacle_cause",
		"validated", "pot_max"}
	readingCols = append(append(append([]string{}, readingBaseCols...), registerCols()...), "meter")
	curveCols   = []string{"load_id", "record_seq", "idx", "company_id", "pod", "flow_code", "day",
		"day_text", "kind", "dst", "slot_count", "slots", "s", "extra"}
	technicalCols  = []string{"load_id", "record_seq", "company_id", "pod", "date", "fields"}
	switchingCols  = []string{"load_id", "record_seq", "company_id", "pod", "kind"}
	correctionCols = []string{"load_id", "record_seq", "company_id", "pod", "competence",
		"correction_type", "replaces_load", "replaces_seq"}
)

// registerQuantities are the register prefixes in column order, with their
// regulated element prefixes.
var registerQuantities = []struct{ col, name string }{
	{"ea", "Ea"}, {"er", "Er"}, {"pot", "Pot"}, {"erc", "Erc"}, {"eri", "Eri"},
}

// registerCols returns ea_f1 … eri_f6 and then ea_m … eri_m.
func registerCols() []string {
	var cols []string
	for _, q := range registerQuantities {
		for i := 1; i <= 6; i++ {
			cols = append(cols, fmt.Sprintf("%s_f%d", q.col, i))
		}
	}
	for _, q := range registerQuantities {
		cols = append(cols, q.col+"_m")
	}
	return cols
}

// registerNames returns the regulated names matching registerCols.
func registerNames() []string {
	var names []string
	for _, q := range registerQuantities {
		for i := 1; i <= 6; i++ {
			names = append(names, fmt.Sprintf("%sF%d", q.name, i))
		}
	}
	for _, q := range registerQuantities {
		names = append(names, q.name+"M")
	}
	return names
}

var regNames = registerNames()

// registerValues returns the registers in registerCols order.
func registerValues(r *flows.Registers) []any {
	out := make([]any, 0, 35)
	for _, band := range [][6]flows.Value{r.Ea, r.Er, r.Pot, r.Erc, r.Eri} {
		for _, v := range band {
			out = append(out, text(v))
		}
	}
	for _, v := range []flows.Value{r.EaM, r.ErM, r.PotM, r.ErcM, r.EriM} {
		out = append(out, text(v))
	}
	return out
}

// text returns the value's text, or nil (NULL) when the element was absent.
func text(v flows.Value) any {
	if !v.Set {
		return nil
	}
	return v.Text
}

// recordContext is the data every row of one record shares.
type recordContext struct {
	load       store.LoadID
	seq        int
	company    store.CompanyID
	flowCode   string
	family     flows.Family
	pod        string
	competence string
	date       civil.Date
	month      civil.Month
}

// dateText returns d as yyyy-mm-dd, or "" for the zero date.
func dateText(d civil.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

// monthText returns m as yyyy-mm, or "" for the zero month.
func monthText(m civil.Month) string {
	if m.IsZero() {
		return ""
	}
	return m.String()
}

// newRecordContext derives the competence of r: MeseAnno when it parses,
// else the first of DataMisura, DataPrest and DataInizio that parses.
func newRecordContext(load store.LoadID, seq int, company store.CompanyID, flowCode string, r *flows.Record) recordContext {
	info, _ := flows.LookupFlow(flowCode)
	rc := recordContext{load: load, seq: seq, company: company, flowCode: flowCode,
		family: info.Family, pod: r.POD.Text}
	if m, err := r.MonthYear.Month(); r.MonthYear.Set && err == nil {
		rc.month = m
		rc.date = m.First()
		rc.competence = m.String()
		return rc
	}
	for _, v := range []flows.Value{r.MeasureDate, r.ServiceDate, r.StartDate} {
		if d, err := v.Date(); v.Set && err == nil {
			rc.date = d
			rc.month = d.MonthOf()
			rc.competence = d.String()
			return rc
		}
	}
	return rc
}

func (rc *recordContext) recordRow(r *flows.Record) []any {
	return []any{int64(rc.load), rc.seq, int64(rc.company), rc.flowCode, rc.family.String(), rc.pod,
		rc.competence, dateText(rc.date), monthText(rc.month), text(r.MonthYear), text(r.MeasureDate),
		text(r.CorrectionType), text(r.DetectionDate), text(r.Reason), text(r.ServiceDate),
		text(r.PracticeCode), text(r.StartDate), r.Line, extraJSON(r.Extra)}
}

// extraJSON keeps unknown elements as a JSON array, or nil when none.
func extraJSON(extra []flows.Element) any {
	if len(extra) == 0 {
		return nil
	}
	b, err := json.Marshal(extra)
	if err != nil {
		return nil
	}
	return string(b)
}

// readingRow builds one readings row for a Misura, Curva or Consumo.
func (rc *recordContext) readingRow(kind store.ReadingKind, m *flows.Measure) []any {
	row := []any{int64(rc.load), rc.seq, string(kind), int64(rc.company), rc.pod, rc.flowCode,
		dateText(rc.date), nullString(m.XSIType), text(m.PeriodStart), text(m.Collection),
		text(m.DataType), text(m.ObstacleCause), text(m.Validated), text(m.PotMax)}
	row = append(row, registerValues(&m.Registers)...)
	return append(row, nil)
}

// stdRow builds the readings row of a Consumo_StD: its three bands go in
// the ea_f1..ea_f3 columns.
func (rc *recordContext) stdRow(c *flows.StDConsumption) []any {
	var regs flows.Registers
	copy(regs.Ea[:3], c.Ea[:])
	row := []any{int64(rc.load), rc.seq, string(store.ReadingConsumptionStD), int64(rc.company), rc.pod,
		rc.flowCode, dateText(rc.date), nil, nil, nil, nil, nil, nil, nil}
	row = append(row, registerValues(&regs)...)
	return append(row, nil)
}

// meterChangeRow builds the readings row of a Smontaggio or Montaggio.
func (rc *recordContext) meterChangeRow(kind store.ReadingKind, c *flows.MeterChange) []any {
	date := rc.date
	if d, err := c.MeasureDate.Date(); c.MeasureDate.Set && err == nil {
		date = d
	}
	meter := map[string]string{}
	for _, f := range []struct {
		name string
		v    flows.Value
	}{
		{"TipoMisuratore", c.MeterType}, {"DataMisura", c.MeasureDate}, {"TipoDato", c.DataType},
		{"DataMessaRegime2G", c.Regime2GDate}, {"Tensione", c.Voltage}, {"Ka", c.Ka}, {"Kr", c.Kr},
		{"Kp", c.Kp}, {"MatrAtt", c.ActiveMeter}, {"MatrRea", c.ReactiveMeter}, {"MatrPot", c.PowerMeter},
		{"CifreAtt", c.ActiveDigits}, {"CifreRea", c.ReactiveDigits}, {"CifrePot", c.PowerDigits},
	} {
		if f.v.Set {
			meter[f.name] = f.v.Text
		}
	}
	b, _ := json.Marshal(meter)
	row := []any{int64(rc.load), rc.seq, string(kind), int64(rc.company), rc.pod, rc.flowCode,
		dateText(date), nil, nil, nil, text(c.DataType), nil, nil, nil}
	row = append(row, registerValues(&c.Registers)...)
	return append(row, string(b))
}

// curveRow builds one curves row. The day is the element's day of the
// record's competence month. When the text is not a day of that month,
// such as the day 32 of some legacy files, the day is "" and day_text
// keeps the text.
func (rc *recordContext) curveRow(idx int, c *flows.Curve) []any {
	day := ""
	if n, err := strconv.Atoi(c.Day.Text); err == nil && !rc.month.IsZero() && n >= 1 && n <= rc.month.Days() {
		day = civil.Date{Year: rc.month.Year, Month: rc.month.Month, Day: n}.String()
	}
	slots, s := packCurve(c)
	var extra any
	if attrs := c.ExtraAttrs(); len(attrs) > 0 {
		b, _ := json.Marshal(attrs)
		extra = string(b)
	}
	var sv any
	if s != nil {
		sv = s
	}
	return []any{int64(rc.load), rc.seq, idx, int64(rc.company), rc.pod, rc.flowCode, day,
		text(c.Day), int(c.Kind), text(c.Dst), c.MaxE(), slots, sv, extra}
}

// pdpFields lists the DatiPdp elements by regulated name.
var pdpFields = []struct {
	name string
	get  func(p *flows.Pdp) flows.Value
}{
	{"PuntoDispacciamento", func(p *flows.Pdp) flows.Value { return p.DispatchPoint }},
	{"TipoMisuratore", func(p *flows.Pdp) flows.Value { return p.MeterType }},
	{"MessaRegime", func(p *flows.Pdp) flows.Value { return p.Regime2G }},
	{"DataMessaRegime2G", func(p *flows.Pdp) flows.Value { return p.Regime2GDate }},
	{"DataOperatMisur2G", func(p *flows.Pdp) flows.Value { return p.Operation2GDate }},
	{"Trattamento", func(p *flows.Pdp) flows.Value { return p.Treatment }},
	{"Tensione", func(p *flows.Pdp) flows.Value { return p.Voltage }},
	{"PotContrImp", func(p *flows.Pdp) flows.Value { return p.ContractPower }},
	{"PotImp", func(p *flows.Pdp) flows.Value { return p.CommittedPower }},
	{"PotDisp", func(p *flows.Pdp) flows.Value { return p.AvailablePower }},
	{"Forfait", func(p *flows.Pdp) flows.Value { return p.Flat }},
	{"GruppoMis", func(p *flows.Pdp) flows.Value { return p.MeterGroup }},
	{"Ka", func(p *flows.Pdp) flows.Value { return p.Ka }},
	{"Kr", func(p *flows.Pdp) flows.Value { return p.Kr }},
	{"Kp", func(p *flows.Pdp) flows.Value { return p.Kp }},
	{"MatrAtt", func(p *flows.Pdp) flows.Value { return p.ActiveMeter }},
	{"MatrRea", func(p *flows.Pdp) flows.Value { return p.ReactiveMeter }},
	{"MatrPot", func(p *flows.Pdp) flows.Value { return p.PowerMeter }},
	{"DataInstMisAtt", func(p *flows.Pdp) flows.Value { return p.ActiveMeterDate }},
	{"DataInstMisRea", func(p *flows.Pdp) flows.Value { return p.ReactiveMeterDate }},
	{"DataInstMisPot", func(p *flows.Pdp) flows.Value { return p.PowerMeterDate }},
	{"CifreAtt", func(p *flows.Pdp) flows.Value { return p.ActiveDigits }},
	{"CifreRea", func(p *flows.Pdp) flows.Value { return p.ReactiveDigits }},
	{"CifrePot", func(p *flows.Pdp) flows.Value { return p.PowerDigits }},
	{"CodiceTariffa", func(p *flows.Pdp) flows.Value { return p.TariffCode }},
	{"Residenza", func(p *flows.Pdp) flows.Value { return p.Resident }},
	{"Disaliment", func(p *flows.Pdp) flows.Value { return p.Disconnectable }},
	{"ServizioTutela", func(p *flows.Pdp) flows.Value { return p.ProtectionService }},
	{"Prestazioni", func(p *flows.Pdp) flows.Value { return p.Services }},
	{"ConfMis", func(p *flows.Pdp) flows.Value { return p.MeterConfig }},
	{"RegimeComp", func(p *flows.Pdp) flows.Value { return p.CompensationRegime }},
}

// technicalRow builds the technical row of a DatiPdp. Unknown child
// elements are kept under their own name with their markup.
func (rc *recordContext) technicalRow(p *flows.Pdp) []any {
	fields := map[string]string{}
	for _, f := range pdpFields {
		if v := f.get(p); v.Set {
			fields[f.name] = v.Text
		}
	}
	for _, e := range p.Extra {
		fields[e.Name] = e.XML
	}
	b, _ := json.Marshal(fields)
	return []any{int64(rc.load), rc.seq, int64(rc.company), rc.pod, dateText(rc.date), string(b)}
}

// switchingKind returns the switching kind of a flow family, or "" when the
// family is not a switching one.
func switchingKind(f flows.Family) store.SwitchingKind {
	switch f {
	case flows.SwitchingFunctional:
		return store.SwitchingFunctional
	case flows.SwitchingHistorical:
		return store.SwitchingHistorical
	case flows.MeterReplacement:
		return store.SwitchingMeter
	}
	return ""
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}
