package storetest

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/flows"
	"github.com/bludispatcher/dispatcher/internal/anomaly"
	"github.com/bludispatcher/dispatcher/server/store"
)

// Factory returns a new, empty store and a function that opens a second,
// independent instance (its own connections) on the same database. The
// suite closes every store it gets.
type Factory func(t *testing.T) (s store.Store, reopen func(t *testing.T) store.Store)

// Run runs the conformance suite against the stores of f.
func Run(t *testing.T, f Factory) {
	tests := []struct {
		name string
		fn   func(t *testing.T, f Factory)
	}{
		{"Companies", testCompanies},
		{"Tokens", testTokens},
		{"AuthenticateHash", testAuthenticateHash},
		{"Sessions", testSessions},
		{"MigrationsIdempotent", testMigrationsIdempotent},
		{"LoadRoundTrip", testLoadRoundTrip},
		{"ValuesKeepAbsentEmptyZero", testValuesDistinct},
		{"CurveInstantsDST", testCurveDST},
		{"RecordAnomalies", testRecordAnomalies},
		{"FileLevelReject", testFileLevelReject},
		{"DuplicateAndOriginal", testDuplicate},
		{"DuplicateRepeats", testDuplicateRepeats},
		{"RejectedLoadsAgain", testRejectedLoadsAgain},
		{"NonUTF8Names", testNonUTF8Names},
		{"HashMismatch", testHashMismatch},
		{"RollbackLeavesNothing", testRollback},
		{"TxDone", testTxDone},
		{"CancelledLoad", testCancelledLoad},
		{"LargeOriginal", testLargeOriginal},
		{"TenantIsolation", testTenantIsolation},
		{"Corrections", testCorrections},
		{"SwitchingAndTechnical", testSwitching},
		{"ConsumptionsAndMeterChange", testConsumptions},
		{"ListLoadsFilters", testListLoads},
		{"SearchRecords", testSearchRecords},
		{"SearchRecordsSort", testSearchRecordsSort},
		{"Registry", testRegistry},
		{"Switches", testSwitches},
		{"Claims", testClaims},
		{"ClaimExpiry", testClaimExpiry},
		{"TwoInstancesRace", testTwoInstancesRace},
		{"Requests", testRequests},
		{"Domains", testDomains},
		{"AcciseLedger", testAcciseLedger},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, f) })
	}
}

