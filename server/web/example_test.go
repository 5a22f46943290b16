package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/bludispatcher/dispatcher/server/api"
	"github.com/bludispatcher/dispatcher/server/store"
	"github.com/bludispatcher/dispatcher/server/web"
)

// The pages go on every path the JSON API does not take, as the server
// mounts them. Without a session, a page sends the browser to the login
// form.
func ExampleNew() {
	var st web.Store // the server passes its store.Store
	pages, err := web.New(web.Options{
		Store: st,
		Authenticate: func(ctx context.Context, token string) (api.Principal, error) {
			return api.Principal{}, store.ErrUnauthorized
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	mux := http.NewServeMux()
	mux.Handle("/", pages)

	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/loads?status=rejected", nil))
	fmt.Println(rec.Code, rec.Header().Get("Location"))
	// Output: 303 /login?next=%2Floads%3Fstatus%3Drejected
}
