package web_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/bludispatcher/dispatcher/server/api"
	"github.com/bludispatcher/dispatcher/server/web"
)

func TestLoginRequiredAndRedirect(t *testing.T) {
	f := newFixture(t)
	c := newClient(t, f.srv.URL)
	for _, path := range []string{"/loads", "/search", "/pods/" + genPOD, fmt.Sprintf("/loads/%d/original", f.hostileLoad)} {
		resp := c.get(path)
		assert.Equal(t, http.StatusSeeOther, resp.status, path)
		assert.Equal(t, "/login?next="+url.QueryEscape(path), resp.header.Get("Location"), path)
	}
}

func TestLoginSessionCookie(t *testing.T) {
	f := newFixture(t)
	c := newClient(t, f.srv.URL)
	page := c.get("/login")
	require.Equal(t, http.StatusOK, page.status)
	assert.Contains(t, page.body, "Token API dell&#39;azienda")

	resp := c.post("/login", url.Values{"token": {tokenAcme}, "csrf": {formToken(t, page.body)}, "next": {"/search?pod=" + genPOD}})
	require.Equal(t, http.StatusSeeOther, resp.status)
	assert.Equal(t, "/search?pod="+genPOD, resp.header.Get("Location"))
	var cookie string
	for _, c := range resp.header.Values("Set-Cookie") {
		if strings.HasPrefix(c, "dispatcher_session=") {
			cookie = c
		}
	}
	assert.Contains(t, cookie, "dispatcher_session=")
	assert.Contains(t, cookie, "HttpOnly")
	assert.Contains(t, cookie, "SameSite=Strict")
	assert.NotContains(t, cookie, "Secure", "plain HTTP on loopback")

	loads := c.get("/loads")
	assert.Equal(t, http.StatusOK, loads.status)
	assert.Contains(t, loads.body, "Acme Energia")
}

func TestLoginRejects(t *testing.T) {
	f := newFixture(t)
	t.Run("wrong token", func(t *testing.T) {
		c := newClient(t, f.srv.URL)
		page := c.get("/login")
		resp := c.post("/login", url.Values{"token": {"nope"}, "csrf": {formToken(t, page.body)}})
		assert.Equal(t, http.StatusUnauthorized, resp.status)
		assert.Contains(t, resp.body, "Token sconosciuto o revocato.")
		assert.NotContains(t, resp.header.Values("Set-Cookie"), "dispatcher_session=")
	})
	t.Run("missing form token", func(t *testing.T) {
		c := newClient(t, f.srv.URL)
		c.get("/login")
		resp := c.post("/login", url.Values{"token": {tokenAcme}})
		assert.Equal(t, http.StatusForbidden, resp.status)
	})
	t.Run("form token without its cookie", func(t *testing.T) {
		page := newClient(t, f.srv.URL).get("/login")
		resp := newClient(t, f.srv.URL).post("/login", url.Values{"token": {tokenAcme}, "csrf": {formToken(t, page.body)}})
		assert.Equal(t, http.StatusForbidden, resp.status)
	})
	t.Run("foreign origin", func(t *testing.T) {
		c := newClient(t, f.srv.URL)
		page := c.get("/login")
		req, err := http.NewRequest(http.MethodPost, f.srv.URL+"/login",
			strings.NewReader(url.Values{"token": {tokenAcme}, "csrf": {formToken(t, page.body)}}.Encode()))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", "http://evil.example")
		assert.Equal(t, http.StatusForbidden, c.do(req).status)
	})
	t.Run("next off site", func(t *testing.T) {
		c := newClient(t, f.srv.URL)
		page := c.get("/login")
		resp := c.post("/login", url.Values{"token": {tokenAcme}, "csrf": {formToken(t, page.body)}, "next": {"//evil.example/x"}})
		assert.Equal(t, http.StatusSeeOther, resp.status)
		assert.Equal(t, "/loads", resp.header.Get("Location"))
	})
	t.Run("next cleaned to a backslash", func(t *testing.T) {
		// http.Redirect cleans /a/../\evil.example to /\evil.example,
		// which browsers follow to the host evil.example.
		c := newClient(t, f.srv.URL)
		page := c.get("/login")
		resp := c.post("/login", url.Values{"token": {tokenAcme}, "csrf": {formToken(t, page.body)}, "next": {"/a/../\\evil.example"}})
		assert.Equal(t, http.StatusSeeOther, resp.status)
		assert.Equal(t, "/loads", resp.header.Get("Location"))
	})
}

