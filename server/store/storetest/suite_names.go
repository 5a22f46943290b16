package storetest

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/internal/anomaly"
	"github.com/bludispatcher/dispatcher/server/store"
)

// testNonUTF8Names loads a file whose name is not valid UTF-8 and whose
// anomaly values hold invalid bytes and NUL, as Latin-1 names on disk
// and broken files do. PostgreSQL text accepts neither, so every store
// keeps a display form and an escaped path.
func testNonUTF8Names(t *testing.T, f Factory) {
	s, _ := open(t, f)
	ctx := ctxT(t)
	co := company(t, s, "names")
	data, sum := Original(90, 100)
	in := store.LoadInfo{Company: co, Name: "caff\xe8.xml", Path: "inbox/caff\xe8.xml", Size: int64(len(data)),
		SHA256: sum, Original: bytes.NewReader(data)}
	tx, err := s.BeginLoad(ctx, in)
	require.NoError(t, err)
	require.NoError(t, tx.AddAnomalies(ctx, anomaly.List{{Code: "X", Rule: "r\xff", Severity: anomaly.Warning,
		Level: anomaly.FileLevel, File: "caff\xe8.xml", Field: "F", Value: "a\x00b\xff", Message: "bad \xe8"}}))
	l, err := tx.Commit(ctx)
	require.NoError(t, err)
	assert.Equal(t, "caff\uFFFD.xml", l.Name)
	assert.Equal(t, `inbox/caff\xe8.xml`, l.Path, "the raw bytes can be read back from the path")

	anomalies, _, err := s.Anomalies(ctx, co, l.ID, store.Page{})
	require.NoError(t, err)
	require.Len(t, anomalies, 1)
	assert.Equal(t, "caff\uFFFD.xml", anomalies[0].File)
	assert.Equal(t, "a\uFFFDb\uFFFD", anomalies[0].Value)
	assert.Equal(t, "r\uFFFD", anomalies[0].Rule)

	o, got := readOriginal(t, s, co, l.ID)
	assert.Equal(t, data, got)
	assert.Equal(t, "caff\uFFFD.xml", o.Name)

	// Two names that differ only in their invalid bytes are two claims.
	a, err := s.Claim(ctx, claimReq(co, "flows:caff\xe8.xml@1@1", sum, "one", time.Minute))
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(a.Path, store.ClaimKeyPrefix), a.Path)
	_, err = s.Claim(ctx, claimReq(co, "flows:caff\xe9.xml@1@1", sum, "two", time.Minute))
	require.NoError(t, err)
	_, err = s.Claim(ctx, claimReq(co, "flows:caff\xe8.xml@1@1", sum, "two", time.Minute))
	assert.ErrorIs(t, err, store.ErrClaimed)
	_, err = s.RenewClaim(ctx, a, time.Minute)
	require.NoError(t, err)
	require.NoError(t, s.ReleaseClaim(ctx, a))
}
