package workbook

import (
	"context"
	"fmt"
	"sort"

	"github.com/bludispatcher/dispatcher/server/store"
)

// data is the content of one workbook.
type data struct {
	sel  Selection
	load *store.Load
	// records are the selected records ordered by POD, load and position.
	records []store.RecordRow
	pods    []string
	// readings and curves belong to the selected records.
	readings    []store.Reading
	curves      []store.CurveDay
	corrections []correction
}

// correction is a selected correction with its values and those of the
// record it replaced.
type correction struct {
	store.Correction
	values, replaced   []store.Reading
	curve, curveBefore []store.CurveDay
}

func gather(ctx context.Context, src Source, sel Selection) (*data, error) {
	d := &data{sel: sel}
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
	for _, pod := range d.pods {
		if err := d.readPOD(ctx, src, pod); err != nil {
			return nil, fmt.Errorf("workbook: POD %s: %w", pod, err)
		}
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
// those of the selected records.
//
// NOTE: it reads every date of the POD, because a correction's replaced
// record may come from any earlier load. A POD with years of curves makes
// this slow.
func (d *data) readPOD(ctx context.Context, src Source, pod string) error {
	co := d.sel.Company
	selected := map[store.RecordRef]bool{}
	for _, r := range d.records {
		if r.POD == pod {
			selected[r.RecordRef] = true
		}
	}
	measures, err := src.Readings(ctx, co, pod, store.DateRange{})
	if err != nil {
		return err
	}
	consumptions, err := src.Consumptions(ctx, co, pod, store.DateRange{})
	if err != nil {
		return err
	}
	curve, err := src.Curve(ctx, co, pod, store.DateRange{}, false)
	if err != nil {
		return err
	}
	corrections, err := src.Corrections(ctx, co, pod, false)
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
	curveOf := map[store.RecordRef][]store.CurveDay{}
	for _, c := range curve {
		curveOf[c.RecordRef] = append(curveOf[c.RecordRef], c)
		if selected[c.RecordRef] {
			d.curves = append(d.curves, c)
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