// open returns a fresh store closed at the end of the test.
func open(t *testing.T, f Factory) (store.Store, func(t *testing.T) store.Store) {
	t.Helper()
	s, reopen := f(t)
	t.Cleanup(func() { s.Close() })
	return s, func(t *testing.T) store.Store {
		t.Helper()
		s2 := reopen(t)
		t.Cleanup(func() { s2.Close() })
		return s2
	}
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// company creates a company with the given code.
func company(t *testing.T, s store.Store, code string) store.CompanyID {
	t.Helper()
	c, err := s.CreateCompany(ctxT(t), store.Company{Code: code, Name: "Company " + code, VAT: "01234567890"})
	require.NoError(t, err)
	return c.ID
}

// item is one record to load with its anomalies.
type item struct {
	rec       *flows.Record
	anomalies anomaly.List
}

// load loads records as one file named name with the given bytes and
// returns the committed entry.
func load(t *testing.T, s store.Store, co store.CompanyID, name string, data []byte, h *flows.Header, items ...item) store.Load {
	t.Helper()
	ctx := ctxT(t)
	in := info(co, name, data)
	if h != nil {
		in.FlowCode = h.FlowCode.Text
	}
	tx, err := s.BeginLoad(ctx, in)
	require.NoError(t, err)
	for _, it := range items {
		_, err := tx.AddRecord(ctx, h, it.rec, it.anomalies)
		require.NoError(t, err)
	}
	l, err := tx.Commit(ctx)
	require.NoError(t, err)
	return l
}

func info(co store.CompanyID, name string, data []byte) store.LoadInfo {
	return store.LoadInfo{Company: co, Name: name, Path: "inbox/" + name, Size: int64(len(data)),
		SHA256: SHA256(data), Original: bytes.NewReader(data)}
}

// readOriginal downloads the original of a load.
func readOriginal(t *testing.T, s store.Store, co store.CompanyID, id store.LoadID) (store.Original, []byte) {
	t.Helper()
	o, rc, err := s.OpenOriginal(ctxT(t), co, id)
	require.NoError(t, err)
	defer rc.Close()
	b, err := io.ReadAll(rc)
	require.NoError(t, err)
	return o, b
}

func testCompanies(t *testing.T, f Factory) {
	s, _ := open(t, f)
	ctx := ctxT(t)
	a, err := s.CreateCompany(ctx, store.Company{Code: "acme", Name: "Acme Energia", VAT: "00000000001"})
	require.NoError(t, err)
	assert.NotZero(t, a.ID)
	_, err = s.CreateCompany(ctx, store.Company{Code: "acme", Name: "Other"})
	assert.ErrorIs(t, err, store.ErrConflict)
	_, err = s.CreateCompany(ctx, store.Company{Name: "No code"})
	assert.ErrorIs(t, err, store.ErrInvalid)

	got, err := s.CompanyByCode(ctx, "acme")
	require.NoError(t, err)
	assert.Equal(t, a.ID, got.ID)
	assert.Equal(t, "Acme Energia", got.Name)
	assert.Equal(t, "00000000001", got.VAT)
	byID, err := s.Company(ctx, a.ID)
	require.NoError(t, err)
	assert.Equal(t, got, byID)
	_, err = s.Company(ctx, a.ID+100)
	assert.ErrorIs(t, err, store.ErrNotFound)
	_, err = s.CompanyByCode(ctx, "nobody")
	assert.ErrorIs(t, err, store.ErrNotFound)

	b := company(t, s, "beta")
	list, err := s.ListCompanies(ctx)
	require.NoError(t, err)
	require.Len(t, list, 2)
	assert.Equal(t, a.ID, list[0].ID)
	assert.Equal(t, b, list[1].ID)
}

func testTokens(t *testing.T, f Factory) {
	s, _ := open(t, f)
	ctx := ctxT(t)
	a := company(t, s, "a")
	b := company(t, s, "b")

	token, tok, err := s.CreateToken(ctx, a, "billing")
	require.NoError(t, err)
	assert.NotEmpty(t, token)
	assert.Equal(t, a, tok.Company)
	got, err := s.Authenticate(ctx, token)
	require.NoError(t, err)
	assert.Equal(t, a, got)

	_, err = s.Authenticate(ctx, token+"x")
	assert.ErrorIs(t, err, store.ErrUnauthorized)
	_, err = s.Authenticate(ctx, "")
	assert.ErrorIs(t, err, store.ErrUnauthorized)
	// The stored hash is not itself a token.
	_, err = s.Authenticate(ctx, SHA256([]byte(token)))
	assert.ErrorIs(t, err, store.ErrUnauthorized)

	put, err := s.PutToken(ctx, b, "config", "secret-b")
	require.NoError(t, err)
	again, err := s.PutToken(ctx, b, "config", "secret-b")
	require.NoError(t, err)
	assert.Equal(t, put.ID, again.ID)
	_, err = s.PutToken(ctx, a, "steal", "secret-b")
	assert.ErrorIs(t, err, store.ErrConflict)
	_, err = s.PutToken(ctx, a+b+100, "nobody", "secret-x")
	assert.ErrorIs(t, err, store.ErrNotFound)
	got, err = s.Authenticate(ctx, "secret-b")
	require.NoError(t, err)
	assert.Equal(t, b, got)

	assert.ErrorIs(t, s.RevokeToken(ctx, b, tok.ID), store.ErrNotFound, "a company cannot revoke another's token")
	require.NoError(t, s.RevokeToken(ctx, a, tok.ID))
	_, err = s.Authenticate(ctx, token)
	assert.ErrorIs(t, err, store.ErrUnauthorized)
	require.NoError(t, s.RevokeToken(ctx, a, tok.ID), "revoking twice is not an error")
}

func testMigrationsIdempotent(t *testing.T, f Factory) {
	s, reopen := open(t, f)
	co := company(t, s, "m")
	data, _ := Original(1, 100)
	l := load(t, s, co, "a.xml", data, Header("PDO"))
	// Reopening runs the migrations again; they must find nothing to do
	// and keep the data.
	s2 := reopen(t)
	got, err := s2.Load(ctxT(t), co, l.ID)
	require.NoError(t, err)
	assert.Equal(t, l.SHA256, got.SHA256)
	s3 := reopen(t)
	_, err = s3.Company(ctxT(t), co)
	require.NoError(t, err)
}

// errReader fails after the first read.
type errReader struct{ n int }

func (r *errReader) Read(p []byte) (int, error) {
	if r.n > 0 {
		return 0, errors.New("disk read failed")
	}
	r.n++
	return copy(p, "<?xml"), nil
}
