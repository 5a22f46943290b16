package web

import (
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"
)

// requireText answers 400 to a request whose path or query holds text that
// is not valid UTF-8 or contains a NUL byte. PostgreSQL text columns reject
// both, so such a value would otherwise reach the store and fail as a 500.
func requireText(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if name, ok := nonText(r); !ok {
			http.Error(w, fmt.Sprintf("invalid %s: want valid UTF-8 text without NUL bytes", name), http.StatusBadRequest)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// nonText returns the name of the first part of r that is not text, and
// false, or "" and true when every part is text.
func nonText(r *http.Request) (string, bool) {
	if !isText(r.URL.Path) {
		return "path", false
	}
	for name, values := range r.URL.Query() {
		if !isText(name) {
			return "query parameter name", false
		}
		for _, v := range values {
			if !isText(v) {
				return "query parameter " + name, false
			}
		}
	}
	return "", true
}

func isText(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsRune(s, 0)
}
