package web

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
)

// Regression test: NUL bytes and invalid UTF-8 in a page's query reached the
// store, where PostgreSQL rejects them, and the page failed with 500.
func TestRequireTextRejectsNULAndInvalidUTF8(t *testing.T) {
	reached := false
	h := requireText(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { reached = true }))
	tests := []struct {
		target string
		want   int
	}{
		{"/search?pod=%00", http.StatusBadRequest},
		{"/search?pod=%FF%FE", http.StatusBadRequest},
		{"/search?%FF=1", http.StatusBadRequest},
		{"/pods/%00", http.StatusBadRequest},
		{"/search?pod=IT001E00000001", http.StatusOK},
		{"/search?site=Città", http.StatusOK},
	}
	for _, tt := range tests {
		reached = false
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, tt.target, nil))
		assert.Equal(t, tt.want, rec.Code, tt.target)
		assert.Equal(t, tt.want == http.StatusOK, reached, tt.target)
	}
}