func TestLogout(t *testing.T) {
	f := newFixture(t)
	c := loggedIn(t, f.srv.URL, tokenAcme)
	page := c.get("/loads")
	require.Equal(t, http.StatusOK, page.status)

	assert.Equal(t, http.StatusForbidden, c.post("/logout", url.Values{"csrf": {"wrong"}}).status, "logout without the session's form token")
	assert.Equal(t, http.StatusOK, c.get("/loads").status, "still logged in")

	resp := c.post("/logout", url.Values{"csrf": {formToken(t, page.body)}})
	assert.Equal(t, http.StatusSeeOther, resp.status)
	assert.Equal(t, http.StatusSeeOther, c.get("/loads").status, "logged out")
}

func TestSecurityHeaders(t *testing.T) {
	f := newFixture(t)
	resp := newClient(t, f.srv.URL).get("/login")
	csp := resp.header.Get("Content-Security-Policy")
	assert.Contains(t, csp, "default-src 'none'")
	assert.NotContains(t, csp, "script-src")
	assert.Equal(t, "nosniff", resp.header.Get("X-Content-Type-Options"))
	assert.Equal(t, "DENY", resp.header.Get("X-Frame-Options"))
}

func TestLoadLogPage(t *testing.T) {
	f := newFixture(t)
	c := loggedIn(t, f.srv.URL, tokenAcme)

	resp := c.get("/loads")
	require.Equal(t, http.StatusOK, resp.status)
	assert.Contains(t, resp.body, "Registro caricamenti")
	assert.Contains(t, resp.body, "_PDO_", "generated PDO file listed")
	assert.Contains(t, resp.body, "&lt;script&gt;alert(1)&lt;/script&gt;.xml")
	assert.NotContains(t, resp.body, "<script>")
	assert.Contains(t, resp.body, fmt.Sprintf(`href="/loads/%d/original"`, f.hostileLoad))
	assert.NotContains(t, resp.body, "Other Luce", "only the viewer's company")

	t.Run("status filter", func(t *testing.T) {
		resp := c.get("/loads?status=rejected")
		require.Equal(t, http.StatusOK, resp.status)
		assert.NotContains(t, resp.body, "_PDO_")
	})
	t.Run("flow filter", func(t *testing.T) {
		resp := c.get("/loads?flow=rfo")
		require.Equal(t, http.StatusOK, resp.status)
		assert.Contains(t, resp.body, "_RFO_")
		assert.NotContains(t, resp.body, "_PDO_")
	})
	t.Run("period filter", func(t *testing.T) {
		resp := c.get("/loads?from=2001-01-01&to=2001-01-31")
		require.Equal(t, http.StatusOK, resp.status)
		assert.Contains(t, resp.body, "Nessun file caricato")
	})
	t.Run("own company", func(t *testing.T) {
		assert.Equal(t, http.StatusOK, c.get("/loads?company=acme").status)
	})
	t.Run("other company", func(t *testing.T) {
		assert.Equal(t, http.StatusNotFound, c.get("/loads?company=other").status)
	})
	t.Run("invalid status", func(t *testing.T) {
		resp := c.get("/loads?status=<b>x</b>")
		assert.Equal(t, http.StatusBadRequest, resp.status)
		assert.NotContains(t, resp.body, "<b>x</b>")
	})
	t.Run("paged", func(t *testing.T) {
		resp := c.get("/loads?size=2")
		require.Equal(t, http.StatusOK, resp.status)
		assert.Contains(t, resp.body, "Righe 1–2 di 7")
		assert.Contains(t, resp.body, `rel="next" href="?page=2&amp;size=2"`)
	})
}

