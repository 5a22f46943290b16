package server

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/bludispatcher/dispatcher/server/api"
	"github.com/bludispatcher/dispatcher/server/authlimit"
	"github.com/bludispatcher/dispatcher/server/soap"
	"github.com/bludispatcher/dispatcher/server/store"
)

// SOAPPath is where the billing web services are served; GET
// SOAPPath?wsdl returns their WSDL.
const SOAPPath = "/soap/v1"

// soapHandler returns the billing web services, authenticated with the
// same tokens as the JSON API, with reqs submitting the requests to
// distributors and limiter counting the failed authentication.
func soapHandler(st store.Store, reqs soap.RequestSubmitter, authenticate api.Authenticator, anonymous *api.Principal,
	limiter *authlimit.Limiter, log *slog.Logger) http.Handler {
	opts := soap.Options{Store: st, Requests: reqs, Log: log, Limiter: limiter,
		Authenticate: func(ctx context.Context, token string) (soap.Principal, error) {
			p, err := authenticate(ctx, token)
			return soap.Principal{ID: p.ID, Code: p.Code}, err
		}}
	if anonymous != nil {
		opts.Anonymous = &soap.Principal{ID: anonymous.ID, Code: anonymous.Code}
	}
	return soap.New(opts)
}
