package web

import (
	"net/http"

	"github.com/bludispatcher/dispatcher/server/api"
)

// requireText answers 400 to a request whose path or query is not valid
// UTF-8 or contains a NUL byte, with the same check as the JSON API, so
// such a value never reaches the store and fails there as a 500.
func requireText(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := api.CheckText(r); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		next.ServeHTTP(w, r)
	})
}