func TestLoadDetailPage(t *testing.T) {
	f := newFixture(t)
	c := loggedIn(t, f.srv.URL, tokenAcme)
	resp := c.get(fmt.Sprintf("/loads/%d", f.hostileLoad))
	require.Equal(t, http.StatusOK, resp.status)
	assert.NotContains(t, resp.body, "<script>")
	assert.NotContains(t, resp.body, "<b>904</b>")
	assert.Contains(t, resp.body, "bad &lt;script&gt;alert(4)&lt;/script&gt; value")
	assert.Contains(t, resp.body, "&lt;u&gt;field&lt;/u&gt;")
	assert.Contains(t, resp.body, "Avviso")

	assert.Equal(t, http.StatusNotFound, c.get("/loads/abc").status)
	assert.Equal(t, http.StatusNotFound, c.get("/loads/99999").status)
	assert.Equal(t, http.StatusNotFound, c.get(fmt.Sprintf("/loads/%d", f.otherLoad)).status, "another company's load")
}

func TestOriginalDownload(t *testing.T) {
	f := newFixture(t)
	c := loggedIn(t, f.srv.URL, tokenAcme)
	resp := c.get(fmt.Sprintf("/loads/%d/original", f.hostileLoad))
	require.Equal(t, http.StatusOK, resp.status)
	assert.True(t, strings.HasPrefix(resp.body, "<?xml"), "the stored bytes")
	assert.Contains(t, resp.header.Get("Content-Disposition"), "attachment")
	assert.NotContains(t, resp.header.Get("Content-Disposition"), "/script")

	assert.Equal(t, http.StatusNotFound, c.get(fmt.Sprintf("/loads/%d/original", f.otherLoad)).status,
		"another company's original")
	other := loggedIn(t, f.srv.URL, tokenOther)
	assert.Equal(t, http.StatusNotFound, other.get(fmt.Sprintf("/loads/%d/original", f.hostileLoad)).status)
	assert.Equal(t, http.StatusOK, other.get(fmt.Sprintf("/loads/%d/original", f.otherLoad)).status)
}

func TestSearchPage(t *testing.T) {
	f := newFixture(t)
	c := loggedIn(t, f.srv.URL, tokenAcme)

	resp := c.get("/search?pod=" + strings.ToLower(genPOD))
	require.Equal(t, http.StatusOK, resp.status)
	assert.Contains(t, resp.body, `href="/pods/`+genPOD+`"`)
	assert.Contains(t, resp.body, "10/2025", "competence month in Italian")

	t.Run("month and flow", func(t *testing.T) {
		resp := c.get("/search?month=" + genMonthOc + "&flow=PDO")
		require.Equal(t, http.StatusOK, resp.status)
		assert.Contains(t, resp.body, "Righe 1–2 di 2")
	})
	t.Run("period", func(t *testing.T) {
		resp := c.get("/search?from=2025-03-01&to=2025-03-31&flow=PDO")
		require.Equal(t, http.StatusOK, resp.status)
		assert.Contains(t, resp.body, "03/2025")
		assert.NotContains(t, resp.body, "10/2025")
	})
	t.Run("site without registry", func(t *testing.T) {
		resp := c.get("/search?site=S1")
		require.Equal(t, http.StatusOK, resp.status)
		assert.Contains(t, resp.body, "Nessun record trovato.")
	})
	t.Run("sorted by POD descending", func(t *testing.T) {
		resp := c.get("/search?sort=pod&dir=desc")
		require.Equal(t, http.StatusOK, resp.status)
		pods := podLinks.FindAllStringSubmatch(resp.body, -1)
		require.NotEmpty(t, pods)
		for i := 1; i < len(pods); i++ {
			assert.GreaterOrEqual(t, pods[i-1][1], pods[i][1], "row %d", i)
		}
		assert.Contains(t, resp.body, `aria-sort="descending"`)
	})
	t.Run("date descending pages from the end", func(t *testing.T) {
		asc := c.get("/search?size=1")
		desc := c.get("/search?size=1&dir=desc")
		require.Equal(t, http.StatusOK, desc.status)
		last := c.get("/search?size=1&page=" + totalOf(t, asc.body))
		assert.Equal(t, rowsOf(last.body), rowsOf(desc.body))
	})
	t.Run("hostile POD escaped", func(t *testing.T) {
		resp := c.get(fmt.Sprintf("/search?load=%d", f.hostileLoad))
		require.Equal(t, http.StatusOK, resp.status)
		assert.NotContains(t, resp.body, "<SVG")
		assert.Contains(t, resp.body, "&#34;&gt;&lt;SVG ONLOAD=ALERT(5)&gt;")
		assert.Contains(t, resp.body, `href="/pods/%22%3e%3cSVG%20ONLOAD=ALERT%285%29%3e"`)

		page := c.get("/pods/" + url.PathEscape(hostilePOD) + "?tab=readings")
		require.Equal(t, http.StatusOK, page.status)
		assert.NotContains(t, page.body, "<SVG")
		assert.Contains(t, page.body, "&#34;&gt;&lt;SVG ONLOAD=ALERT(5)&gt;")
	})
	t.Run("invalid month", func(t *testing.T) {
		resp := c.get("/search?month=13/2025")
		assert.Equal(t, http.StatusBadRequest, resp.status)
		assert.Contains(t, resp.body, "Valore non valido per month: &#34;13/2025&#34;. Atteso: un mese mm/aaaa")
		en := c.get("/search?month=13/2025&lang=en")
		assert.Contains(t, en.body, "Invalid value for month: &#34;13/2025&#34;. Expected: a month as yyyy-mm")
		c.get("/search?lang=it")
	})
	t.Run("invalid sort", func(t *testing.T) {
		assert.Equal(t, http.StatusBadRequest, c.get("/search?sort=name").status)
	})
	t.Run("other company", func(t *testing.T) {
		assert.Equal(t, http.StatusNotFound, c.get("/search?company=other").status)
		resp := c.get("/search?pod=" + otherPOD)
		assert.Contains(t, resp.body, "Nessun record trovato.")
	})
}

