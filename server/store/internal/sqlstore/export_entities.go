package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"

	"github.com/bludispatcher/dispatcher/server/store"
)

// ExportEntities returns items with their data; see store.ExportStore.
func (s *Store) ExportEntities(ctx context.Context, company store.CompanyID, seqs []int64) ([]store.ExportEntity, error) {
	const op = "export entities"
	if err := s.checkSeqs(op, seqs); err != nil {
		return nil, err
	}
	out := make([]store.ExportEntity, 0, len(seqs))
	for _, seq := range seqs {
		e, err := s.exportEntity(ctx, company, seq)
		if err != nil {
			return nil, s.wrap(op, err)
		}
		out = append(out, e)
	}
	return out, nil
}

func (s *Store) exportEntity(ctx context.Context, company store.CompanyID, seq int64) (store.ExportEntity, error) {
	it, err := s.exportItem(ctx, s.read, company, seq)
	if errors.Is(err, sql.ErrNoRows) {
		return store.ExportEntity{ExportItem: store.ExportItem{Seq: seq}}, nil
	}
	if err != nil {
		return store.ExportEntity{}, err
	}
	e := store.ExportEntity{ExportItem: it, Found: true}
	if e.Row, err = s.record(ctx, company, it.Record); err != nil {
		return e, err
	}
	switch it.Kind {
	case store.ExportReading:
		e.Readings, err = s.recordReadings(ctx, it.Record, store.ReadingMeasure, store.ReadingRemoval, store.ReadingInstallation)
	case store.ExportConsumption:
		e.Readings, err = s.recordReadings(ctx, it.Record, store.ReadingConsumption, store.ReadingConsumptionStD)
	case store.ExportCurve:
		e.Curve, err = s.recordCurve(ctx, it.Record)
	case store.ExportTechnical:
		e.Technical, err = s.recordTechnical(ctx, it.Record)
	case store.ExportSwitching:
		err = s.fillSwitching(ctx, &e)
	case store.ExportCorrection:
		err = s.fillCorrection(ctx, &e)
	case store.ExportSwitchCompleted:
		err = s.fillSwitchCompleted(ctx, &e)
	case store.ExportSwitchWithdrawn:
		err = s.fillSwitchWithdrawn(ctx, &e)
	}
	return e, err
}

// fillAll sets every kind of data a record carries.
func (s *Store) fillAll(ctx context.Context, e *store.ExportEntity) error {
	var err error
	if e.Readings, err = s.recordReadings(ctx, e.Record, store.ReadingMeasure, store.ReadingRemoval,
		store.ReadingInstallation, store.ReadingConsumption, store.ReadingConsumptionStD); err != nil {
		return err
	}
	if e.Curve, err = s.recordCurve(ctx, e.Record); err != nil {
		return err
	}
	e.Technical, err = s.recordTechnical(ctx, e.Record)
	return err
}

func (s *Store) fillSwitching(ctx context.Context, e *store.ExportEntity) error {
	var kind string
	err := s.read.QueryRow(ctx, s.q("SELECT kind FROM switching WHERE load_id = ? AND record_seq = ?"),
		int64(e.Record.Load), e.Record.Seq).Scan(&kind)
	if err != nil {
		return err
	}
	e.SwitchingKind = store.SwitchingKind(kind)
	return s.fillAll(ctx, e)
}

// fillCorrection sets the data of a correction and the export state of the
// record it replaced.
func (s *Store) fillCorrection(ctx context.Context, e *store.ExportEntity) error {
	var rl, rs sql.NullInt64
	err := s.read.QueryRow(ctx, s.q("SELECT replaces_load, replaces_seq FROM corrections WHERE load_id = ? AND record_seq = ?"),
		int64(e.Record.Load), e.Record.Seq).Scan(&rl, &rs)
	if err != nil {
		return err
	}
	if rl.Valid && rs.Valid {
		rep := &store.ExportReplaced{Record: store.RecordRef{Load: store.LoadID(rl.Int64), Seq: int(rs.Int64)}}
		var taken sql.NullInt64
		// A "switch completed" or "switch withdrawn" event refers to the
		// same record but is not its data, so the link skips it.
		err := s.read.QueryRow(ctx, s.q(`SELECT seq, taken_at FROM export_items
			WHERE company_id = ? AND load_id = ? AND record_seq = ? AND kind NOT IN ('switch_completed', 'switch_withdrawn')
			ORDER BY CASE WHEN kind = 'correction' THEN 0 ELSE 1 END, seq LIMIT 1`),
			int64(e.Company), rl.Int64, rs.Int64).Scan(&rep.Seq, &taken)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		rep.TakenAt = nullMicros(taken)
		e.Replaces = rep
	}
	return s.fillAll(ctx, e)
}

func (s *Store) recordReadings(ctx context.Context, ref store.RecordRef, kinds ...store.ReadingKind) ([]store.Reading, error) {
	args := []any{int64(ref.Load), ref.Seq}
	for _, k := range kinds {
		args = append(args, string(k))
	}
	cols := append(append([]string{}, readingBaseCols...), registerCols()...)
	cols = append(cols, "meter")
	rows, err := s.read.Query(ctx, s.q("SELECT "+strings.Join(cols, ", ")+
		" FROM readings WHERE load_id = ? AND record_seq = ? AND kind IN ("+placeholders(len(kinds))+") ORDER BY kind"), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.Reading
	for rows.Next() {
		rd, err := scanReading(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, rd)
	}
	return out, rows.Err()
}

func (s *Store) recordCurve(ctx context.Context, ref store.RecordRef) ([]store.CurveDay, error) {
	rows, err := s.read.Query(ctx, s.q(`SELECT load_id, record_seq, pod, flow_code, day, kind, dst, slots, s
		FROM curves WHERE load_id = ? AND record_seq = ? ORDER BY idx`), int64(ref.Load), ref.Seq)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.CurveDay
	for rows.Next() {
		c, err := scanCurve(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

func (s *Store) recordTechnical(ctx context.Context, ref store.RecordRef) (map[string]string, error) {
	var fields string
	err := s.read.QueryRow(ctx, s.q("SELECT fields FROM technical WHERE load_id = ? AND record_seq = ?"),
		int64(ref.Load), ref.Seq).Scan(&fields)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var m map[string]string
	err = json.Unmarshal([]byte(fields), &m)
	return m, err
}
