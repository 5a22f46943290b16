package web

import (
	"net/http"
	"slices"
	"sort"
	"strings"

	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/server/internal/param"
	"github.com/bludispatcher/dispatcher/server/store"
)

// podTabs are the tabs of the POD page, the default first.
var podTabs = []string{"readings", "curve", "consumptions", "corrections", "switching", "technical"}

// podPage is the data of the POD page; only the open tab's field is set.
type podPage struct {
	basePage
	POD          string
	Tab          string
	Tabs         []string
	Query        map[string]string
	RawQuery     map[string][]string
	Registry     []store.RegistryEntry
	Readings     *readingTable
	Consumptions *readingTable
	Curve        *curveView
	Corrections  []correctionView
	Switching    []switchingView
	Switches     *switchesView
	Technical    *technicalTable
}

// pod serves GET /pods/{pod}?tab=. A POD without records of the viewer's
// company is not found, whether or not another company has it.
func (h *handler) pod(w http.ResponseWriter, r *http.Request, v viewer) {
	pod := strings.ToUpper(strings.TrimSpace(r.PathValue("pod")))
	p := &param.Reader{Values: r.URL.Query()}
	tab := p.Text("tab")
	if tab == "" {
		tab = podTabs[0]
	}
	if !slices.Contains(podTabs, tab) {
		h.notFound(w, r)
		return
	}
	ctx := r.Context()
	latest, found, err := h.newestDate(r, v, pod)
	if err != nil {
		h.storeError(w, r, "find pod", err)
		return
	}
	if !found {
		h.notFound(w, r)
		return
	}

	page := podPage{
		basePage: h.base(w, r, v, "pod.title", "search"),
		POD:      pod,
		Tab:      tab,
		Tabs:     podTabs,
		Query:    flatQuery(r),
		RawQuery: r.URL.Query(),
	}
	page.Registry, err = h.opts.Store.RegistryEntries(ctx, v.principal.ID, pod)
	if err != nil {
		h.storeError(w, r, "registry", err)
		return
	}

	if err := h.fillTab(r, p, v, &page, latest); err != nil {
		if failure, ok := p.First(); ok {
			h.badParam(w, r, failure)
			return
		}
		h.storeError(w, r, tab, err)
		return
	}
	h.render(w, r, http.StatusOK, "pod", page)
}

// fillTab reads the data of the page's open tab. latest is the POD's
// newest competence date, the curve's default day. An invalid parameter
// is recorded as a failure in p, and fillTab then returns errInvalidParam.
func (h *handler) fillTab(r *http.Request, p *param.Reader, v viewer, page *podPage, latest civil.Date) error {
	ctx := r.Context()
	var err error
	switch page.Tab {
	case "readings", "consumptions":
		dates := p.DateRange()
		if p.Failed() {
			return errInvalidParam
		}
		read := h.opts.Store.Readings
		if page.Tab == "consumptions" {
			read = h.opts.Store.Consumptions
		}
		rows, err := read(ctx, v.principal.ID, page.POD, dates)
		if err != nil {
			return err
		}
		if page.Tab == "readings" {
			page.Readings = newReadingTable(rows)
		} else {
			page.Consumptions = newReadingTable(rows)
		}
	case "curve":
		page.Curve, err = h.curveTab(r, p, v, page.POD, latest, page.L)
	case "corrections":
		page.Corrections, err = h.correctionsTab(r, v, page.POD)
	case "switching":
		page.Switching, err = h.switchingTab(r, v, page.POD)
		if err == nil {
			page.Switches, err = h.switchesView(r, v, page.POD)
		}
	case "technical":
		page.Technical, err = h.technicalTab(r, v, page.POD)
	}
	return err
}

// newestDate returns the newest competence date of the viewer's records
// of pod, and false when the company has no record of it.
func (h *handler) newestDate(r *http.Request, v viewer, pod string) (civil.Date, bool, error) {
	f := store.RecordFilter{Company: v.principal.ID, POD: pod, Page: store.Page{Limit: 1}}
	rows, total, err := h.opts.Store.SearchRecords(r.Context(), f)
	if err != nil || total == 0 {
		return civil.Date{}, false, err
	}
	if total > 1 {
		// Records come in date order, so the last one is the newest.
		f.Page.Offset = total - 1
		if rows, _, err = h.opts.Store.SearchRecords(r.Context(), f); err != nil {
			return civil.Date{}, false, err
		}
	}
	if len(rows) == 0 {
		// The records were deleted between the two queries.
		return civil.Date{}, false, nil
	}
	return rows[0].Date, true, nil
}

// readingTable is a spreadsheet-like table of readings: one row per
// reading, one column per register present in any of them.
type readingTable struct {
	Rows      []store.Reading
	Registers []string
}

func newReadingTable(rows []store.Reading) *readingTable {
	seen := map[string]bool{}
	for _, r := range rows {
		for k := range r.Registers {
			seen[k] = true
		}
	}
	regs := make([]string, 0, len(seen))
	for k := range seen {
		regs = append(regs, k)
	}
	sort.Slice(regs, func(i, j int) bool { return registerLess(regs[i], regs[j]) })
	return &readingTable{Rows: rows, Registers: regs}
}

