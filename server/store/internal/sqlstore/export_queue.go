package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/bludispatcher/dispatcher/server/store"
)

// feedBatch is the number of loads moved into the export queue per
// transaction.
const feedBatch = 500

// exportFeeds are the queries that turn the records of new loads into
// export items, one per kind. Each selects company_id, kind, load_id,
// record_seq, pod and flow_code from records r restricted by "@LOADS@".
// A new kind of entity is added as one more query here.
var exportFeeds = []string{
	`SELECT r.company_id, 'correction' AS kind, r.load_id, r.seq AS record_seq, r.pod, r.flow_code
		FROM records r JOIN corrections c ON c.load_id = r.load_id AND c.record_seq = r.seq WHERE @LOADS@`,
	`SELECT r.company_id, 'switching', r.load_id, r.seq, r.pod, r.flow_code
		FROM records r JOIN switching w ON w.load_id = r.load_id AND w.record_seq = r.seq WHERE @LOADS@`,
	`SELECT r.company_id, 'reading', r.load_id, r.seq, r.pod, r.flow_code FROM records r WHERE @LOADS@ @PLAIN@
		AND EXISTS (SELECT 1 FROM readings x WHERE x.load_id = r.load_id AND x.record_seq = r.seq
		AND x.kind IN ('measure', 'removal', 'installation'))`,
	`SELECT r.company_id, 'curve', r.load_id, r.seq, r.pod, r.flow_code FROM records r WHERE @LOADS@ @PLAIN@
		AND EXISTS (SELECT 1 FROM curves x WHERE x.load_id = r.load_id AND x.record_seq = r.seq)`,
	`SELECT r.company_id, 'consumption', r.load_id, r.seq, r.pod, r.flow_code FROM records r WHERE @LOADS@ @PLAIN@
		AND EXISTS (SELECT 1 FROM readings x WHERE x.load_id = r.load_id AND x.record_seq = r.seq
		AND x.kind IN ('consumption', 'consumption_std'))`,
	`SELECT r.company_id, 'technical', r.load_id, r.seq, r.pod, r.flow_code FROM records r WHERE @LOADS@ @PLAIN@
		AND EXISTS (SELECT 1 FROM technical x WHERE x.load_id = r.load_id AND x.record_seq = r.seq)`,
}

// plainRecord excludes corrections and switching records, whose single
// item carries all of their data.
const plainRecord = `AND NOT EXISTS (SELECT 1 FROM corrections c WHERE c.load_id = r.load_id AND c.record_seq = r.seq)
	AND NOT EXISTS (SELECT 1 FROM switching w WHERE w.load_id = r.load_id AND w.record_seq = r.seq)`

// feedExport moves the records of committed loads not yet in the queue
// into export_items, in load and record order, so their sequences follow
// that order.
func (s *Store) feedExport(ctx context.Context, company store.CompanyID) error {
	for {
		n, err := s.feedOnce(ctx, company)
		if err != nil || n < feedBatch {
			return err
		}
	}
}