var (
	podLinks = regexp.MustCompile(`<td><a href="/pods/([A-Z0-9]+)">`)
	totalRe  = regexp.MustCompile(`Righe [0-9.]+–[0-9.]+ di ([0-9.]+)`)
	rowRe    = regexp.MustCompile(`(?s)<tbody>(.*?)</tbody>`)
)

func totalOf(t *testing.T, body string) string {
	m := totalRe.FindStringSubmatch(body)
	require.NotNil(t, m)
	return strings.ReplaceAll(m[1], ".", "")
}

func rowsOf(body string) string {
	m := rowRe.FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return m[1]
}

func TestSearchExportCSV(t *testing.T) {
	f := newFixture(t)
	c := loggedIn(t, f.srv.URL, tokenAcme)
	resp := c.get("/search/export.csv?pod=" + genPOD + "&sort=flow")
	require.Equal(t, http.StatusOK, resp.status)
	assert.Equal(t, "text/csv; charset=utf-8", resp.header.Get("Content-Type"))
	assert.Contains(t, resp.header.Get("Content-Disposition"), ".csv")

	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(resp.body, "\ufeff")))
	r.Comma = ';'
	rows, err := r.ReadAll()
	require.NoError(t, err)
	require.Greater(t, len(rows), 1)
	assert.Equal(t, []string{"POD", "Flusso", "Tipo", "Competenza"}, rows[0][:4])
	for _, row := range rows[1:] {
		assert.Equal(t, genPOD, row[0])
	}
	for i := 2; i < len(rows); i++ {
		assert.LessOrEqual(t, rows[i-1][1], rows[i][1], "sorted by flow")
	}

	t.Run("english", func(t *testing.T) {
		resp := c.get("/search/export.csv?pod=" + genPOD + "&lang=en")
		r := csv.NewReader(strings.NewReader(strings.TrimPrefix(resp.body, "\ufeff")))
		rows, err := r.ReadAll()
		require.NoError(t, err)
		assert.Equal(t, []string{"POD", "Flow", "Kind", "Competence"}, rows[0][:4])
	})
}

func TestSearchExportXLSX(t *testing.T) {
	f := newFixture(t)
	c := loggedIn(t, f.srv.URL, tokenAcme)
	resp := c.get("/search/export.xlsx?month=" + genMonthOc)
	require.Equal(t, http.StatusOK, resp.status)
	book, err := excelize.OpenReader(bytes.NewReader([]byte(resp.body)))
	require.NoError(t, err)
	defer book.Close()
	rows, err := book.GetRows("Record")
	require.NoError(t, err)
	require.Greater(t, len(rows), 1)
	assert.Equal(t, "POD", rows[0][0])
	for _, row := range rows[1:] {
		assert.Contains(t, row[3], "10/2025", "competence of %v", row)
	}
}

