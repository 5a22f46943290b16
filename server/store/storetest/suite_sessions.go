package storetest

import (
	"crypto/sha256"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/server/store"
)

// testSessions checks the web sessions: round trip, expiry, last-seen,
// logout, the pruning of expired sessions and survival across a reopen.
func testSessions(t *testing.T, f Factory) {
	s, reopen := open(t, f)
	ctx := ctxT(t)
	a := company(t, s, "a")
	start := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

	newSession := func(cookie string, created time.Time, ttl time.Duration) store.Session {
		return store.Session{
			IDHash:    sha256.Sum256([]byte(cookie)),
			Company:   a,
			TokenHash: sha256.Sum256([]byte("token-" + cookie)),
			CreatedAt: created,
			ExpiresAt: created.Add(ttl),
		}
	}
	live := newSession("live", start, 8*time.Hour)
	require.NoError(t, s.CreateSession(ctx, live))
	assert.ErrorIs(t, s.CreateSession(ctx, live), store.ErrConflict, "same id hash twice")

	t.Run("RoundTrip", func(t *testing.T) {
		got, err := s.Session(ctx, live.IDHash, start.Add(time.Hour))
		require.NoError(t, err)
		assert.Equal(t, a, got.Company)
		assert.Equal(t, live.TokenHash, got.TokenHash)
		assert.True(t, got.CreatedAt.Equal(start), "created at %s", got.CreatedAt)
		assert.True(t, got.LastSeenAt.Equal(start), "last seen defaults to creation, got %s", got.LastSeenAt)
		assert.True(t, got.ExpiresAt.Equal(live.ExpiresAt), "expires at %s", got.ExpiresAt)
	})

	t.Run("Invalid", func(t *testing.T) {
		bad := newSession("no-company", start, time.Hour)
		bad.Company = 0
		assert.ErrorIs(t, s.CreateSession(ctx, bad), store.ErrInvalid)
		assert.ErrorIs(t, s.CreateSession(ctx, newSession("no-ttl", start, 0)), store.ErrInvalid)
	})

	t.Run("Unknown", func(t *testing.T) {
		_, err := s.Session(ctx, sha256.Sum256([]byte("nobody")), start)
		assert.ErrorIs(t, err, store.ErrNotFound)
		// The stored form of a session is not itself a session id.
		_, err = s.Session(ctx, sha256.Sum256(live.IDHash[:]), start)
		assert.ErrorIs(t, err, store.ErrNotFound)
		err = s.TouchSession(ctx, sha256.Sum256([]byte("nobody")), start)
		assert.ErrorIs(t, err, store.ErrNotFound)
	})

	t.Run("Touch", func(t *testing.T) {
		seen := start.Add(2 * time.Hour)
		require.NoError(t, s.TouchSession(ctx, live.IDHash, seen))
		got, err := s.Session(ctx, live.IDHash, seen)
		require.NoError(t, err)
		assert.True(t, got.LastSeenAt.Equal(seen), "last seen %s", got.LastSeenAt)
		assert.True(t, got.ExpiresAt.Equal(live.ExpiresAt), "touching does not extend the session")
	})

	t.Run("ExpiredIsDeleted", func(t *testing.T) {
		short := newSession("short", start, time.Minute)
		require.NoError(t, s.CreateSession(ctx, short))
		_, err := s.Session(ctx, short.IDHash, short.ExpiresAt.Add(-time.Microsecond))
		require.NoError(t, err, "still valid just before expiry")
		_, err = s.Session(ctx, short.IDHash, short.ExpiresAt)
		assert.ErrorIs(t, err, store.ErrNotFound, "expired at its expiry instant")
		// The lookup deleted it, so even an earlier clock finds nothing.
		_, err = s.Session(ctx, short.IDHash, start)
		assert.ErrorIs(t, err, store.ErrNotFound)
	})

	t.Run("PruneExpired", func(t *testing.T) {
		old := newSession("old", start, time.Minute)
		require.NoError(t, s.CreateSession(ctx, old))
		n, err := s.DeleteExpiredSessions(ctx, start.Add(time.Hour))
		require.NoError(t, err)
		assert.Equal(t, int64(1), n)
		_, err = s.Session(ctx, old.IDHash, start)
		assert.ErrorIs(t, err, store.ErrNotFound)
		_, err = s.Session(ctx, live.IDHash, start.Add(time.Hour))
		assert.NoError(t, err, "an unexpired session stays")
	})

	t.Run("CreatePrunesExpired", func(t *testing.T) {
		old := newSession("old-2", start, time.Minute)
		require.NoError(t, s.CreateSession(ctx, old))
		require.NoError(t, s.CreateSession(ctx, newSession("later", start.Add(time.Hour), time.Hour)))
		n, err := s.DeleteExpiredSessions(ctx, start.Add(time.Hour))
		require.NoError(t, err)
		assert.Zero(t, n, "creating the later session already removed the expired one")
	})

	t.Run("SurvivesReopen", func(t *testing.T) {
		s2 := reopen(t)
		got, err := s2.Session(ctx, live.IDHash, start.Add(3*time.Hour))
		require.NoError(t, err)
		assert.Equal(t, a, got.Company)
	})

	t.Run("Logout", func(t *testing.T) {
		require.NoError(t, s.DeleteSession(ctx, live.IDHash))
		_, err := s.Session(ctx, live.IDHash, start)
		assert.ErrorIs(t, err, store.ErrNotFound)
		assert.NoError(t, s.DeleteSession(ctx, live.IDHash), "logging out twice is not an error")
	})
}

// testAuthenticateHash checks that a token found by its SHA-256 gives
// the same company as the token itself, and that revoking ends both.
func testAuthenticateHash(t *testing.T, f Factory) {
	s, _ := open(t, f)
	ctx := ctxT(t)
	a := company(t, s, "a")
	token, tok, err := s.CreateToken(ctx, a, "web")
	require.NoError(t, err)

	got, err := s.AuthenticateHash(ctx, sha256.Sum256([]byte(token)))
	require.NoError(t, err)
	assert.Equal(t, a, got)
	_, err = s.AuthenticateHash(ctx, sha256.Sum256([]byte(token+"x")))
	assert.ErrorIs(t, err, store.ErrUnauthorized)

	require.NoError(t, s.RevokeToken(ctx, a, tok.ID))
	_, err = s.AuthenticateHash(ctx, sha256.Sum256([]byte(token)))
	assert.ErrorIs(t, err, store.ErrUnauthorized)
}
