package store

import (
	"context"
	"crypto/sha256"
	"time"
)

// Sessions keeps the sessions of the web pages, so that they outlive a
// restart and are shared by instances on one database. Only the SHA-256 of
// a session's cookie value is stored, so a copy of the database gives no
// cookie that a browser could replay.
type Sessions interface {
	// CreateSession stores a new session, after deleting the sessions
	// that expired at s.CreatedAt. A session with the same IDHash fails
	// with ErrConflict.
	CreateSession(ctx context.Context, s Session) error
	// Session returns the session with idHash, or ErrNotFound when there
	// is none or it has expired at now. An expired session is deleted.
	Session(ctx context.Context, idHash [sha256.Size]byte, now time.Time) (Session, error)
	// TouchSession sets the last-seen time of a session, or returns
	// ErrNotFound when the session is gone.
	TouchSession(ctx context.Context, idHash [sha256.Size]byte, at time.Time) error
	// DeleteSession removes a session. Removing a missing session is not
	// an error, so logging out twice succeeds.
	DeleteSession(ctx context.Context, idHash [sha256.Size]byte) error
	// DeleteExpiredSessions removes every session expired at now and
	// returns how many it removed.
	DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error)
}

// Session is one logged-in browser of the web pages. A session has
// expired once ExpiresAt is not after the current time.
type Session struct {
	// IDHash is the SHA-256 of the session cookie value.
	IDHash [sha256.Size]byte
	// Company is the company the browser logged in for.
	Company CompanyID
	// TokenHash is the SHA-256 of the API token typed at login. The web
	// pages check it again on every request, so revoking the token ends
	// the session.
	TokenHash  [sha256.Size]byte
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
}
