package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"

	"github.com/bludispatcher/dispatcher/flows"
	"github.com/bludispatcher/dispatcher/server/store"
)

// Readings returns a POD's measures and meter changes; see store.Queries.
func (s *Store) Readings(ctx context.Context, company store.CompanyID, pod string, r store.DateRange) ([]store.Reading, error) {
	return s.readings(ctx, "readings", company, pod, r,
		store.ReadingMeasure, store.ReadingRemoval, store.ReadingInstallation)
}

// Consumptions returns a POD's Consumo and Consumo_StD; see store.Queries.
func (s *Store) Consumptions(ctx context.Context, company store.CompanyID, pod string, r store.DateRange) ([]store.Reading, error) {
	return s.readings(ctx, "consumptions", company, pod, r,
		store.ReadingConsumption, store.ReadingConsumptionStD)
}

func (s *Store) readings(ctx context.Context, op string, company store.CompanyID, pod string, r store.DateRange, kinds ...store.ReadingKind) ([]store.Reading, error) {
	var w where
	w.add("company_id = ?", int64(company))
	w.add("pod = ?", pod)
	args := make([]any, len(kinds))
	for i, k := range kinds {
		args[i] = string(k)
	}
	w.add("kind IN ("+placeholders(len(kinds))+")", args...)
	addDateRange(&w, "date", r)
	cols := append(append([]string{}, readingBaseCols...), registerCols()...)
	cols = append(cols, "meter")
	rows, err := s.read.Query(ctx, s.q("SELECT "+strings.Join(cols, ", ")+" FROM readings"+w.String()+
		" ORDER BY date, load_id, record_seq, kind"), w.args...)
	if err != nil {
		return nil, s.wrap(op, err)
	}
	defer rows.Close()
	var out []store.Reading
	for rows.Next() {
		rd, err := scanReading(rows)
		if err != nil {
			return nil, s.wrap(op, err)
		}
		out = append(out, rd)
	}
	return out, s.wrap(op, rows.Err())
}

func scanReading(rows Rows) (store.Reading, error) {
	var rd store.Reading
	var load, company int64
	var kind, date string
	var xsi, period, coll, dtype, obst, valid, potmax, meter sql.NullString
	regs := make([]sql.NullString, len(regNames))
	dest := []any{&load, &rd.Seq, &kind, &company, &rd.POD, &rd.FlowCode, &date, &xsi, &period,
		&coll, &dtype, &obst, &valid, &potmax}
	for i := range regs {
		dest = append(dest, &regs[i])
	}
	dest = append(dest, &meter)
	if err := rows.Scan(dest...); err != nil {
		return store.Reading{}, err
	}
	rd.Load, rd.Kind = store.LoadID(load), store.ReadingKind(kind)
	d, err := parseStoredDate(date)
	if err != nil {
		return store.Reading{}, err
	}
	rd.Date = d
	rd.XSIType, rd.PeriodStart, rd.Collection, rd.DataType = nullText(xsi), nullText(period), nullText(coll), nullText(dtype)
	rd.ObstacleCause, rd.Validated, rd.PotMax = nullText(obst), nullText(valid), nullText(potmax)

	rd.Registers = map[string]string{}
	for i, v := range regs {
		if !v.Valid {
			continue
		}
		name := regNames[i]
		if rd.Kind == store.ReadingConsumptionStD {
			name += "_StD"
		}
		rd.Registers[name] = v.String
	}
	if meter.Valid {
		if err := json.Unmarshal([]byte(meter.String), &rd.Meter); err != nil {
			return store.Reading{}, err
		}
	}
	return rd, nil
}

// curveKey is the (day, kind, Dst part) key of which latestOnly keeps
// the newest row.
type curveKey struct {
	day  string
	kind int
	dst  string
}

