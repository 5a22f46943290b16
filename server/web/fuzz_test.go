package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzSafeNext checks that the login redirect target never leaves the
// site, whatever the next parameter holds.
func FuzzSafeNext(f *testing.F) {
	for _, seed := range []string{"", "/loads", "//evil.example", "/\\evil", "https://evil.example/", "/search?pod=IT1#x", "\t/x", "/%2f%2fevil", "/a/../\\evil"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, next string) {
		if len(next) > 4096 {
			return
		}
		got := safeNext(next)
		if !strings.HasPrefix(got, "/") || strings.HasPrefix(got, "//") || strings.HasPrefix(got, "/\\") {
			t.Fatalf("safeNext(%q) = %q, which can leave the site", next, got)
		}
		// The login sends the target through http.Redirect, which cleans
		// dot segments, so the Location header must stay on the site too.
		rec := httptest.NewRecorder()
		http.Redirect(rec, httptest.NewRequest(http.MethodPost, "/login", nil), got, http.StatusSeeOther)
		if loc := rec.Header().Get("Location"); strings.HasPrefix(loc, "//") || strings.HasPrefix(loc, "/\\") {
			t.Fatalf("safeNext(%q) = %q redirects to %q, which can leave the site", next, got, loc)
		}
	})
}

// FuzzFormatNumber checks that regrouping a number keeps its digits and
// leaves other text unchanged.
func FuzzFormatNumber(f *testing.F) {
	for _, seed := range []string{"0", "2,654", "1234567,890", "-1000", ",5", "1,", "a1", "<b>"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 1024 {
			return
		}
		got := formatNumber(s, ",", ".")
		digits := func(v string) string {
			return strings.Map(func(r rune) rune {
				if r >= '0' && r <= '9' {
					return r
				}
				return -1
			}, v)
		}
		if digits(got) != digits(s) {
			t.Fatalf("formatNumber(%q) = %q changed the digits", s, got)
		}
		if got != s && strings.ReplaceAll(got, ".", "") != s {
			t.Fatalf("formatNumber(%q) = %q does more than add group separators", s, got)
		}
	})
}
