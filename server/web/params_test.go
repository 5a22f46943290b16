package web_test

import (
	"html"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPagesInvalidParamText pins the message of each expected form on the
// 400 page, in both languages.
func TestPagesInvalidParamText(t *testing.T) {
	st, _, _ := newStore(t)
	c := loggedIn(t, serve(t, st).URL, tokenAcme)
	tests := []struct {
		path   string
		wantEN string
		wantIT string
	}{
		{path: "/loads?page=0",
			wantEN: `Invalid value for page: "0". Expected: a positive integer.`,
			wantIT: `Valore non valido per page: "0". Atteso: un numero intero positivo.`},
		{path: "/loads/1?size=-5",
			wantEN: `Invalid value for size: "-5". Expected: a positive integer.`,
			wantIT: `Valore non valido per size: "-5". Atteso: un numero intero positivo.`},
		{path: "/search?load=0",
			wantEN: `Invalid value for load: "0". Expected: a positive integer.`,
			wantIT: `Valore non valido per load: "0". Atteso: un numero intero positivo.`},
		{path: "/search?from=2025-02-29",
			wantEN: `Invalid value for from: "2025-02-29". Expected: a date as yyyy-mm-dd or dd/mm/yyyy.`,
			wantIT: `Valore non valido per from: "2025-02-29". Atteso: una data gg/mm/aaaa o aaaa-mm-gg.`},
		{path: "/search?from=2026-02-01&to=31/01/2026",
			wantEN: `Invalid value for to: "31/01/2026". Expected: a date not before the start date.`,
			wantIT: `Valore non valido per to: "31/01/2026". Atteso: una data non precedente a quella iniziale.`},
		{path: "/search?month=2026-13",
			wantEN: `Invalid value for month: "2026-13". Expected: a month as yyyy-mm, mm/yyyy or yyyymm.`,
			wantIT: `Valore non valido per month: "2026-13". Atteso: un mese mm/aaaa, aaaa-mm o aaaamm.`},
		{path: "/loads?status=done",
			wantEN: `Invalid value for status: "done". Expected: loaded, loaded_with_anomalies, rejected or duplicate.`,
			wantIT: `Valore non valido per status: "done". Atteso: loaded, loaded_with_anomalies, rejected o duplicate.`},
		{path: "/search?month=x&sort=name",
			wantEN: `Invalid value for month: "x". Expected: a month as yyyy-mm, mm/yyyy or yyyymm.`,
			wantIT: `Valore non valido per month: "x". Atteso: un mese mm/aaaa, aaaa-mm o aaaamm.`},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			en := c.get(tt.path + "&lang=en")
			require.Equal(t, http.StatusBadRequest, en.status)
			assert.Contains(t, html.UnescapeString(en.body), tt.wantEN)
			it := c.get(tt.path + "&lang=it")
			require.Equal(t, http.StatusBadRequest, it.status)
			assert.Contains(t, html.UnescapeString(it.body), tt.wantIT)
		})
	}
}