// Curve returns a POD's curve days; see store.Queries.
func (s *Store) Curve(ctx context.Context, company store.CompanyID, pod string, r store.DateRange, latestOnly bool) ([]store.CurveDay, error) {
	var w where
	w.add("company_id = ?", int64(company))
	w.add("pod = ?", pod)
	w.add("day <> ''")
	addDateRange(&w, "day", r)

	rows, err := s.read.Query(ctx, s.q(`SELECT load_id, record_seq, pod, flow_code, day, kind, dst,
		slots, s FROM curves`+w.String()+" ORDER BY day, kind, dst, load_id, record_seq, idx"), w.args...)
	if err != nil {
		return nil, s.wrap("curve", err)
	}
	defer rows.Close()

	var out []store.CurveDay
	latest := map[curveKey]int{}
	for rows.Next() {
		c, err := scanCurve(rows)
		if err != nil {
			return nil, s.wrap("curve", err)
		}
		if !latestOnly {
			out = append(out, c)
			continue
		}
		key := curveKey{c.Day.String(), int(c.Kind), deref(c.Dst)}
		if i, ok := latest[key]; ok {
			out[i] = c
			continue
		}
		latest[key] = len(out)
		out = append(out, c)
	}
	return out, s.wrap("curve", rows.Err())
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func scanCurve(rows Rows) (store.CurveDay, error) {
	var c store.CurveDay
	var load int64
	var day string
	var kind int
	var dst sql.NullString
	var slots, sPacked []byte
	if err := rows.Scan(&load, &c.Seq, &c.POD, &c.FlowCode, &day, &kind, &dst, &slots, &sPacked); err != nil {
		return store.CurveDay{}, err
	}
	c.Load, c.Kind, c.Dst = store.LoadID(load), flows.CurveKind(kind), nullText(dst)
	c.KindName = c.Kind.String()
	d, err := parseStoredDate(day)
	if err != nil {
		return store.CurveDay{}, err
	}
	c.Day = d

	if c.Slots, err = unpackSlots(slots); err != nil {
		return store.CurveDay{}, err
	}
	part, known := dstPart(c.Dst)
	for i := range c.Slots {
		if !known || !c.Slots[i].Set {
			continue
		}
		if t, ok := store.SlotStart(c.Day, part, c.Slots[i].N); ok {
			c.Slots[i].Start = t
		}
	}
	if sPacked != nil {
		sSlots, err := unpackSlots(sPacked)
		if err != nil {
			return store.CurveDay{}, err
		}
		copy(c.S[:], sSlots)
	}
	return c, nil
}

// dstPart reads the Dst attribute: 0 when absent, false when not 0..3.
func dstPart(dst *string) (int, bool) {
	if dst == nil {
		return 0, true
	}
	if len(*dst) == 1 && (*dst)[0] >= '0' && (*dst)[0] <= '3' {
		return int((*dst)[0] - '0'), true
	}
	return 0, false
}

// Corrections returns a POD's corrections; see store.Queries.
func (s *Store) Corrections(ctx context.Context, company store.CompanyID, pod string, currentOnly bool) ([]store.Correction, error) {
	query := "SELECT " + recordSelect + `, c.competence, c.correction_type, c.replaces_load, c.replaces_seq,
		cc.load_id IS NOT NULL
		FROM corrections c
		JOIN records r ON r.load_id = c.load_id AND r.seq = c.record_seq
		LEFT JOIN corrections_current cc ON cc.load_id = c.load_id AND cc.record_seq = c.record_seq
		WHERE c.company_id = ? AND c.pod = ?`
	if currentOnly {
		query += " AND cc.load_id IS NOT NULL"
	}
	query += " ORDER BY c.load_id, c.record_seq"

	rows, err := s.read.Query(ctx, s.q(query), int64(company), pod)
	if err != nil {
		return nil, s.wrap("corrections", err)
	}
	var out []store.Correction
	var refs []*store.RecordRef
	for rows.Next() {
		var c store.Correction
		var rl, rs sql.NullInt64
		rec, err := scanRecord(rows, &c.Competence, &c.Type, &rl, &rs, &c.Current)
		if err != nil {
			rows.Close()
			return nil, s.wrap("corrections", err)
		}
		c.Record = rec
		var ref *store.RecordRef
		if rl.Valid && rs.Valid {
			ref = &store.RecordRef{Load: store.LoadID(rl.Int64), Seq: int(rs.Int64)}
		}
		out = append(out, c)
		refs = append(refs, ref)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, s.wrap("corrections", err)
	}

	for i, ref := range refs {
		if ref == nil {
			continue
		}
		rec, err := s.record(ctx, company, *ref)
		if err != nil {
			return nil, err
		}
		out[i].Replaces = &rec
	}
	return out, nil
}

// Switching returns a POD's switching data; see store.Queries.
func (s *Store) Switching(ctx context.Context, company store.CompanyID, pod string) ([]store.Switching, error) {
	rows, err := s.read.Query(ctx, s.q("SELECT "+recordSelect+`, w.kind FROM switching w
		JOIN records r ON r.load_id = w.load_id AND r.seq = w.record_seq
		WHERE w.company_id = ? AND w.pod = ? ORDER BY r.date, w.load_id, w.record_seq`), int64(company), pod)
	if err != nil {
		return nil, s.wrap("switching", err)
	}
	defer rows.Close()
	var out []store.Switching
	for rows.Next() {
		var sw store.Switching
		var kind string
		rec, err := scanRecord(rows, &kind)
		if err != nil {
			return nil, s.wrap("switching", err)
		}
		sw.Record, sw.Kind = rec, store.SwitchingKind(kind)
		out = append(out, sw)
	}
	return out, s.wrap("switching", rows.Err())
}

// Technical returns a POD's DatiPdp; see store.Queries.
func (s *Store) Technical(ctx context.Context, company store.CompanyID, pod string) ([]store.Technical, error) {
	rows, err := s.read.Query(ctx, s.q("SELECT "+recordSelect+`, t.fields FROM technical t
		JOIN records r ON r.load_id = t.load_id AND r.seq = t.record_seq
		WHERE t.company_id = ? AND t.pod = ? ORDER BY r.date, t.load_id, t.record_seq`), int64(company), pod)
	if err != nil {
		return nil, s.wrap("technical", err)
	}
	defer rows.Close()
	var out []store.Technical
	for rows.Next() {
		var t store.Technical
		var fields string
		rec, err := scanRecord(rows, &fields)
		if err != nil {
			return nil, s.wrap("technical", err)
		}
		t.Record = rec
		if err := json.Unmarshal([]byte(fields), &t.Fields); err != nil {
			return nil, s.wrap("technical", err)
		}
		out = append(out, t)
	}
	return out, s.wrap("technical", rows.Err())
}
