package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/bludispatcher/dispatcher/server/store"
)

// switchExportCaller names the switch validation in the export log when it
// makes a taken "switch completed" or "switch withdrawn" item pending again.
const switchExportCaller = "switch validation"

// QueueSwitchCompleted puts the "switch completed" event of a switch in
// the export queue; see store.SwitchStore.
func (s *Store) QueueSwitchCompleted(ctx context.Context, sw store.Switch) error {
	op := "queue switch completed " + sw.PracticeCode
	if sw.Data.Reading == nil {
		return s.wrap("queue switch completed", fmt.Errorf("%w: switch %s has no starting reading", store.ErrInvalid, sw.PracticeCode))
	}
	// Feeding the committed loads first gives the event a sequence after
	// the items of the records it was built from.
	if err := s.feedExport(ctx, sw.Company); err != nil {
		return s.wrap(op, err)
	}
	ev := switchEvent{company: sw.Company, kind: store.ExportSwitchCompleted, counterpart: store.ExportSwitchWithdrawn,
		record: sw.Data.Reading.Record, pod: sw.POD, flowCode: sw.Data.Reading.FlowCode}
	return s.wrap(op, s.queueSwitchEvent(ctx, ev))
}

// QueueSwitchWithdrawn puts the "switch withdrawn" event of a switch in
// the export queue (see store.SwitchStore).
func (s *Store) QueueSwitchWithdrawn(ctx context.Context, sw store.Switch, completed store.RecordRef) error {
	op := fmt.Sprintf("queue switch withdrawn %s for record %d/%d", sw.PracticeCode, completed.Load, completed.Seq)
	if err := s.feedExport(ctx, sw.Company); err != nil {
		return s.wrap(op, err)
	}
	var pod, flowCode string
	err := s.write.QueryRow(ctx, s.q(`SELECT pod, flow_code FROM export_items
		WHERE company_id = ? AND load_id = ? AND record_seq = ? AND kind = ?`),
		int64(sw.Company), int64(completed.Load), completed.Seq, string(store.ExportSwitchCompleted)).Scan(&pod, &flowCode)
	if err != nil {
		return s.notFound(op+": switch completed item", err)
	}
	ev := switchEvent{company: sw.Company, kind: store.ExportSwitchWithdrawn, counterpart: store.ExportSwitchCompleted,
		record: completed, pod: pod, flowCode: flowCode}
	return s.wrap(op, s.queueSwitchEvent(ctx, ev))
}

// switchEvent is a "switch completed" or "switch withdrawn" item to queue.
// The counterpart is the other kind of the same record.
type switchEvent struct {
	company           store.CompanyID
	kind, counterpart store.ExportKind
	record            store.RecordRef
	pod, flowCode     string
}

// queueSwitchEvent inserts the item of ev, or offers the existing one
// again when billing took it or when it comes before its counterpart. So
// billing, which reads items in offer order, reads the event queued last
// after the other one.
func (s *Store) queueSwitchEvent(ctx context.Context, ev switchEvent) error {
	inserted, err := s.write.Exec(ctx, s.q(`INSERT INTO export_items (company_id, kind, load_id, record_seq, pod,
		flow_code, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`),
		int64(ev.company), string(ev.kind), int64(ev.record.Load), ev.record.Seq, ev.pod, ev.flowCode, micros(s.now()))
	if err != nil || inserted > 0 {
		// A new item's sequence is above every offer so far.
		return err
	}

	var seq, offer int64
	var taken sql.NullInt64
	err = s.write.QueryRow(ctx, s.q(`SELECT seq, taken_at, `+offerColumn+` FROM export_items
		WHERE company_id = ? AND load_id = ? AND record_seq = ? AND kind = ?`),
		int64(ev.company), int64(ev.record.Load), ev.record.Seq, string(ev.kind)).Scan(&seq, &taken, &offer)
	if err != nil {
		return err
	}
	if taken.Valid {
		// Billing took this event before, and the switch has changed
		// since: offer it again.
		_, err = s.Reexport(ctx, ev.company, []int64{seq}, switchExportCaller)
		return err
	}

	var counterpartOffer int64
	err = s.write.QueryRow(ctx, s.q(`SELECT `+offerColumn+` FROM export_items
		WHERE company_id = ? AND load_id = ? AND record_seq = ? AND kind = ?`),
		int64(ev.company), int64(ev.record.Load), ev.record.Seq, string(ev.counterpart)).Scan(&counterpartOffer)
	if errors.Is(err, sql.ErrNoRows) || err == nil && counterpartOffer < offer {
		return nil
	}
	if err != nil {
		return err
	}
	// The pending item would reach billing before its counterpart, which
	// it now overrides. The move is not logged, because billing never
	// took the item.
	var moved int64
	err = s.inTx(ctx, func(conn Conn) error {
		next, err := s.nextOffer(ctx, conn)
		if err != nil {
			return err
		}
		moved, err = conn.Exec(ctx, s.q(`UPDATE export_items SET offer = ? WHERE company_id = ? AND seq = ?
			AND taken_at IS NULL`), next, int64(ev.company), seq)
		return err
	})
	if err != nil || moved > 0 {
		return err
	}
	// Billing took the item since it was read.
	_, err = s.Reexport(ctx, ev.company, []int64{seq}, switchExportCaller)
	return err
}

