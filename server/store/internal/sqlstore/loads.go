package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"strings"

	"github.com/bludispatcher/dispatcher/internal/anomaly"
	"github.com/bludispatcher/dispatcher/server/store"
)

const loadCols = `id, company_id, name, path, size, sha256, flow_code, status, duplicate_of,
	seller_vat, distributor_vat, dispatching_contract, started_at, finished_at,
	records_loaded, records_rejected, anomaly_count, blocking_count`

func scanLoad(row interface{ Scan(...any) error }) (store.Load, error) {
	var l store.Load
	var id, company, started, finished int64
	var status string
	var dup sql.NullInt64
	err := row.Scan(&id, &company, &l.Name, &l.Path, &l.Size, &l.SHA256, &l.FlowCode, &status, &dup,
		&l.SellerVAT, &l.DistributorVAT, &l.DispatchingContract, &started, &finished,
		&l.RecordsLoaded, &l.RecordsRejected, &l.AnomalyCount, &l.BlockingCount)
	if err != nil {
		return store.Load{}, err
	}
	l.ID, l.Company, l.Status = store.LoadID(id), store.CompanyID(company), store.LoadStatus(status)
	l.DuplicateOf = store.LoadID(dup.Int64)
	l.StartedAt = fromMicros(started)
	if finished != 0 {
		l.FinishedAt = fromMicros(finished)
	}
	return l, nil
}

// Load returns one load log entry; see store.Queries.
func (s *Store) Load(ctx context.Context, company store.CompanyID, id store.LoadID) (store.Load, error) {
	l, err := scanLoad(s.read.QueryRow(ctx, s.q("SELECT "+loadCols+
		" FROM loads WHERE id = ? AND company_id = ? AND status <> 'loading'"), int64(id), int64(company)))
	if err != nil {
		return store.Load{}, s.notFound(fmt.Sprintf("load %d", id), err)
	}
	return l, nil
}

// where is the list of conditions, with their arguments, of a filtered
// query.
type where struct {
	conds []string
	args  []any
}

func (w *where) add(cond string, args ...any) {
	w.conds = append(w.conds, cond)
	w.args = append(w.args, args...)
}

func (w *where) String() string { return " WHERE " + strings.Join(w.conds, " AND ") }

// ListLoads returns matching load log entries; see store.Queries.
func (s *Store) ListLoads(ctx context.Context, f store.LoadFilter) ([]store.Load, int, error) {
	var w where
	w.add("company_id = ?", int64(f.Company))
	w.add("status <> 'loading'")
	if len(f.Statuses) > 0 {
		args := make([]any, len(f.Statuses))
		for i, st := range f.Statuses {
			args[i] = string(st)
		}
		w.add("status IN ("+placeholders(len(args))+")", args...)
	}
	codes := f.FlowCodes
	if f.FlowCode != "" {
		codes = append([]string{f.FlowCode}, codes...)
	}
	if len(codes) > 0 {
		args := make([]any, len(codes))
		for i, code := range codes {
			args[i] = code
		}
		w.add("flow_code IN ("+placeholders(len(args))+")", args...)
	}
	// With a SHA-256, the unary plus keeps SQLite from walking the loads
	// of the company through loads_company_started, for the order or a
	// start range, when loads_company_sha finds the few matching loads.
	started := "started_at"
	if f.SHA256 != "" {
		w.add("sha256 = ?", f.SHA256)
		started = "+started_at"
	}
	if !f.Started.From.IsZero() {
		w.add(started+" >= ?", micros(f.Started.From))
	}
	if !f.Started.To.IsZero() {
		w.add(started+" < ?", micros(f.Started.To))
	}
	total, err := s.count(ctx, "loads", &w)
	if err != nil {
		return nil, 0, s.wrap("list loads", err)
	}
	p := f.Page.Normalize()
	rows, err := s.read.Query(ctx, s.q("SELECT "+loadCols+" FROM loads"+w.String()+
		" ORDER BY "+started+" DESC, id DESC LIMIT ? OFFSET ?"), append(w.args, p.Limit, p.Offset)...)
	if err != nil {
		return nil, 0, s.wrap("list loads", err)
	}
	defer rows.Close()
	var out []store.Load
	for rows.Next() {
		l, err := scanLoad(rows)
		if err != nil {
			return nil, 0, s.wrap("list loads", err)
		}
		out = append(out, l)
	}
	return out, total, s.wrap("list loads", rows.Err())
}

func (s *Store) count(ctx context.Context, table string, w *where) (int, error) {
	var n int
	err := s.read.QueryRow(ctx, s.q("SELECT COUNT(*) FROM "+table+w.String()), w.args...).Scan(&n)
	return n, err
}

// Anomalies returns a page of a load's anomalies; see store.Queries.
func (s *Store) Anomalies(ctx context.Context, company store.CompanyID, id store.LoadID, page store.Page) ([]anomaly.Anomaly, int, error) {
	if _, err := s.Load(ctx, company, id); err != nil {
		return nil, 0, err
	}
	var w where
	w.add("load_id = ?", int64(id))
	w.add("company_id = ?", int64(company))

	total, err := s.count(ctx, "load_anomalies", &w)
	if err != nil {
		return nil, 0, s.wrap("anomalies", err)
	}
	p := page.Normalize()
	rows, err := s.read.Query(ctx, s.q(`SELECT code, rule, blocking, level, file, line, record_key,
		field, value, message FROM load_anomalies`+w.String()+" ORDER BY seq LIMIT ? OFFSET ?"),
		append(w.args, p.Limit, p.Offset)...)
	if err != nil {
		return nil, 0, s.wrap("anomalies", err)
	}
	defer rows.Close()
	var out []anomaly.Anomaly
	for rows.Next() {
		var a anomaly.Anomaly
		var blocking int
		var level string
		if err := rows.Scan(&a.Code, &a.Rule, &blocking, &level, &a.File, &a.Line, &a.Key,
			&a.Field, &a.Value, &a.Message); err != nil {
			return nil, 0, s.wrap("anomalies", err)
		}
		if blocking != 0 {
			a.Severity = anomaly.Blocking
		}
		if err := a.Level.UnmarshalText([]byte(level)); err != nil {
			return nil, 0, s.wrap("anomalies", err)
		}
		out = append(out, a)
	}
	return out, total, s.wrap("anomalies", rows.Err())
}

// OpenOriginal returns a load's original bytes; see store.Queries.
func (s *Store) OpenOriginal(ctx context.Context, company store.CompanyID, id store.LoadID) (store.Original, io.ReadCloser, error) {
	l, err := s.Load(ctx, company, id)
	if err != nil {
		return store.Original{}, nil, err
	}
	var data []byte
	var encoding string
	err = s.read.QueryRow(ctx, s.q("SELECT encoding, data FROM originals WHERE company_id = ? AND sha256 = ?"),
		int64(company), l.SHA256).Scan(&encoding, &data)
	if err != nil {
		return store.Original{}, nil, s.notFound(fmt.Sprintf("original of load %d", id), err)
	}
	if encoding != originalEncoding {
		return store.Original{}, nil, s.wrap("open original", fmt.Errorf("unknown encoding %q of load %d", encoding, id))
	}
	zr, err := decompressOriginal(data)
	if err != nil {
		return store.Original{}, nil, s.wrap(fmt.Sprintf("open original of load %d", id), err)
	}
	return store.Original{Load: id, Name: l.Name, Size: l.Size, SHA256: l.SHA256}, zr, nil
}