// registerOrder ranks register prefixes: energies first, then powers.
var registerOrder = []string{"Ea", "Er", "Erc", "Eri", "Pot"}

// registerLess orders register names by quantity (Ea, Er, Erc, Eri, Pot),
// then by name, so EaF1..EaF6 and EaM stay together.
func registerLess(a, b string) bool {
	ra, rb := registerRank(a), registerRank(b)
	if ra != rb {
		return ra < rb
	}
	return a < b
}

func registerRank(name string) int {
	best, rank := -1, len(registerOrder)
	for i, p := range registerOrder {
		if strings.HasPrefix(name, p) && len(p) > best {
			best, rank = len(p), i
		}
	}
	return rank
}

// curveView is the curve tab: the chart of one kind over a day, a week or
// a month, with its table.
type curveView struct {
	View      string
	Kind      string
	Kinds     []string
	Day       civil.Date
	From, To  civil.Date
	Prev      civil.Date
	Next      civil.Date
	Unit      string
	Chart     chart
	Points    []curvePoint
	DayTotals []dayTotal
	Total     string
}

// curveViews are the spans of the curve chart, the default first.
var curveViews = []string{"day", "week", "month"}

// curveTab reads the curve tab's view (day, week, month), date and kind.
// The default date is the POD's newest competence date.
func (h *handler) curveTab(r *http.Request, p *param.Reader, v viewer, pod string, latest civil.Date, l *locale) (*curveView, error) {
	cv := &curveView{View: p.Text("view"), Kind: p.Text("kind"), Day: p.Date("date")}
	if cv.View == "" {
		cv.View = curveViews[0]
	}
	if !slices.Contains(curveViews, cv.View) {
		p.Fail("view", cv.View, "want.view")
	}
	if cv.Kind == "" {
		cv.Kind = "Ea"
	}
	if !slices.Contains(curveKindNames, cv.Kind) {
		p.Fail("kind", cv.Kind, "want.kind")
	}
	if p.Failed() {
		return nil, errInvalidParam
	}
	if cv.Day.IsZero() {
		cv.Day = latest
	}
	if cv.Day.IsZero() {
		cv.Day = civil.DateOf(h.now().In(civil.Rome))
	}
	switch cv.View {
	case "day":
		cv.From, cv.To = cv.Day, cv.Day
		cv.Prev, cv.Next = cv.Day.AddDays(-1), cv.Day.AddDays(1)
	case "week":
		// Weeks start on Monday.
		offset := (int(cv.Day.Weekday()) + 6) % 7
		cv.From = cv.Day.AddDays(-offset)
		cv.To = cv.From.AddDays(6)
		cv.Prev, cv.Next = cv.Day.AddDays(-7), cv.Day.AddDays(7)
	case "month":
		m := cv.Day.MonthOf()
		cv.From, cv.To = m.First(), m.Last()
		cv.Prev, cv.Next = m.AddMonths(-1).First(), m.AddMonths(1).First()
	}

	days, err := h.opts.Store.Curve(r.Context(), v.principal.ID, pod, store.DateRange{From: cv.From, To: cv.To}, true)
	if err != nil {
		return nil, err
	}
	cv.Kinds = curveKinds(days)
	cv.Unit = l.T("unit." + cv.Kind)
	cv.Points = curvePoints(days, cv.Kind)
	from, to := cv.From.Midnight(civil.Rome), cv.To.AddDays(1).Midnight(civil.Rome)
	layout := l.T("format.dayShort")
	cv.Chart = buildChart(cv.Points, from, to, l, layout)
	cv.Total = sumPoints(cv.Points)
	if cv.View != "day" {
		cv.DayTotals = dayTotals(cv.Points)
		cv.Points = nil
	}
	return cv, nil
}

// correctionView is one correction with the values of the record it
// replaced beside its own.
type correctionView struct {
	store.Correction
	Values []valuePair
}

// valuePair is one register (or PotMax, or a curve total) before and after
// a correction.
type valuePair struct {
	Name     string
	Old, New string
	Changed  bool
}

// correctionsTab pairs every correction's values with those of the record
// it replaced: the registers and PotMax of their readings and
// consumptions, and the total of their Ea curves.
func (h *handler) correctionsTab(r *http.Request, v viewer, pod string) ([]correctionView, error) {
	ctx := r.Context()
	corrections, err := h.opts.Store.Corrections(ctx, v.principal.ID, pod, false)
	if err != nil || len(corrections) == 0 {
		return nil, err
	}
	byRef, err := h.readingsByRef(r, v, pod)
	if err != nil {
		return nil, err
	}
	curveTotals := map[store.RecordRef]string{}
	done := map[civil.Month]bool{}
	for _, c := range corrections {
		m := c.Record.Date.MonthOf()
		if c.Record.Date.IsZero() || done[m] {
			continue
		}
		done[m] = true
		days, err := h.opts.Store.Curve(ctx, v.principal.ID, pod, store.DateRange{From: m.First(), To: m.Last()}, false)
		if err != nil {
			return nil, err
		}
		for ref, total := range eaTotals(days) {
			curveTotals[ref] = total
		}
	}
	out := make([]correctionView, len(corrections))
	for i, c := range corrections {
		out[i].Correction = c
		var oldRef store.RecordRef
		if c.Replaces != nil {
			oldRef = c.Replaces.RecordRef
		}
		out[i].Values = pairValues(byRef[oldRef], byRef[c.Record.RecordRef], curveTotals[oldRef], curveTotals[c.Record.RecordRef])
	}
	return out, nil
}

