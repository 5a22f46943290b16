package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/bludispatcher/dispatcher/flows"
	"github.com/bludispatcher/dispatcher/internal/anomaly"
	"github.com/bludispatcher/dispatcher/server/store"
)

// dataTables are the tables that hold a load's record data, deleted when
// the load ends rejected.
var dataTables = []string{"records", "readings", "curves", "technical", "switching", "corrections"}

// buffer collects rows of one table until they are bulk-inserted.
type buffer struct {
	cols []string
	rows [][]any
}

// correctionKey is the key a correction replaces: POD, competence and
// TipoRettifica.
type correctionKey struct {
	pod, competence, kind string
}

// loadTx is the store.LoadTx of the shared implementation.
type loadTx struct {
	s    *Store
	conn Conn
	info store.LoadInfo
	id   store.LoadID
	open bool
	done bool

	header      *flows.Header
	seq         int
	anomalySeq  int
	loaded      int
	rejected    int
	anomalies   int
	blocking    int
	fileBlocked bool
	buffers     map[string]*buffer
	// corrections maps each correction key of this load to its newest
	// record, because those rows may still be buffered.
	corrections map[correctionKey]store.RecordRef
}

// ID returns the load's ID.
func (t *loadTx) ID() store.LoadID { return t.id }

func (t *loadTx) check() error {
	if t.done {
		return store.ErrTxDone
	}
	return nil
}

// add buffers one row and flushes the table when it is full.
func (t *loadTx) add(ctx context.Context, table string, cols []string, row []any) error {
	b := t.buffers[table]
	if b == nil {
		b = &buffer{cols: cols}
		t.buffers[table] = b
	}
	b.rows = append(b.rows, row)
	if len(b.rows) >= flushRows {
		return t.flush(ctx, table)
	}
	return nil
}

func (t *loadTx) flush(ctx context.Context, table string) error {
	b := t.buffers[table]
	if b == nil || len(b.rows) == 0 {
		return nil
	}
	if err := t.s.d.BulkInsert(ctx, t.conn, table, b.cols, b.rows); err != nil {
		return fmt.Errorf("insert into %s: %w", table, err)
	}
	clear(b.rows)
	b.rows = b.rows[:0]
	return nil
}

func (t *loadTx) flushAll(ctx context.Context) error {
	for _, table := range append([]string{"load_anomalies"}, dataTables...) {
		if err := t.flush(ctx, table); err != nil {
			return err
		}
	}
	return nil
}

// fail ends the transaction after an error, so that no partial load can
// ever commit, and returns err wrapped.
func (t *loadTx) fail(ctx context.Context, op string, err error) error {
	t.done = true
	t.abort(ctx)
	return t.s.wrap(op, err)
}

// AddAnomalies stores findings that belong to no stored record.
func (t *loadTx) AddAnomalies(ctx context.Context, list anomaly.List) error {
	if err := t.check(); err != nil {
		return err
	}
	if err := t.addAnomalies(ctx, list); err != nil {
		return t.fail(ctx, "add anomalies", err)
	}
	return nil
}

func (t *loadTx) addAnomalies(ctx context.Context, list anomaly.List) error {
	for _, a := range list {
		t.anomalySeq++
		t.anomalies++
		blocking := 0
		if a.Blocking() {
			blocking = 1
			t.blocking++
			if a.Level == anomaly.FileLevel {
				t.fileBlocked = true
			}
		}
		text := store.DisplayText
		row := []any{int64(t.id), t.anomalySeq, int64(t.info.Company), text(a.Code), text(a.Rule), blocking,
			a.Level.String(), text(a.File), a.Line, text(a.Key), text(a.Field), text(a.Value), text(a.Message)}
		if err := t.add(ctx, "load_anomalies", anomalyCols, row); err != nil {
			return err
		}
	}
	return nil
}

