package api

import (
	"context"
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

// TestNonTextParameterIsBadRequest sends query values and paths that are
// not valid UTF-8 or hold NUL. PostgreSQL text rejects them, so without
// the check they reached the store and failed as 500.
func TestNonTextParameterIsBadRequest(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "d.db"))
	require.NoError(t, err)
	t.Cleanup(func() { st.Close() })
	co, err := st.CreateCompany(ctx, store.Company{Code: "acme", Name: "Acme"})
	require.NoError(t, err)
	h := New(Options{Store: st, Anonymous: &Principal{ID: co.ID, Code: co.Code},
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))})

	cases := []struct {
		name, target, inError string
	}{
		{"invalid flow", "/api/v1/loads?flow=%FF", "flow"},
		{"NUL in flow", "/api/v1/loads?flow=PDO%00", "flow"},
		{"invalid pod", "/api/v1/records?pod=IT%E8", "pod"},
		{"NUL in sha256", "/api/v1/loads?sha256=%00", "sha256"},
		{"invalid parameter name", "/api/v1/loads?%FF=1", "parameter name"},
		{"invalid path", "/api/v1/pods/IT%FF/readings", "path"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, tc.target, nil))
			assert.Equal(t, http.StatusBadRequest, rec.Code)
			var body errorBody
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body))
			assert.Contains(t, body.Error, tc.inError)
		})
	}

	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/v1/loads?flow=PDO", nil))
	assert.Equal(t, http.StatusOK, rec.Code, "valid text passes")
}
