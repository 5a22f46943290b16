package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/flows"
	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/server/store"
	"github.com/bludispatcher/dispatcher/server/store/storetest"
	"github.com/bludispatcher/dispatcher/server/web"
)

// benchSearchRows is the size of the search benchmark's result.
const benchSearchRows = 10000

// benchHandler returns the web handler on st and the session cookie of a
// login as acme.
func benchHandler(b *testing.B, st store.Store) (http.Handler, *http.Cookie) {
	b.Helper()
	h, err := web.New(web.Options{Store: st, Authenticate: authenticator(st)})
	require.NoError(b, err)
	srv := httptest.NewServer(h)
	defer srv.Close()
	c := loggedIn(b, srv.URL, tokenAcme)
	u, err := url.Parse(srv.URL)
	require.NoError(b, err)
	for _, ck := range c.http.Jar.Cookies(u) {
		if ck.Name == "dispatcher_session" {
			return h, ck
		}
	}
	b.Fatal("no session cookie after login")
	return nil, nil
}

// loadRecords stores recs as one load of acme.
func loadRecords(b testing.TB, st store.Store, co store.Company, code string, recs func(yield func(*flows.Record) bool)) {
	b.Helper()
	ctx := context.Background()
	data, sum := storetest.Original(int(co.ID)*1000+len(code), 256)
	tx, err := st.BeginLoad(ctx, store.LoadInfo{Company: co.ID, Name: code + ".xml", Path: code + ".xml",
		Size: int64(len(data)), SHA256: sum, FlowCode: code, Original: strings.NewReader(string(data))})
	require.NoError(b, err)
	for r := range recs {
		_, err := tx.AddRecord(ctx, storetest.Header(code), r, nil)
		require.NoError(b, err)
	}
	_, err = tx.Commit(ctx)
	require.NoError(b, err)
}

// serveOnce renders path and checks the status.
func serveOnce(b *testing.B, h http.Handler, cookie *http.Cookie, path string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.AddCookie(cookie)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		b.Fatalf("GET %s: status %d", path, rec.Code)
	}
	return rec
}

// BenchmarkPODCurveMonth renders the curve tab of a POD for October 2025:
// 2,980 quarter-hours (31 days, one of them 25 hours long) drawn as SVG,
// with the table of daily totals.
func BenchmarkPODCurveMonth(b *testing.B) {
	st, acme, _ := newStore(b)
	pod := storetest.POD(1)
	loadRecords(b, st, acme, "PDO", func(yield func(*flows.Record) bool) {
		yield(storetest.HourlyRecord(pod, civil.Month{Year: 2025, Month: 10}, 1))
	})
	h, cookie := benchHandler(b, st)
	path := "/pods/" + pod + "?tab=curve&view=month&date=2025-10-01"
	first := serveOnce(b, h, cookie, path)
	require.Contains(b, first.Body.String(), `data-points="2980"`)
	b.SetBytes(int64(first.Body.Len()))
	b.ReportAllocs()
	for b.Loop() {
		serveOnce(b, h, cookie, path)
	}
}

// BenchmarkSearch10000 renders pages of a search that matches 10,000
// records: the first page in date order, the last page in reverse date
// order, and the first page sorted by POD. The store sorts and pages all
// three.
func BenchmarkSearch10000(b *testing.B) {
	st, acme, _ := newStore(b)
	month := civil.Month{Year: 2025, Month: 10}
	loadRecords(b, st, acme, "PNO", func(yield func(*flows.Record) bool) {
		for i := range benchSearchRows {
			r := &flows.Record{POD: flows.V(storetest.POD(benchSearchRows - i)), MonthYear: flows.V(month.Italian())}
			if !yield(r) {
				return
			}
		}
	})
	h, cookie := benchHandler(b, st)
	for _, bc := range []struct{ name, query string }{
		{"date", "month=2025-10"},
		{"date-desc-last", fmt.Sprintf("month=2025-10&dir=desc&page=%d", benchSearchRows/100)},
		{"pod", "month=2025-10&sort=pod"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			path := "/search?" + bc.query
			first := serveOnce(b, h, cookie, path)
			require.Contains(b, first.Body.String(), "di 10.000")
			b.SetBytes(int64(first.Body.Len()))
			b.ReportAllocs()
			for b.Loop() {
				serveOnce(b, h, cookie, path)
			}
		})
	}
}