// AddRecord stores one DatiPod with its anomalies; see store.LoadTx.
func (t *loadTx) AddRecord(ctx context.Context, h *flows.Header, r *flows.Record, list anomaly.List) (bool, error) {
	if err := t.check(); err != nil {
		return false, err
	}
	if r == nil {
		return false, fmt.Errorf("store %s: add record: %w: nil record", t.s.d.Name(), store.ErrInvalid)
	}
	if t.header == nil && h != nil {
		hc := *h
		t.header = &hc
	}
	if err := t.addAnomalies(ctx, list); err != nil {
		return false, t.fail(ctx, "add record", err)
	}
	if list.HasBlocking() {
		t.rejected++
		return false, nil
	}
	t.seq++
	t.loaded++
	if err := t.addRecordRows(ctx, r); err != nil {
		return false, t.fail(ctx, "add record", err)
	}
	return true, nil
}

// flowCode is the header's CodFlusso when known, else LoadInfo.FlowCode.
func (t *loadTx) flowCode() string {
	if t.header != nil && t.header.FlowCode.HasText() {
		return t.header.FlowCode.Text
	}
	return t.info.FlowCode
}

func (t *loadTx) addRecordRows(ctx context.Context, r *flows.Record) error {
	rc := newRecordContext(t.id, t.seq, t.info.Company, t.flowCode(), r)
	if err := t.add(ctx, "records", recordCols, rc.recordRow(r)); err != nil {
		return err
	}
	idx := 0
	for _, m := range []struct {
		kind store.ReadingKind
		m    *flows.Measure
	}{{store.ReadingMeasure, r.Measure}, {store.ReadingConsumption, r.Consumption}} {
		if m.m == nil {
			continue
		}
		if err := t.add(ctx, "readings", readingCols, rc.readingRow(m.kind, m.m)); err != nil {
			return err
		}
		for i := range m.m.Curves {
			idx++
			if err := t.add(ctx, "curves", curveCols, rc.curveRow(idx, &m.m.Curves[i])); err != nil {
				return err
			}
		}
	}
	if r.ConsumptionStD != nil {
		if err := t.add(ctx, "readings", readingCols, rc.stdRow(r.ConsumptionStD)); err != nil {
			return err
		}
	}
	for _, c := range []struct {
		kind store.ReadingKind
		c    *flows.MeterChange
	}{{store.ReadingRemoval, r.Removal}, {store.ReadingInstallation, r.Installation}} {
		if c.c == nil {
			continue
		}
		if err := t.add(ctx, "readings", readingCols, rc.meterChangeRow(c.kind, c.c)); err != nil {
			return err
		}
	}
	if r.Pdp.Set {
		if err := t.add(ctx, "technical", technicalCols, rc.technicalRow(&r.Pdp)); err != nil {
			return err
		}
	}
	if kind := switchingKind(rc.family); kind != "" {
		row := []any{int64(rc.load), rc.seq, int64(rc.company), rc.pod, string(kind)}
		if err := t.add(ctx, "switching", switchingCols, row); err != nil {
			return err
		}
	}
	if rc.family == flows.Correction {
		return t.addCorrection(ctx, &rc, r)
	}
	return nil
}

// addCorrection links a correction to what it replaces: the newest
// correction of the same key, in this load or before, or else the newest
// record of another family for the same POD and competence.
func (t *loadTx) addCorrection(ctx context.Context, rc *recordContext, r *flows.Record) error {
	key := correctionKey{rc.pod, rc.competence, r.CorrectionType.Text}
	ref, found := t.corrections[key]
	if !found {
		var err error
		ref, found, err = t.previousCorrection(ctx, key)
		if err != nil {
			return err
		}
	}
	if !found {
		var err error
		ref, found, err = t.originalMeasure(ctx, key)
		if err != nil {
			return err
		}
	}
	var rl, rs any
	if found {
		rl, rs = int64(ref.Load), ref.Seq
	}
	t.corrections[key] = store.RecordRef{Load: t.id, Seq: rc.seq}
	row := []any{int64(rc.load), rc.seq, int64(rc.company), rc.pod, rc.competence, key.kind, rl, rs}
	return t.add(ctx, "corrections", correctionCols, row)
}

