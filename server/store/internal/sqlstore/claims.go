package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/bludispatcher/dispatcher/server/store"
)

// Claim takes a file for one owner; see store.Claims.
//
// The claim row is created if missing, then locked and updated in one
// transaction. On PostgreSQL the lock is SELECT … FOR UPDATE SKIP LOCKED,
// so an instance that finds the row locked by another instance's claim in
// progress gets ErrClaimed at once instead of waiting.
func (s *Store) Claim(ctx context.Context, req store.ClaimRequest) (store.Claim, error) {
	if req.Company <= 0 || req.Path == "" || req.Owner == "" || req.TTL <= 0 || !validSHA256(req.SHA256) {
		return store.Claim{}, s.wrap("claim", fmt.Errorf("%w: company, path, owner, TTL and a SHA-256 are required", store.ErrInvalid))
	}
	req.Path = store.ClaimKey(req.Path)
	req.Owner = store.DisplayText(req.Owner)
	if _, err := s.write.Exec(ctx, s.q(`INSERT INTO claims (company_id, path, sha256, owner, token, expires_at)
		VALUES (?, ?, ?, '', 0, 0) ON CONFLICT (company_id, path, sha256) DO NOTHING`),
		int64(req.Company), req.Path, req.SHA256); err != nil {
		return store.Claim{}, s.wrap("claim "+req.Path, err)
	}
	var c store.Claim
	err := s.inTx(ctx, func(conn Conn) error {
		var err error
		c, err = s.takeClaim(ctx, conn, req)
		return err
	})
	if err != nil {
		return store.Claim{}, s.wrap("claim "+req.Path, err)
	}
	return c, nil
}

func (s *Store) takeClaim(ctx context.Context, conn Conn, req store.ClaimRequest) (store.Claim, error) {
	var id, token, expires int64
	var owner string
	var done sql.NullInt64
	err := conn.QueryRow(ctx, s.q(`SELECT id, owner, token, expires_at, done_load FROM claims
		WHERE company_id = ? AND path = ? AND sha256 = ? `+s.d.RowLockSkip()),
		int64(req.Company), req.Path, req.SHA256).Scan(&id, &owner, &token, &expires, &done)
	if errors.Is(err, sql.ErrNoRows) {
		return store.Claim{}, store.ErrClaimed
	}
	if err != nil {
		return store.Claim{}, err
	}
	now := s.now()
	switch {
	case done.Valid:
		return store.Claim{}, fmt.Errorf("%w: load %d", store.ErrClaimDone, done.Int64)
	case owner != "" && owner != req.Owner && expires > micros(now):
		return store.Claim{}, &store.ClaimedError{Owner: owner, ExpiresAt: fromMicros(expires)}
	}
	c := store.Claim{ID: id, Company: req.Company, Path: req.Path, SHA256: req.SHA256,
		Owner: req.Owner, ExpiresAt: fromMicros(micros(now.Add(req.TTL))), Token: token + 1}
	_, err = conn.Exec(ctx, s.q("UPDATE claims SET owner = ?, token = ?, expires_at = ? WHERE id = ?"),
		c.Owner, c.Token, micros(c.ExpiresAt), id)
	return c, err
}

// RenewClaim extends a claim; see store.Claims.
func (s *Store) RenewClaim(ctx context.Context, c store.Claim, ttl time.Duration) (store.Claim, error) {
	expires := fromMicros(micros(s.now().Add(ttl)))
	n, err := s.write.Exec(ctx, s.q(`UPDATE claims SET expires_at = ?
		WHERE id = ? AND company_id = ? AND owner = ? AND token = ? AND done_load IS NULL`),
		micros(expires), c.ID, int64(c.Company), c.Owner, c.Token)
	if err != nil {
		return store.Claim{}, s.wrap("renew claim "+c.Path, err)
	}
	if n == 0 {
		return store.Claim{}, s.wrap("renew claim "+c.Path, store.ErrClaimLost)
	}
	c.ExpiresAt = expires
	return c, nil
}

// ReleaseClaim gives a claim up; see store.Claims.
func (s *Store) ReleaseClaim(ctx context.Context, c store.Claim) error {
	n, err := s.write.Exec(ctx, s.q(`UPDATE claims SET owner = '', expires_at = 0
		WHERE id = ? AND company_id = ? AND owner = ? AND token = ? AND done_load IS NULL`),
		c.ID, int64(c.Company), c.Owner, c.Token)
	if err != nil {
		return s.wrap("release claim "+c.Path, err)
	}
	if n == 0 {
		return s.wrap("release claim "+c.Path, store.ErrClaimLost)
	}
	return nil
}

// inTx runs fn in a write transaction on one connection.
func (s *Store) inTx(ctx context.Context, fn func(conn Conn) error) error {
	conn, err := s.write.Acquire(ctx)
	if err != nil {
		return err
	}
	t := &loadTx{s: s, conn: conn}
	defer t.abort(ctx)
	if _, err := conn.Exec(ctx, s.d.BeginSQL()); err != nil {
		return err
	}
	t.open = true
	if err := fn(conn); err != nil {
		return err
	}
	if _, err := conn.Exec(ctx, "COMMIT"); err != nil {
		return err
	}
	t.open = false
	return nil
}
