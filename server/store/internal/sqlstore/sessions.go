package sqlstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/bludispatcher/dispatcher/server/store"
)

// CreateSession stores a web session (see store.Sessions).
func (s *Store) CreateSession(ctx context.Context, sess store.Session) error {
	if sess.Company == 0 {
		return s.wrap("create session", fmt.Errorf("%w: session company is missing", store.ErrInvalid))
	}
	if !sess.ExpiresAt.After(sess.CreatedAt) {
		return s.wrap("create session", fmt.Errorf("%w: session expires at %s, not after its creation at %s",
			store.ErrInvalid, sess.ExpiresAt.Format(time.RFC3339), sess.CreatedAt.Format(time.RFC3339)))
	}
	if _, err := s.DeleteExpiredSessions(ctx, sess.CreatedAt); err != nil {
		return err
	}
	lastSeen := sess.LastSeenAt
	if lastSeen.IsZero() {
		lastSeen = sess.CreatedAt
	}
	_, err := s.write.Exec(ctx, s.q(`INSERT INTO web_sessions
		(id_hash, company_id, token_hash, created_at, last_seen_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?)`),
		hex.EncodeToString(sess.IDHash[:]), int64(sess.Company), hex.EncodeToString(sess.TokenHash[:]),
		micros(sess.CreatedAt), micros(lastSeen), micros(sess.ExpiresAt))
	if s.d.IsUniqueViolation(err) {
		return s.wrap("create session", store.ErrConflict)
	}
	return s.wrap("create session", err)
}

// Session returns an unexpired web session (see store.Sessions).
func (s *Store) Session(ctx context.Context, idHash [sha256.Size]byte, now time.Time) (store.Session, error) {
	key := hex.EncodeToString(idHash[:])
	var company, created, lastSeen, expires int64
	var tokenHex string
	err := s.read.QueryRow(ctx, s.q(`SELECT company_id, token_hash, created_at, last_seen_at, expires_at
		FROM web_sessions WHERE id_hash = ?`), key).Scan(&company, &tokenHex, &created, &lastSeen, &expires)
	if err != nil {
		return store.Session{}, s.notFound("session", err)
	}
	if expires <= micros(now) {
		if err := s.DeleteSession(ctx, idHash); err != nil {
			return store.Session{}, err
		}
		return store.Session{}, s.wrap("session", fmt.Errorf("%w: the session expired", store.ErrNotFound))
	}
	tokenHash, err := decodeSum(tokenHex)
	if err != nil {
		return store.Session{}, s.wrap("session", err)
	}
	return store.Session{
		IDHash:     idHash,
		Company:    store.CompanyID(company),
		TokenHash:  tokenHash,
		CreatedAt:  fromMicros(created),
		LastSeenAt: fromMicros(lastSeen),
		ExpiresAt:  fromMicros(expires),
	}, nil
}

// TouchSession sets a session's last-seen time (see store.Sessions).
func (s *Store) TouchSession(ctx context.Context, idHash [sha256.Size]byte, at time.Time) error {
	n, err := s.write.Exec(ctx, s.q("UPDATE web_sessions SET last_seen_at = ? WHERE id_hash = ?"),
		micros(at), hex.EncodeToString(idHash[:]))
	if err != nil {
		return s.wrap("touch session", err)
	}
	if n == 0 {
		return s.wrap("touch session", store.ErrNotFound)
	}
	return nil
}

// DeleteSession removes a web session (see store.Sessions).
func (s *Store) DeleteSession(ctx context.Context, idHash [sha256.Size]byte) error {
	_, err := s.write.Exec(ctx, s.q("DELETE FROM web_sessions WHERE id_hash = ?"), hex.EncodeToString(idHash[:]))
	return s.wrap("delete session", err)
}

// DeleteExpiredSessions removes the expired web sessions (see
// store.Sessions).
func (s *Store) DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error) {
	n, err := s.write.Exec(ctx, s.q("DELETE FROM web_sessions WHERE expires_at <= ?"), micros(now))
	if err != nil {
		return 0, s.wrap("delete expired sessions", err)
	}
	return n, nil
}

// AuthenticateHash returns the company of a token given by its SHA-256
// (see store.Tokens).
func (s *Store) AuthenticateHash(ctx context.Context, sum [sha256.Size]byte) (store.CompanyID, error) {
	t, err := s.tokenByHash(ctx, hex.EncodeToString(sum[:]))
	if errors.Is(err, store.ErrNotFound) || (err == nil && t.RevokedAt != nil) {
		return 0, s.wrap("authenticate", store.ErrUnauthorized)
	}
	if err != nil {
		return 0, err
	}
	return t.Company, nil
}

// decodeSum parses a stored hex SHA-256.
func decodeSum(h string) ([sha256.Size]byte, error) {
	raw, err := hex.DecodeString(h)
	if err != nil || len(raw) != sha256.Size {
		return [sha256.Size]byte{}, fmt.Errorf("stored hash %q is not 64 hex digits", h)
	}
	return [sha256.Size]byte(raw), nil
}
