package requests

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/distributor"
	"github.com/bludispatcher/dispatcher/server/config"
	"github.com/bludispatcher/dispatcher/server/store"
	"github.com/bludispatcher/dispatcher/server/store/sqlite"
)

// newService returns a Service over a new SQLite store with one company
// that uses the shipped e-distribuzione profile, and the company's outbox.
func newService(t *testing.T) (*Service, store.CompanyID, string) {
	t.Helper()
	dir := t.TempDir()
	st, err := sqlite.Open(context.Background(), filepath.Join(dir, "d.db"))
	require.NoError(t, err)
	t.Cleanup(func() { st.Close() })
	co, err := st.CreateCompany(context.Background(), store.Company{Code: "acme", Name: "Acme"})
	require.NoError(t, err)
	s := New(st, slog.New(slog.NewTextHandler(io.Discard, nil)))
	s.Now = func() time.Time { return time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC) }
	outbox := filepath.Join(dir, "outbox")
	require.NoError(t, s.AddCompany(co.ID, "acme", &config.Distributors{Profiles: []string{"e-distribuzione"}, Outbox: outbox}))
	return s, co.ID, outbox
}

// a01 reads the A01 request of the distributor package's test data.
func a01(t *testing.T, caseNumber string) *distributor.Request {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "..", "distributor", "testdata", "requests", "A01.json"))
	require.NoError(t, err)
	defer f.Close()
	req, err := distributor.DecodeRequestJSON(f)
	require.NoError(t, err)
	req.IDs.CaseNumber = caseNumber
	return req
}

func TestAddCompanyRejectsBadProfiles(t *testing.T) {
	s := New(nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
	err := s.AddCompany(1, "acme", &config.Distributors{Profiles: []string{"nope"}, Outbox: "/out"})
	assert.ErrorContains(t, err, `no shipped distributor profile "nope"`)
	err = s.AddCompany(1, "acme", &config.Distributors{Profiles: []string{"unareti", "unareti"}, Outbox: "/out"})
	assert.ErrorContains(t, err, "configured twice")
	err = s.AddCompany(1, "acme", &config.Distributors{ProfileFiles: []string{"/missing.json"}, Outbox: "/out"})
	assert.ErrorContains(t, err, "missing.json")
	assert.NoError(t, s.AddCompany(2, "other", nil))
	assert.Nil(t, s.OutcomeProfile(2))
}

func TestSubmitWritesZippedFile(t *testing.T) {
	s, co, outbox := newService(t)
	r, err := s.Submit(context.Background(), co, "e-distribuzione", a01(t, "CASE-1"))
	require.NoError(t, err)
	assert.Equal(t, distributor.StateSent, r.State)
	assert.Equal(t, "01234567897_A01_0050_20261201_000001.zip", r.File.Name)
	assert.Equal(t, "01234567897_A01_0050_20261201_000001.xml", r.File.Inner)

	data, err := os.ReadFile(filepath.Join(outbox, filepath.FromSlash(r.File.Folder), r.File.Name))
	require.NoError(t, err)
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	require.NoError(t, err)
	require.Len(t, zr.File, 1)
	assert.Equal(t, r.File.Inner, zr.File[0].Name)
	assertNoTempFiles(t, outbox)
}

func TestSubmitRejectsFileInOutbox(t *testing.T) {
	s, co, outbox := newService(t)
	// A file left in the outbox under the next name is not overwritten.
	folder := filepath.Join(outbox, "e-distribuzione", "A01")
	require.NoError(t, os.MkdirAll(folder, 0o750))
	stale := filepath.Join(folder, "01234567897_A01_0050_20261201_000001.zip")
	require.NoError(t, os.WriteFile(stale, []byte("stale"), 0o600))

	_, err := s.Submit(context.Background(), co, "e-distribuzione", a01(t, "CASE-1"))
	assert.ErrorIs(t, err, store.ErrConflict)
	data, err := os.ReadFile(stale)
	require.NoError(t, err)
	assert.Equal(t, "stale", string(data))
	assertNoTempFiles(t, outbox)

	_, err = s.store.Request(context.Background(), co, "CASE-1")
	assert.ErrorIs(t, err, store.ErrNotFound)
}

func TestSubmitRejectsUnknownProfile(t *testing.T) {
	s, co, _ := newService(t)
	_, err := s.Submit(context.Background(), co, "unareti", a01(t, "CASE-1"))
	assert.ErrorIs(t, err, ErrUnknownProfile)
	assert.ErrorIs(t, err, distributor.ErrProfile)
	_, err = s.Submit(context.Background(), co+1, "e-distribuzione", a01(t, "CASE-1"))
	assert.ErrorIs(t, err, ErrUnknownProfile)
}

func TestSubmitInvalidWritesNothing(t *testing.T) {
	s, co, outbox := newService(t)
	req := a01(t, "CASE-1")
	req.Technical.POD = ""
	_, err := s.Submit(context.Background(), co, "e-distribuzione", req)
	var invalid *distributor.InvalidRequestError
	require.ErrorAs(t, err, &invalid)
	assert.NotEmpty(t, invalid.Anomalies)
	_, err = os.Stat(outbox)
	assert.True(t, os.IsNotExist(err), "outbox created for an invalid request")
}

func assertNoTempFiles(t *testing.T, dir string) {
	t.Helper()
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		assert.NotContains(t, d.Name(), ".tmp-", "temporary file left: %s", path)
		return nil
	})
	require.NoError(t, err)
}
