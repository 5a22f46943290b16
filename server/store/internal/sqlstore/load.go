package sqlstore

import (
	"context"
	"errors"
	"fmt"

	"github.com/bludispatcher/dispatcher/server/store"
)

// flushRows is how many buffered rows of one table trigger a bulk insert.
// It bounds the memory of a load independently of the file size.
const flushRows = 2000

// validSHA256 reports whether s is 64 lowercase hex digits.
func validSHA256(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// BeginLoad starts the transaction of one file; see store.Loader.
func (s *Store) BeginLoad(ctx context.Context, info store.LoadInfo) (store.LoadTx, error) {
	if err := checkLoadInfo(info); err != nil {
		return nil, s.wrap("begin load", err)
	}
	// File names need not be UTF-8, but PostgreSQL text must be.
	info.Name = store.DisplayText(info.Name)
	info.Path = store.EscapePath(info.Path)
	info.FlowCode = store.DisplayText(info.FlowCode)
	if _, err := s.Company(ctx, info.Company); err != nil {
		return nil, err
	}
	orig, err := compressOriginal(info.Original)
	if err != nil {
		return nil, s.wrap("begin load "+info.Name, err)
	}
	if orig.sum != info.SHA256 {
		return nil, s.wrap("begin load "+info.Name,
			fmt.Errorf("%w: got %s, want %s", store.ErrHashMismatch, orig.sum, info.SHA256))
	}
	if info.Size != 0 && info.Size != orig.size {
		return nil, s.wrap("begin load "+info.Name,
			fmt.Errorf("%w: read %d bytes, LoadInfo.Size is %d", store.ErrHashMismatch, orig.size, info.Size))
	}
	info.Size = orig.size
	if info.StartedAt.IsZero() {
		info.StartedAt = s.now()
	}

	conn, err := s.write.Acquire(ctx)
	if err != nil {
		return nil, s.wrap("begin load", err)
	}
	tx := &loadTx{s: s, conn: conn, info: info, buffers: map[string]*buffer{},
		corrections: map[correctionKey]store.RecordRef{}}
	if err := tx.begin(ctx, orig); err != nil {
		tx.abort(ctx)
		var dup *store.DuplicateError
		if errors.As(err, &dup) {
			return nil, err
		}
		return nil, s.wrap("begin load "+info.Name, err)
	}
	return tx, nil
}

func checkLoadInfo(info store.LoadInfo) error {
	switch {
	case info.Company <= 0:
		return fmt.Errorf("%w: LoadInfo.Company is missing", store.ErrInvalid)
	case info.Name == "":
		return fmt.Errorf("%w: LoadInfo.Name is missing", store.ErrInvalid)
	case !validSHA256(info.SHA256):
		return fmt.Errorf("%w: LoadInfo.SHA256 %q is not 64 lowercase hex digits", store.ErrInvalid, info.SHA256)
	case info.Original == nil:
		return fmt.Errorf("%w: LoadInfo.Original is missing", store.ErrInvalid)
	}
	return nil
}

// begin opens the transaction, records a duplicate or stores the original
// and the load entry.
func (t *loadTx) begin(ctx context.Context, orig compressed) error {
	s := t.s
	if _, err := t.conn.Exec(ctx, s.d.BeginSQL()); err != nil {
		return err
	}
	t.open = true
	if err := s.d.LockLoadKey(ctx, t.conn, t.info.Company, t.info.SHA256); err != nil {
		return err
	}

	prev, err := t.repeatedLoad(ctx)
	if err != nil {
		return err
	}
	if prev != 0 {
		return t.recordDuplicate(ctx, prev)
	}

	_, err = t.conn.Exec(ctx, s.q(`INSERT INTO originals (company_id, sha256, size, encoding, data, created_at)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (company_id, sha256) DO NOTHING`),
		int64(t.info.Company), t.info.SHA256, orig.size, originalEncoding, orig.data, micros(s.now()))
	if err != nil {
		return err
	}
	id, err := t.insertLoad(ctx, "loading", 0)
	if err != nil {
		return err
	}
	t.id = id
	return nil
}

// repeatedLoad returns the first committed load of the same bytes that
// info.Repeats accepts, or 0. Only a load that stored data makes a
// duplicate. The bytes of a rejected load may load again, for example
// after a settings change.
func (t *loadTx) repeatedLoad(ctx context.Context) (store.LoadID, error) {
	rows, err := t.conn.Query(ctx, t.s.q(`SELECT id, name, started_at FROM loads
		WHERE company_id = ? AND sha256 = ? AND status IN ('loaded', 'loaded_with_anomalies')
		ORDER BY id`), int64(t.info.Company), t.info.SHA256)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	for rows.Next() {
		var id, started int64
		var name string
		if err := rows.Scan(&id, &name, &started); err != nil {
			return 0, err
		}
		if t.info.Repeats == nil || t.info.Repeats(name, fromMicros(started)) {
			return store.LoadID(id), nil
		}
	}
	return 0, rows.Err()
}

// insertLoad adds the load log entry and returns its ID.
func (t *loadTx) insertLoad(ctx context.Context, status string, duplicateOf store.LoadID) (store.LoadID, error) {
	var dup any
	finished := int64(0)
	if duplicateOf != 0 {
		dup = int64(duplicateOf)
		finished = micros(t.s.now())
	}
	var id int64
	err := t.conn.QueryRow(ctx, t.s.q(`INSERT INTO loads
		(company_id, name, path, size, sha256, flow_code, status, duplicate_of, started_at, finished_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
		int64(t.info.Company), t.info.Name, t.info.Path, t.info.Size, t.info.SHA256, t.info.FlowCode,
		status, dup, micros(t.info.StartedAt), finished).Scan(&id)
	return store.LoadID(id), err
}

// recordDuplicate commits a duplicate entry and returns the DuplicateError.
func (t *loadTx) recordDuplicate(ctx context.Context, prev store.LoadID) error {
	id, err := t.insertLoad(ctx, string(store.StatusDuplicate), prev)
	if err != nil {
		return err
	}
	if err := t.markClaimDone(ctx, id); err != nil {
		return err
	}
	if _, err := t.conn.Exec(ctx, "COMMIT"); err != nil {
		return err
	}
	t.open = false
	load, err := t.s.Load(ctx, t.info.Company, id)
	if err != nil {
		return err
	}
	return &store.DuplicateError{Load: load, Of: prev}
}

// markClaimDone ends the claim of LoadInfo, if any, inside the transaction.
func (t *loadTx) markClaimDone(ctx context.Context, id store.LoadID) error {
	if t.info.Claim == nil {
		return nil
	}
	_, err := t.conn.Exec(ctx, t.s.q(`UPDATE claims SET done_load = ?, owner = '', expires_at = 0
		WHERE id = ? AND company_id = ?`), int64(id), t.info.Claim.ID, int64(t.info.Company))
	return err
}

// abort rolls back when the transaction is open and returns the connection
// to the pool.
func (t *loadTx) abort(ctx context.Context) {
	if t.conn == nil {
		return
	}
	bad := false
	if t.open {
		_, err := t.conn.Exec(context.WithoutCancel(ctx), "ROLLBACK")
		t.open = false
		if err != nil {
			// The session state is unknown, so drop the connection rather
			// than hand it to the next caller with a transaction open.
			bad = true
		}
	}
	t.conn.Release(bad)
	t.conn = nil
}