func (t *loadTx) previousCorrection(ctx context.Context, key correctionKey) (store.RecordRef, bool, error) {
	return t.scanRef(ctx, `SELECT load_id, record_seq FROM corrections
		WHERE company_id = ? AND pod = ? AND competence = ? AND correction_type = ? AND load_id <> ?
		ORDER BY load_id DESC, record_seq DESC LIMIT 1`,
		int64(t.info.Company), key.pod, key.competence, key.kind, int64(t.id))
}

func (t *loadTx) originalMeasure(ctx context.Context, key correctionKey) (store.RecordRef, bool, error) {
	if key.competence == "" {
		return store.RecordRef{}, false, nil
	}
	return t.scanRef(ctx, `SELECT load_id, seq FROM records
		WHERE company_id = ? AND pod = ? AND competence = ? AND family <> ? AND load_id <> ?
		ORDER BY load_id DESC, seq DESC LIMIT 1`,
		int64(t.info.Company), key.pod, key.competence, flows.Correction.String(), int64(t.id))
}

func (t *loadTx) scanRef(ctx context.Context, query string, args ...any) (store.RecordRef, bool, error) {
	var load int64
	var seq int
	err := t.conn.QueryRow(ctx, t.s.q(query), args...).Scan(&load, &seq)
	if errors.Is(err, sql.ErrNoRows) {
		return store.RecordRef{}, false, nil
	}
	if err != nil {
		return store.RecordRef{}, false, err
	}
	return store.RecordRef{Load: store.LoadID(load), Seq: seq}, true, nil
}

// Commit ends the load; see store.LoadTx.
func (t *loadTx) Commit(ctx context.Context) (store.Load, error) {
	if err := t.check(); err != nil {
		return store.Load{}, err
	}
	if err := t.commit(ctx); err != nil {
		return store.Load{}, t.fail(ctx, "commit load "+t.info.Name, err)
	}
	t.done = true
	t.abort(ctx)
	return t.s.Load(ctx, t.info.Company, t.id)
}

func (t *loadTx) commit(ctx context.Context) error {
	if err := t.flushAll(ctx); err != nil {
		return err
	}
	status := t.status()
	if status == store.StatusRejected && t.loaded > 0 {
		for _, table := range dataTables {
			if _, err := t.conn.Exec(ctx, t.s.q("DELETE FROM "+table+" WHERE load_id = ?"), int64(t.id)); err != nil {
				return err
			}
		}
		t.rejected += t.loaded
		t.loaded = 0
	}
	var seller, distributor, contract string
	if t.header != nil {
		seller, distributor, contract = t.header.SellerVAT.Text, t.header.DistributorVAT.Text, t.header.DispatchingContract.Text
	}
	_, err := t.conn.Exec(ctx, t.s.q(`UPDATE loads SET status = ?, flow_code = ?, seller_vat = ?,
		distributor_vat = ?, dispatching_contract = ?, finished_at = ?, records_loaded = ?,
		records_rejected = ?, anomaly_count = ?, blocking_count = ? WHERE id = ?`),
		string(status), t.flowCode(), seller, distributor, contract, micros(t.s.now()), t.loaded,
		t.rejected, t.anomalies, t.blocking, int64(t.id))
	if err != nil {
		return err
	}
	if err := t.markClaimDone(ctx, t.id); err != nil {
		return err
	}
	if _, err := t.conn.Exec(ctx, "COMMIT"); err != nil {
		return err
	}
	t.open = false
	return nil
}

// status returns the final status from the counts.
func (t *loadTx) status() store.LoadStatus {
	switch {
	case t.fileBlocked, t.loaded == 0 && t.rejected > 0:
		return store.StatusRejected
	case t.anomalies > 0:
		return store.StatusLoadedWithAnomalies
	}
	return store.StatusLoaded
}

// Rollback discards the load; see store.LoadTx.
func (t *loadTx) Rollback(ctx context.Context) error {
	if err := t.check(); err != nil {
		return err
	}
	t.done = true
	t.abort(ctx)
	return nil
}
