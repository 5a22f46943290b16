package workbook

import (
	"context"
	"fmt"
	"sort"

	"github.com/shopspring/decimal"

	"github.com/bludispatcher/dispatcher/flows"
	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/server/store"
)

// data is the content of one workbook except its curve days. Those go to
// the Daily curve sheet as each POD is read, so memory grows with the
// readings and corrections and not with the days or quarter-hours.
type data struct {
	sel  Selection
	load *store.Load
	// records are the selected records ordered by POD, load and position.
	records []store.RecordRow
	pods    []string
	// readings belong to the selected records.
	readings []store.Reading
	// curve receives one row per curve day of the selected records.
	curve       *curveSheet
	corrections []correction
	// rowLimit is the largest number of rows of one sheet.
	rowLimit int
	// scratch is reused by dayTotals for the intervals of one day.
	scratch []flows.Interval
}

// curveRow is one curve day of a record without its slots: the number of
// quarter-hours with a value, their exact total and the band totals.
type curveRow struct {
	store.RecordRef
	POD, FlowCode, KindName string
	Day                     civil.Date
	Dst                     *string
	Count                   int
	Total                   decimal.Decimal
	Bands                   flows.BandTotals
}

// correction is a selected correction with its values and those of the
// record it replaced. The curve totals are by kind name, present only for
// the kinds the record has.
type correction struct {
	store.Correction
	values, replaced   []store.Reading
	curve, curveBefore map[string]decimal.Decimal
}

// gather reads the records of sel and writes their curve days to curve.
func gather(ctx context.Context, src Source, sel Selection, rowLimit int, curve *curveSheet) (*data, error) {
	d := &data{sel: sel, rowLimit: rowLimit, curve: curve}
	f := store.RecordFilter{Company: sel.Company, Load: sel.Load, Month: sel.Month}
	if sel.Load != 0 {
		l, err := src.Load(ctx, sel.Company, sel.Load)
		if err != nil {
			return nil, err
		}
		d.load = &l
	}
	if err := d.readRecords(ctx, src, f); err != nil {
		return nil, err
	}
	start := 0
	for _, pod := range d.pods {
		end := start
		for end < len(d.records) && d.records[end].POD == pod {
			end++
		}
		if err := d.readPOD(ctx, src, pod, d.records[start:end]); err != nil {
			return nil, fmt.Errorf("workbook: POD %s: %w", pod, err)
		}
		// Stop early once a sheet is certain to exceed the limit; the
		// exact check of every sheet runs before writing.
		if err := d.checkGrowing(); err != nil {
			return nil, err
		}
		start = end
	}
	return d, nil
}

// readRecords pages through the selected records.
func (d *data) readRecords(ctx context.Context, src Source, f store.RecordFilter) error {
	f.Page = store.Page{Limit: store.MaxLimit}
	for {
		rows, total, err := src.SearchRecords(ctx, f)
		if err != nil {
			return err
		}
		d.records = append(d.records, rows...)
		f.Page.Offset += len(rows)
		if len(rows) == 0 || f.Page.Offset >= total {
			break
		}
	}
	sort.SliceStable(d.records, func(i, j int) bool {
		a, b := d.records[i], d.records[j]
		if a.POD != b.POD {
			return a.POD < b.POD
		}
		if a.Load != b.Load {
			return a.Load < b.Load
		}
		return a.Seq < b.Seq
	})
	for i, r := range d.records {
		if i == 0 || d.records[i-1].POD != r.POD {
			d.pods = append(d.pods, r.POD)
		}
	}
	return nil
}

// readPOD reads the readings, curves and corrections of one POD and keeps
// those of its selected records. Curve days are reduced to their totals
// as they are read, and only for the selected records and the records
// that selected corrections replace. The days of selected records are
// written to d.curve.
//
// NOTE: it reads every date of the POD, because a correction's replaced
// record may come from any earlier load. A POD with years of curves makes
// this slow.
func (d *data) readPOD(ctx context.Context, src Source, pod string, records []store.RecordRow) error {
	co := d.sel.Company
	selected := make(map[store.RecordRef]bool, len(records))
	for _, r := range records {
		selected[r.RecordRef] = true
	}
	measures, err := src.Readings(ctx, co, pod, store.DateRange{})
	if err != nil {
		return err
	}
	consumptions, err := src.Consumptions(ctx, co, pod, store.DateRange{})
	if err != nil {
		return err
	}
	corrections, err := src.Corrections(ctx, co, pod, false)
	if err != nil {
		return err
	}
	replaced := map[store.RecordRef]bool{}
	for _, c := range corrections {
		if selected[c.Record.RecordRef] && c.Replaces != nil {
			replaced[c.Replaces.RecordRef] = true
		}
	}
	curve, err := src.Curve(ctx, co, pod, store.DateRange{}, false)
	if err != nil {
		return err
	}

	readingsOf := map[store.RecordRef][]store.Reading{}
	for _, rd := range append(measures, consumptions...) {
		readingsOf[rd.RecordRef] = append(readingsOf[rd.RecordRef], rd)
		if selected[rd.RecordRef] {
			d.readings = append(d.readings, rd)
		}
	}
	curveOf := map[store.RecordRef]map[string]decimal.Decimal{}
	for i := range curve {
		c := &curve[i]
		if !selected[c.RecordRef] && !replaced[c.RecordRef] {
			continue
		}
		row := d.dayTotals(c)
		addCurveSum(curveOf, row)
		if selected[c.RecordRef] {
			d.curve.addDay(row)
		}
	}
	for _, c := range corrections {
		if !selected[c.Record.RecordRef] {
			continue
		}
		cd := correction{Correction: c, values: readingsOf[c.Record.RecordRef], curve: curveOf[c.Record.RecordRef]}
		if c.Replaces != nil {
			cd.replaced = readingsOf[c.Replaces.RecordRef]
			cd.curveBefore = curveOf[c.Replaces.RecordRef]
		}
		d.corrections = append(d.corrections, cd)
	}
	return nil
}

// addCurveSum adds the total of row to the curve total of its record and
// kind.
func addCurveSum(sums map[store.RecordRef]map[string]decimal.Decimal, row curveRow) {
	byKind := sums[row.RecordRef]
	if byKind == nil {
		byKind = map[string]decimal.Decimal{}
		sums[row.RecordRef] = byKind
	}
	byKind[row.KindName] = byKind[row.KindName].Add(row.Total)
}
