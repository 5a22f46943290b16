package web_test

import (
	"encoding/csv"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/flows"
	"github.com/bludispatcher/dispatcher/server/store"
	"github.com/bludispatcher/dispatcher/server/store/storetest"
)

// TestSearchSortsBeyondOneStorePage sorts a search of more matches than
// one store page (store.MaxLimit) by POD. Odd PODs fall in September and
// even ones in October, so the date order differs from the POD order.
func TestSearchSortsBeyondOneStorePage(t *testing.T) {
	const n = store.MaxLimit + 50
	st, acme, _ := newStore(t)
	loadRecords(t, st, acme, "PNO", func(yield func(*flows.Record) bool) {
		for i := n; i >= 1; i-- {
			month := "10/2025"
			if i%2 == 1 {
				month = "09/2025"
			}
			if !yield(&flows.Record{POD: flows.V(storetest.POD(i)), MonthYear: flows.V(month)}) {
				return
			}
		}
	})
	c := loggedIn(t, serve(t, st).URL, tokenAcme)

	podsOf := func(body string) []string {
		var pods []string
		for _, m := range podLinks.FindAllStringSubmatch(body, -1) {
			pods = append(pods, m[1])
		}
		return pods
	}
	podRange := func(from, to int) []string {
		var pods []string
		step := 1
		if to < from {
			step = -1
		}
		for i := from; i != to+step; i += step {
			pods = append(pods, storetest.POD(i))
		}
		return pods
	}

	t.Run("last page ascending", func(t *testing.T) {
		resp := c.get("/search?sort=pod&page=101")
		require.Equal(t, http.StatusOK, resp.status)
		assert.Contains(t, resp.body, "Righe 10.001–10.050 di 10.050")
		assert.Equal(t, podRange(10001, n), podsOf(resp.body))
		assert.NotContains(t, resp.body, `class="notice"`)
	})
	t.Run("first page descending", func(t *testing.T) {
		resp := c.get("/search?sort=pod&dir=desc")
		require.Equal(t, http.StatusOK, resp.status)
		assert.Equal(t, podRange(n, n-99), podsOf(resp.body))
	})
	t.Run("competence then POD", func(t *testing.T) {
		resp := c.get("/search?sort=competence&size=3")
		require.Equal(t, http.StatusOK, resp.status)
		assert.Equal(t, []string{storetest.POD(1), storetest.POD(3), storetest.POD(5)}, podsOf(resp.body))
	})
	t.Run("CSV export across store pages", func(t *testing.T) {
		resp := c.get("/search/export.csv?sort=pod")
		require.Equal(t, http.StatusOK, resp.status)
		r := csv.NewReader(strings.NewReader(strings.TrimPrefix(resp.body, "\ufeff")))
		r.Comma = ';'
		rows, err := r.ReadAll()
		require.NoError(t, err)
		require.Len(t, rows, n+1, "header and every match")
		var pods []string
		for _, row := range rows[1:] {
			pods = append(pods, row[0])
		}
		assert.Equal(t, podRange(1, n), pods)
	})
}
