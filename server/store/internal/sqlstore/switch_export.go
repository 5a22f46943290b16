package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/bludispatcher/dispatcher/server/store"
)

// switchExportCaller names the switch validation in the export log when it
// makes a taken "switch completed" item pending again.
const switchExportCaller = "switch validation"

// QueueSwitchCompleted puts the "switch completed" event of a switch in
// the export queue; see store.SwitchStore.
func (s *Store) QueueSwitchCompleted(ctx context.Context, sw store.Switch) error {
	if sw.Data.Reading == nil {
		return s.wrap("queue switch completed", fmt.Errorf("%w: switch %s has no starting reading", store.ErrInvalid, sw.PracticeCode))
	}
	// Feeding the committed loads first gives the event a sequence after
	// the items of the records it was built from.
	if err := s.feedExport(ctx, sw.Company); err != nil {
		return s.wrap("queue switch completed "+sw.PracticeCode, err)
	}
	ref := sw.Data.Reading.Record
	if _, err := s.write.Exec(ctx, s.q(`INSERT INTO export_items (company_id, kind, load_id, record_seq, pod,
		flow_code, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`),
		int64(sw.Company), string(store.ExportSwitchCompleted), int64(ref.Load), ref.Seq, sw.POD,
		sw.Data.Reading.FlowCode, micros(s.now())); err != nil {
		return s.wrap("queue switch completed "+sw.PracticeCode, err)
	}

	var seq int64
	var taken sql.NullInt64
	err := s.write.QueryRow(ctx, s.q(`SELECT seq, taken_at FROM export_items
		WHERE company_id = ? AND load_id = ? AND record_seq = ? AND kind = ?`),
		int64(sw.Company), int64(ref.Load), ref.Seq, string(store.ExportSwitchCompleted)).Scan(&seq, &taken)
	if err != nil {
		return s.wrap("queue switch completed "+sw.PracticeCode, err)
	}
	if !taken.Valid {
		return nil
	}
	// Billing took the event of this reading before, and the switch has
	// changed since: offer it again.
	_, err = s.Reexport(ctx, sw.Company, []int64{seq}, switchExportCaller)
	return err
}

// fillSwitchCompleted sets the data of a "switch completed" item: the
// starting reading and the technical data of the functional data.
// ExportEntities calls it for the ExportSwitchCompleted kind.
func (s *Store) fillSwitchCompleted(ctx context.Context, e *store.ExportEntity) error {
	var err error
	if e.Readings, err = s.recordReadings(ctx, e.Record, store.ReadingMeasure); err != nil {
		return err
	}
	rows, err := s.read.Query(ctx, s.q("SELECT data FROM switches WHERE company_id = ? AND pod = ? ORDER BY id"),
		int64(e.Company), e.POD)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var raw string
		if err := rows.Scan(&raw); err != nil {
			return err
		}
		var data store.SwitchData
		if err := json.Unmarshal([]byte(raw), &data); err != nil {
			return err
		}
		if data.Reading != nil && data.Reading.Record == e.Record {
			e.Technical = data.Technical
		}
	}
	return rows.Err()
}