func TestPODPageTabs(t *testing.T) {
	f := newFixture(t)
	c := loggedIn(t, f.srv.URL, tokenAcme)
	tests := []struct {
		tab  string
		want []string
	}{
		{"readings", []string{"Letture", "EaF1", "PDO"}},
		{"curve", []string{`<svg class="curve"`, "polyline"}},
		{"consumptions", []string{"Consumi"}},
		{"corrections", []string{"Motivazione", "Prima (dato sostituito)", "Dopo (rettifica)"}},
		{"switching", []string{"Dati storici", "SOS"}},
		{"technical", []string{"Dati tecnici", "Tensione"}},
	}
	for _, tt := range tests {
		t.Run(tt.tab, func(t *testing.T) {
			resp := c.get("/pods/" + genPOD + "?tab=" + tt.tab)
			require.Equal(t, http.StatusOK, resp.status, resp.body)
			for _, w := range tt.want {
				assert.Contains(t, resp.body, w)
			}
			assert.Contains(t, resp.body, `aria-current="page">`)
		})
	}
	t.Run("unknown tab", func(t *testing.T) {
		assert.Equal(t, http.StatusNotFound, c.get("/pods/"+genPOD+"?tab=nope").status)
	})
	t.Run("hostile technical field escaped", func(t *testing.T) {
		resp := c.get("/pods/IT001E00000042?tab=technical")
		require.Equal(t, http.StatusOK, resp.status)
		assert.Contains(t, resp.body, "&#34;&gt;&lt;img src=x onerror=alert(2)&gt;")
		assert.NotContains(t, resp.body, "<img")
	})
	t.Run("reason meaning", func(t *testing.T) {
		resp := c.get("/pods/" + genPOD + "?tab=corrections")
		assert.Regexp(t, `Motivazione [1-6]: (sostituisce|misura|ricostruzione)`, resp.body)
	})
}

func TestPODPageOtherCompany(t *testing.T) {
	f := newFixture(t)
	other := loggedIn(t, f.srv.URL, tokenOther)
	for _, tab := range []string{"readings", "curve", "corrections", "technical"} {
		assert.Equal(t, http.StatusNotFound, other.get("/pods/"+genPOD+"?tab="+tab).status, tab)
	}
	assert.Equal(t, http.StatusOK, other.get("/pods/"+otherPOD).status, "its own POD")
	acme := loggedIn(t, f.srv.URL, tokenAcme)
	assert.Equal(t, http.StatusNotFound, acme.get("/pods/"+otherPOD).status)
}

var (
	dataPoints = regexp.MustCompile(`data-points="([0-9]+)"`)
	polyPoints = regexp.MustCompile(`<polyline class="series" points="([^"]*)"`)
)

// plotted returns the data-points attribute and the number of coordinates
// in the chart's polylines.
func plotted(t *testing.T, body string) (int, int) {
	t.Helper()
	m := dataPoints.FindStringSubmatch(body)
	require.NotNil(t, m, "no chart")
	declared, err := strconv.Atoi(m[1])
	require.NoError(t, err)
	drawn := 0
	for _, p := range polyPoints.FindAllStringSubmatch(body, -1) {
		drawn += len(strings.Fields(p[1]))
	}
	return declared, drawn
}

func TestCurveDSTPoints(t *testing.T) {
	f := newFixture(t)
	c := loggedIn(t, f.srv.URL, tokenAcme)
	tests := []struct {
		day  string
		want int
		// clock is a wall-clock label only that day has.
		clock string
	}{
		{normalDay, 96, "00:00 CEST"},
		{springDay, 92, "03:00 CEST"},
		{autumnDay, 100, "02:45 CET"},
	}
	for _, tt := range tests {
		t.Run(tt.day, func(t *testing.T) {
			resp := c.get("/pods/" + genPOD + "?tab=curve&view=day&date=" + tt.day)
			require.Equal(t, http.StatusOK, resp.status)
			declared, drawn := plotted(t, resp.body)
			assert.Equal(t, tt.want, declared)
			assert.Equal(t, tt.want, drawn)
			assert.Contains(t, resp.body, tt.clock)
		})
	}
	t.Run("month", func(t *testing.T) {
		resp := c.get("/pods/" + genPOD + "?tab=curve&view=month&date=" + autumnDay)
		require.Equal(t, http.StatusOK, resp.status)
		declared, drawn := plotted(t, resp.body)
		assert.Equal(t, 31*96+4, declared, "October 2025 has one 25-hour day")
		assert.Equal(t, declared, drawn)
	})
	t.Run("week", func(t *testing.T) {
		resp := c.get("/pods/" + genPOD + "?tab=curve&view=week&date=" + springDay)
		require.Equal(t, http.StatusOK, resp.status)
		declared, _ := plotted(t, resp.body)
		assert.Equal(t, 6*96+92, declared, "the week of 24–30 March 2025")
	})
	t.Run("invalid view", func(t *testing.T) {
		assert.Equal(t, http.StatusBadRequest, c.get("/pods/"+genPOD+"?tab=curve&view=year").status)
	})
	t.Run("invalid kind", func(t *testing.T) {
		assert.Equal(t, http.StatusBadRequest, c.get("/pods/"+genPOD+"?tab=curve&kind=Xx").status)
	})
}