// readingsByRef returns every reading and consumption of a POD by record.
func (h *handler) readingsByRef(r *http.Request, v viewer, pod string) (map[store.RecordRef][]store.Reading, error) {
	ctx := r.Context()
	readings, err := h.opts.Store.Readings(ctx, v.principal.ID, pod, store.DateRange{})
	if err != nil {
		return nil, err
	}
	consumptions, err := h.opts.Store.Consumptions(ctx, v.principal.ID, pod, store.DateRange{})
	if err != nil {
		return nil, err
	}
	out := map[store.RecordRef][]store.Reading{}
	for _, rd := range append(readings, consumptions...) {
		out[rd.RecordRef] = append(out[rd.RecordRef], rd)
	}
	return out, nil
}

// eaTotals sums the Ea slots of each record.
func eaTotals(days []store.CurveDay) map[store.RecordRef]string {
	byRef := map[store.RecordRef][]store.CurveDay{}
	for _, d := range days {
		if d.KindName == "Ea" {
			byRef[d.RecordRef] = append(byRef[d.RecordRef], d)
		}
	}
	out := map[store.RecordRef]string{}
	for ref, ds := range byRef {
		out[ref] = sumPoints(curvePoints(ds, "Ea"))
	}
	return out
}

// pairValues lines up the registers, PotMax and Ea curve totals of the old
// and the new record.
func pairValues(old, cur []store.Reading, oldCurve, newCurve string) []valuePair {
	oldVals, newVals := readingValues(old), readingValues(cur)
	names := map[string]bool{}
	for k := range oldVals {
		names[k] = true
	}
	for k := range newVals {
		names[k] = true
	}
	keys := make([]string, 0, len(names))
	for k := range names {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return registerLess(keys[i], keys[j]) })
	out := make([]valuePair, 0, len(keys)+1)
	for _, k := range keys {
		out = append(out, valuePair{Name: k, Old: oldVals[k], New: newVals[k], Changed: oldVals[k] != newVals[k]})
	}
	if oldCurve != "" || newCurve != "" {
		out = append(out, valuePair{Name: "curve.Ea", Old: oldCurve, New: newCurve, Changed: oldCurve != newCurve})
	}
	return out
}

// readingValues merges the registers and PotMax of a record's readings.
func readingValues(rs []store.Reading) map[string]string {
	out := map[string]string{}
	for _, r := range rs {
		for k, v := range r.Registers {
			out[k] = v
		}
		if r.PotMax != nil {
			out["PotMax"] = *r.PotMax
		}
	}
	return out
}

// switchingView is one switching record with its technical data and the
// registers of its measures.
type switchingView struct {
	store.Switching
	Technical map[string]string
	Readings  *readingTable
}

func (h *handler) switchingTab(r *http.Request, v viewer, pod string) ([]switchingView, error) {
	rows, err := h.opts.Store.Switching(r.Context(), v.principal.ID, pod)
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	byRef, err := h.readingsByRef(r, v, pod)
	if err != nil {
		return nil, err
	}
	tech, err := h.opts.Store.Technical(r.Context(), v.principal.ID, pod)
	if err != nil {
		return nil, err
	}
	techByRef := map[store.RecordRef]map[string]string{}
	for _, t := range tech {
		techByRef[t.Record.RecordRef] = t.Fields
	}
	out := make([]switchingView, len(rows))
	for i, s := range rows {
		out[i] = switchingView{Switching: s, Technical: techByRef[s.Record.RecordRef], Readings: newReadingTable(byRef[s.Record.RecordRef])}
	}
	return out, nil
}

// technicalTable is the technical data of a POD: one row per record, one
// column per DatiPdp field present in any, and the meter changes.
type technicalTable struct {
	Rows   []store.Technical
	Fields []string
	Meters []store.Reading
}

func (h *handler) technicalTab(r *http.Request, v viewer, pod string) (*technicalTable, error) {
	rows, err := h.opts.Store.Technical(r.Context(), v.principal.ID, pod)
	if err != nil {
		return nil, err
	}
	t := &technicalTable{Rows: rows}
	seen := map[string]bool{}
	for _, row := range rows {
		for k := range row.Fields {
			if !seen[k] {
				seen[k] = true
				t.Fields = append(t.Fields, k)
			}
		}
	}
	sort.Strings(t.Fields)
	readings, err := h.opts.Store.Readings(r.Context(), v.principal.ID, pod, store.DateRange{})
	if err != nil {
		return nil, err
	}
	for _, rd := range readings {
		if len(rd.Meter) > 0 {
			t.Meters = append(t.Meters, rd)
		}
	}
	return t, nil
}

// sortedKeys returns the keys of m in order, for meter field lists.
func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