func (s *Store) feedOnce(ctx context.Context, company store.CompanyID) (int, error) {
	var loads []any
	err := s.inTx(ctx, func(conn Conn) error {
		rows, err := conn.Query(ctx, s.q(`SELECT l.id FROM loads l WHERE l.company_id = ?
			AND l.status IN ('loaded', 'loaded_with_anomalies')
			AND NOT EXISTS (SELECT 1 FROM export_loads e WHERE e.company_id = l.company_id AND e.load_id = l.id)
			ORDER BY l.id LIMIT ?`), int64(company), feedBatch)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			loads = append(loads, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil || len(loads) == 0 {
			return err
		}
		return s.insertExportItems(ctx, conn, company, loads)
	})
	return len(loads), err
}

func (s *Store) insertExportItems(ctx context.Context, conn Conn, company store.CompanyID, loads []any) error {
	cond := "r.company_id = ? AND r.load_id IN (" + placeholders(len(loads)) + ")"
	var parts []string
	var args []any
	now := micros(s.now())
	args = append(args, now)
	for _, feed := range exportFeeds {
		q := strings.ReplaceAll(feed, "@LOADS@", cond)
		q = strings.ReplaceAll(q, "@PLAIN@", plainRecord)
		parts = append(parts, q)
		args = append(args, int64(company))
		args = append(args, loads...)
	}
	// WHERE 1 = 1 keeps SQLite from reading ON CONFLICT as a join clause.
	query := `INSERT INTO export_items (company_id, kind, load_id, record_seq, pod, flow_code, created_at)
		SELECT x.company_id, x.kind, x.load_id, x.record_seq, x.pod, x.flow_code, ? FROM (` +
		strings.Join(parts, " UNION ALL ") + `) x WHERE 1 = 1 ORDER BY x.load_id, x.record_seq, x.kind
		ON CONFLICT DO NOTHING`
	if _, err := conn.Exec(ctx, s.q(query), args...); err != nil {
		return err
	}
	for _, id := range loads {
		if _, err := conn.Exec(ctx, s.q(`INSERT INTO export_loads (company_id, load_id, fed_at) VALUES (?, ?, ?)
			ON CONFLICT DO NOTHING`), int64(company), id, now); err != nil {
			return err
		}
	}
	return nil
}

// exportItemSelect lists the columns scanExportItem reads.
const exportItemSelect = `seq, company_id, kind, load_id, record_seq, pod, flow_code, created_at, taken_at,
	taken_by, exports, ` + offerColumn

// offerColumn is the offer of an export item: the column offer, or the
// sequence while the item was never offered again. The pending index is
// on this expression.
const offerColumn = "COALESCE(offer, seq)"

func scanExportItem(row interface{ Scan(...any) error }) (store.ExportItem, error) {
	var it store.ExportItem
	var company, load, created int64
	var kind string
	var taken sql.NullInt64
	if err := row.Scan(&it.Seq, &company, &kind, &load, &it.Record.Seq, &it.POD, &it.FlowCode, &created, &taken,
		&it.TakenBy, &it.Exports, &it.Offer); err != nil {
		return it, err
	}
	it.Company, it.Kind, it.Record.Load = store.CompanyID(company), store.ExportKind(kind), store.LoadID(load)
	it.CreatedAt, it.TakenAt = fromMicros(created), nullMicros(taken)
	return it, nil
}

// PendingExport returns a page of pending items; see store.ExportStore.
func (s *Store) PendingExport(ctx context.Context, f store.ExportFilter) ([]store.ExportItem, error) {
	if f.Company <= 0 {
		return nil, s.wrap("pending export", fmt.Errorf("%w: company is required", store.ErrInvalid))
	}
	if err := s.feedExport(ctx, f.Company); err != nil {
		return nil, s.wrap("feed export", err)
	}

	var w where
	w.add("company_id = ?", int64(f.Company))
	w.add("taken_at IS NULL")
	w.add(offerColumn+" > ?", f.After)
	if len(f.Kinds) > 0 {
		// Each kind is one parameter once, so a request that repeats a kind
		// cannot exceed the driver's limit on query parameters.
		var args []any
		seen := map[store.ExportKind]bool{}
		for _, k := range f.Kinds {
			if !seen[k] {
				seen[k] = true
				args = append(args, string(k))
			}
		}
		w.add("kind IN ("+placeholders(len(args))+")", args...)
	}

	limit := store.Page{Limit: f.Limit}.Normalize().Limit
	rows, err := s.read.Query(ctx, s.q("SELECT "+exportItemSelect+" FROM export_items"+w.String()+
		" ORDER BY "+offerColumn+" LIMIT ?"), append(w.args, limit)...)
	if err != nil {
		return nil, s.wrap("pending export", err)
	}
	defer rows.Close()
	var out []store.ExportItem
	for rows.Next() {
		it, err := scanExportItem(rows)
		if err != nil {
			return nil, s.wrap("pending export", err)
		}
		out = append(out, it)
	}
	return out, s.wrap("pending export", rows.Err())
}

func (s *Store) exportItem(ctx context.Context, q Querier, company store.CompanyID, seq int64) (store.ExportItem, error) {
	return scanExportItem(q.QueryRow(ctx, s.q("SELECT "+exportItemSelect+
		" FROM export_items WHERE company_id = ? AND seq = ?"), int64(company), seq))
}

// checkSeqs rejects an empty or oversized list of sequences.
func (s *Store) checkSeqs(op string, seqs []int64) error {
	if len(seqs) == 0 || len(seqs) > store.MaxLimit {
		return s.wrap(op, fmt.Errorf("%w: %d sequences given, want 1 to %d", store.ErrInvalid, len(seqs), store.MaxLimit))
	}
	return nil
}

// AcknowledgeExport marks items taken; see store.ExportStore.
func (s *Store) AcknowledgeExport(ctx context.Context, company store.CompanyID, seqs []int64, caller string) ([]store.ExportResult, error) {
	return s.changeExport(ctx, "acknowledge export", company, seqs, caller, store.ExportActionAcknowledge)
}

// Reexport makes taken items pending again; see store.ExportStore.
func (s *Store) Reexport(ctx context.Context, company store.CompanyID, seqs []int64, caller string) ([]store.ExportResult, error) {
	return s.changeExport(ctx, "reexport", company, seqs, caller, store.ExportActionReexport)
}

// changeExport applies action to every item in one transaction and logs
// each change.
func (s *Store) changeExport(ctx context.Context, op string, company store.CompanyID, seqs []int64,
	caller string, action store.ExportAction) ([]store.ExportResult, error) {
	if err := s.checkSeqs(op, seqs); err != nil {
		return nil, err
	}
	out := make([]store.ExportResult, len(seqs))
	now := micros(s.now())
	err := s.inTx(ctx, func(conn Conn) error {
		for i, seq := range seqs {
			outcome, err := s.changeItem(ctx, conn, company, seq, caller, action, now)
			if err != nil {
				return err
			}
			out[i] = store.ExportResult{Seq: seq, Outcome: outcome}
		}
		return nil
	})
	if err != nil {
		return nil, s.wrap(op, err)
	}
	return out, nil
}

func (s *Store) changeItem(ctx context.Context, conn Conn, company store.CompanyID, seq int64, caller string,
	action store.ExportAction, now int64) (store.ExportOutcome, error) {
	it, err := s.exportItem(ctx, conn, company, seq)
	if errors.Is(err, sql.ErrNoRows) {
		return store.ExportNotFound, nil
	}
	if err != nil {
		return "", err
	}
	// Each UPDATE checks the state again, because on PostgreSQL another
	// transaction may have changed the item since it was read: the UPDATE
	// then waits for that transaction and changes no row.
	var changed int64
	if action == store.ExportActionAcknowledge {
		changed, err = conn.Exec(ctx, s.q(`UPDATE export_items SET taken_at = ?, taken_by = ?, exports = exports + 1
			WHERE company_id = ? AND seq = ? AND taken_at IS NULL`), now, caller, int64(company), seq)
	} else {
		var offer int64
		if offer, err = s.nextOffer(ctx, conn); err != nil {
			return "", err
		}
		changed, err = conn.Exec(ctx, s.q(`UPDATE export_items SET taken_at = NULL, taken_by = '', offer = ?
			WHERE company_id = ? AND seq = ? AND taken_at IS NOT NULL`), offer, int64(company), seq)
	}
	switch {
	case err != nil:
		return "", err
	case changed == 0 && action == store.ExportActionAcknowledge:
		return store.ExportAlreadyTaken, nil
	case changed == 0:
		return store.ExportNotTaken, nil
	}
	_, err = conn.Exec(ctx, s.q(`INSERT INTO export_log (company_id, item_seq, kind, action, at, caller)
		VALUES (?, ?, ?, ?, ?, ?)`), int64(company), seq, string(it.Kind), string(action), now, caller)
	return store.ExportOK, err
}

// nextOffer takes the next value of the counter behind item sequences.
// The offer is then above every sequence and offer so far, and items
// queued later get sequences above it. A re-export that changes nothing
// leaves its value unused.
func (s *Store) nextOffer(ctx context.Context, conn Conn) (int64, error) {
	var offer int64
	if s.d.Name() == "postgres" {
		err := conn.QueryRow(ctx, `SELECT nextval(pg_get_serial_sequence('export_items', 'seq'))`).Scan(&offer)
		return offer, err
	}
	// On SQLite export_items is AUTOINCREMENT, so sqlite_sequence holds
	// the largest sequence given and new rows get sequences above it. Its
	// row exists once an item was inserted, and a re-export needs an item.
	err := conn.QueryRow(ctx, `UPDATE sqlite_sequence SET seq = seq + 1 WHERE name = 'export_items'
		RETURNING seq`).Scan(&offer)
	return offer, err
}

// ExportLog returns export log entries; see store.ExportStore.
func (s *Store) ExportLog(ctx context.Context, f store.ExportLogFilter) ([]store.ExportLogEntry, int, error) {
	var w where
	w.add("company_id = ?", int64(f.Company))
	if f.Seq != 0 {
		w.add("item_seq = ?", f.Seq)
	}
	if f.Action != "" {
		w.add("action = ?", string(f.Action))
	}
	if !f.At.From.IsZero() {
		w.add("at >= ?", micros(f.At.From))
	}
	if !f.At.To.IsZero() {
		w.add("at < ?", micros(f.At.To))
	}
	total, err := s.count(ctx, "export_log", &w)
	if err != nil {
		return nil, 0, s.wrap("export log", err)
	}
	p := f.Page.Normalize()
	rows, err := s.read.Query(ctx, s.q("SELECT id, item_seq, kind, action, at, caller FROM export_log"+w.String()+
		" ORDER BY id LIMIT ? OFFSET ?"), append(w.args, p.Limit, p.Offset)...)
	if err != nil {
		return nil, 0, s.wrap("export log", err)
	}
	defer rows.Close()
	var out []store.ExportLogEntry
	for rows.Next() {
		var e store.ExportLogEntry
		var kind, action string
		var at int64
		if err := rows.Scan(&e.ID, &e.Seq, &kind, &action, &at, &e.Caller); err != nil {
			return nil, 0, s.wrap("export log", err)
		}
		e.Kind, e.Action, e.At = store.ExportKind(kind), store.ExportAction(action), fromMicros(at)
		out = append(out, e)
	}
	return out, total, s.wrap("export log", rows.Err())
}
