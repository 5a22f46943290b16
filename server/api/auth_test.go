package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/server/store"
	"github.com/bludispatcher/dispatcher/server/store/sqlite"
)

// tokenHandler returns the API on a fresh SQLite store with one company
// whose token is "secret", and the store.
func tokenHandler(t *testing.T) (http.Handler, store.Store, store.CompanyID) {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "d.db"))
	require.NoError(t, err)
	t.Cleanup(func() { st.Close() })
	co, err := st.CreateCompany(ctx, store.Company{Code: "acme", Name: "Acme"})
	require.NoError(t, err)
	_, err = st.PutToken(ctx, co.ID, "test", "secret")
	require.NoError(t, err)
	auth := func(ctx context.Context, token string) (Principal, error) {
		id, err := st.Authenticate(ctx, token)
		return Principal{ID: id, Code: "acme"}, err
	}
	h := New(Options{Store: st, Authenticate: auth, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	return h, st, co.ID
}

func get(h http.Handler, target, authorization string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, target, nil)
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestBearerSchemeIgnoresCase(t *testing.T) {
	h, _, _ := tokenHandler(t)
	for _, header := range []string{"Bearer secret", "bearer secret", "BEARER secret", "Bearer  secret"} {
		assert.Equal(t, http.StatusOK, get(h, "/api/v1/loads", header).Code, header)
	}
	for _, header := range []string{"Basic secret", "Bearer", "Bearer ", "bearer wrong", "Bearersecret"} {
		assert.Equal(t, http.StatusUnauthorized, get(h, "/api/v1/loads", header).Code, header)
	}
}

func TestLoadsFlowTakesList(t *testing.T) {
	h, st, co := tokenHandler(t)
	ctx := context.Background()
	for i, code := range []string{"PDO", "RFO", "PNO"} {
		data := []byte{byte(i)}
		sum := sha256.Sum256(data)
		tx, err := st.BeginLoad(ctx, store.LoadInfo{Company: co, Name: code + ".xml", FlowCode: code,
			SHA256: hex.EncodeToString(sum[:]), Original: bytes.NewReader(data)})
		require.NoError(t, err)
		_, err = tx.Commit(ctx)
		require.NoError(t, err)
	}
	cases := map[string][]string{
		"/api/v1/loads?flow=PDO,RFO":     {"RFO", "PDO"},
		"/api/v1/loads?flow=PNO":         {"PNO"},
		"/api/v1/loads?flow=PDO,%20,PNO": {"PNO", "PDO"},
	}
	for target, want := range cases {
		rec := get(h, target, "Bearer secret")
		require.Equal(t, http.StatusOK, rec.Code, target)
		var list listResponse[store.Load]
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &list))
		var got []string
		for _, l := range list.Items {
			got = append(got, l.FlowCode)
		}
		assert.Equal(t, want, got, target)
	}
}