func TestLanguageSwitch(t *testing.T) {
	f := newFixture(t)
	c := loggedIn(t, f.srv.URL, tokenAcme)
	it := c.get("/search?pod=" + genPOD)
	assert.Contains(t, it.body, `<html lang="it">`)
	assert.Contains(t, it.body, "Ricerca flussi")
	assert.Regexp(t, `[0-9]{2}/[0-9]{2}/2025`, it.body, "Italian dates")

	en := c.get("/search?pod=" + genPOD + "&lang=en")
	assert.Contains(t, en.body, `<html lang="en">`)
	assert.Contains(t, en.body, "Flow search")
	assert.Contains(t, en.header.Get("Set-Cookie"), "dispatcher_lang=en")

	again := c.get("/loads")
	assert.Contains(t, again.body, "Load log", "the cookie keeps the language")
}

func TestLanguageLinkOnEncodedSlashPath(t *testing.T) {
	// The path /%2Fevil.example decodes to //evil.example, which a link
	// would send to the host evil.example.
	f := newFixture(t)
	c := newClient(t, f.srv.URL)
	for _, path := range []string{"/%2Fevil.example", "/%2F%2Fevil.example/x"} {
		page := c.get(path)
		assert.Equal(t, http.StatusNotFound, page.status, path)
		assert.Contains(t, page.body, `hreflang="en"`, path)
		assert.NotRegexp(t, `href="/{2,}`, page.body, path)
	}
}

func TestStaticAndUnknownPaths(t *testing.T) {
	f := newFixture(t)
	c := newClient(t, f.srv.URL)
	css := c.get("/static/style.css")
	assert.Equal(t, http.StatusOK, css.status)
	assert.Contains(t, css.header.Get("Content-Type"), "text/css")
	assert.Equal(t, http.StatusNotFound, c.get("/nothing/here").status)
}

func TestSessionEndsWhenTokenRevoked(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	tok, err := f.st.PutToken(ctx, f.acme.ID, "temporary", "temporary-token")
	require.NoError(t, err)
	c := loggedIn(t, f.srv.URL, "temporary-token")
	require.Equal(t, http.StatusOK, c.get("/loads").status)
	require.NoError(t, f.st.RevokeToken(ctx, f.acme.ID, tok.ID))
	assert.Equal(t, http.StatusSeeOther, c.get("/loads").status)
}

func TestSessionExpires(t *testing.T) {
	st, _, _ := newStore(t)
	now := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	h, err := web.New(web.Options{Store: st, Authenticate: authenticator(st), SessionTTL: time.Hour,
		Now: func() time.Time { return now }})
	require.NoError(t, err)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	c := loggedIn(t, srv.URL, tokenAcme)
	require.Equal(t, http.StatusOK, c.get("/loads").status)
	now = now.Add(61 * time.Minute)
	assert.Equal(t, http.StatusSeeOther, c.get("/loads").status)
}

func TestAnonymousViewer(t *testing.T) {
	st, acme, _ := newStore(t)
	h, err := web.New(web.Options{Store: st, Authenticate: authenticator(st),
		Anonymous: &api.Principal{ID: acme.ID, Code: acme.Code}})
	require.NoError(t, err)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	resp := newClient(t, srv.URL).get("/loads")
	assert.Equal(t, http.StatusOK, resp.status)
	assert.Contains(t, resp.body, "Acme Energia")
	assert.NotContains(t, resp.body, `action="/logout"`)
}