// fillSwitchCompleted sets the data of a "switch completed" item: the
// starting reading, the switch, and the technical data of the functional
// data while the switch still starts from this reading. ExportEntities
// calls it for the ExportSwitchCompleted kind.
func (s *Store) fillSwitchCompleted(ctx context.Context, e *store.ExportEntity) error {
	var err error
	if e.Readings, err = s.recordReadings(ctx, e.Record, store.ReadingMeasure); err != nil {
		return err
	}
	sw, usesRecord, err := s.switchOfRecord(ctx, e)
	if err != nil || sw == nil {
		return err
	}
	if usesRecord {
		e.Technical = sw.Data.Technical
	}
	e.Switch, err = s.exportSwitch(ctx, *sw)
	return err
}

// fillSwitchWithdrawn sets the data of a "switch withdrawn" item: the
// starting reading that billing must stop using, the switch, and the
// sequence of the completed item withdrawn. ExportEntities calls it for
// the ExportSwitchWithdrawn kind.
func (s *Store) fillSwitchWithdrawn(ctx context.Context, e *store.ExportEntity) error {
	var err error
	if e.Readings, err = s.recordReadings(ctx, e.Record, store.ReadingMeasure); err != nil {
		return err
	}
	var completed int64
	err = s.read.QueryRow(ctx, s.q(`SELECT seq FROM export_items
		WHERE company_id = ? AND load_id = ? AND record_seq = ? AND kind = ?`),
		int64(e.Company), int64(e.Record.Load), e.Record.Seq, string(store.ExportSwitchCompleted)).Scan(&completed)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	sw, _, err := s.switchOfRecord(ctx, e)
	if err != nil {
		return err
	}
	if sw == nil {
		e.Switch = &store.ExportSwitch{POD: e.POD}
	} else if e.Switch, err = s.exportSwitch(ctx, *sw); err != nil {
		return err
	}
	e.Switch.CompletedSeq = completed
	return nil
}

// switchOfRecord returns the stored switch of the item's POD whose
// starting reading is the item's record, and reports true. Without one,
// it returns the switch of the practice code (CodPrat_SII) that the
// record carries and reports false. It returns nil when neither exists.
//
// NOTE: a switching correction (RSN, RSN2G) that carries no practice code
// and is no longer the starting reading of its switch finds no switch.
func (s *Store) switchOfRecord(ctx context.Context, e *store.ExportEntity) (*store.Switch, bool, error) {
	rows, err := s.read.Query(ctx, s.q("SELECT "+switchCols+" FROM switches WHERE company_id = ? AND pod = ? ORDER BY id"),
		int64(e.Company), e.POD)
	if err != nil {
		return nil, false, err
	}
	switches, err := collectSwitches(rows)
	if err != nil {
		return nil, false, err
	}
	for i := range switches {
		if r := switches[i].Data.Reading; r != nil && r.Record == e.Record {
			return &switches[i], true, nil
		}
	}
	if e.Row.PracticeCode == nil || *e.Row.PracticeCode == "" {
		return nil, false, nil
	}
	for i := range switches {
		if switches[i].PracticeCode == *e.Row.PracticeCode {
			return &switches[i], false, nil
		}
	}
	return nil, false, nil
}

// exportSwitch returns the export view of a switch, with the newest
// decision log entry while the switch carries a decision.
func (s *Store) exportSwitch(ctx context.Context, sw store.Switch) (*store.ExportSwitch, error) {
	out := &store.ExportSwitch{ID: sw.ID, PracticeCode: sw.PracticeCode, POD: sw.POD, SwitchDate: sw.SwitchDate,
		Status: sw.Status}
	for _, r := range sw.Reasons {
		out.ReasonCodes = append(out.ReasonCodes, r.Code)
	}
	if sw.Decision == "" {
		return out, nil
	}
	decisions, err := s.SwitchDecisions(ctx, sw.Company, sw.ID)
	if err != nil {
		return nil, err
	}
	if n := len(decisions); n > 0 {
		out.Decision = &decisions[n-1]
	}
	return out, nil
}
