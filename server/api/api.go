// Package api serves the JSON API of the reference server: the load log
// with its anomalies and original files, on-demand scans, record search
// and the per-POD views. Every request acts for one company, named by its
// bearer token. Requests for another company's loads and records get 404,
// exactly as ids that do not exist, so ids reveal nothing across companies.
package api

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/bludispatcher/dispatcher/server/authlimit"
	"github.com/bludispatcher/dispatcher/server/ingest"
	"github.com/bludispatcher/dispatcher/server/store"
)

// Principal is the company a request acts for.
type Principal struct {
	ID   store.CompanyID
	Code string
}

// Authenticator returns the company of a bearer token, or an error
// wrapping store.ErrUnauthorized when the token is unknown.
type Authenticator func(ctx context.Context, token string) (Principal, error)

// Scanner runs an on-demand scan of one company's inboxes.
type Scanner func(ctx context.Context, company store.CompanyID) (ingest.ScanReport, error)

// Options configure the API handler.
type Options struct {
	Store store.Store
	// Authenticate checks bearer tokens.
	Authenticate Authenticator
	// Anonymous, when set, is the company of requests that carry no
	// Authorization header. The server sets it only when no token is
	// configured, it listens on a loopback address and it serves one
	// company.
	Anonymous *Principal
	// Requests submits requests to distributors; nil disables POST
	// /api/v1/requests.
	Requests RequestSubmitter
	// Scan runs an on-demand scan; nil disables POST /api/v1/scan.
	Scan Scanner
	// Switching validates switches and applies decisions; nil disables
	// the endpoints that need it.
	Switching SwitchService
	// Limiter limits failed authentication per client address, with 429
	// Too Many Requests once an address is locked out. Nil limits
	// nothing. A bearer token carries no user name, so no user name limit
	// applies.
	Limiter *authlimit.Limiter
	Log     *slog.Logger
}

// MaxRequestBody is the largest request body accepted, in bytes, by
// every endpoint but the uploads (see bodyLimit).
const MaxRequestBody = 64 << 10

type handler struct {
	Options
}

// New returns the API handler.
func New(opts Options) http.Handler {
	h := &handler{Options: opts}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", h.health)

	route := func(pattern string, fn func(http.ResponseWriter, *http.Request, Principal)) {
		mux.Handle(pattern, h.authenticated(fn))
	}
	route("GET /api/v1/loads", h.listLoads)
	route("GET /api/v1/loads/{id}", h.getLoad)
	route("GET /api/v1/loads/{id}/anomalies", h.getAnomalies)
	route("GET /api/v1/loads/{id}/original", h.getOriginal)
	route("POST /api/v1/scan", h.scan)
	route("GET /api/v1/records", h.searchRecords)
	route("GET /api/v1/pods/{pod}/readings", h.readings)
	route("GET /api/v1/pods/{pod}/curve", h.curve)
	route("GET /api/v1/pods/{pod}/consumptions", h.consumptions)
	route("GET /api/v1/pods/{pod}/corrections", h.corrections)
	route("GET /api/v1/pods/{pod}/switching", h.switching)
	route("GET /api/v1/pods/{pod}/technical", h.technical)
	h.switchRoutes(route)
	h.domainRoutes(route)
	h.requestRoutes(route)
	h.workbookRoutes(route)
	h.acciseLedgerRoutes(route)
	return limitBody(mux)
}

func (h *handler) health(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// authenticated resolves the bearer token before calling fn.
func (h *handler) authenticated(fn func(http.ResponseWriter, *http.Request, Principal)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := CheckText(r); err != nil {
			writeError(w, http.StatusBadRequest, err.Error())
			return
		}
		header := r.Header.Get("Authorization")
		if header == "" && h.Anonymous != nil {
			fn(w, r.WithContext(context.WithValue(r.Context(), principalKey{}, *h.Anonymous)), *h.Anonymous)
			return
		}
		token, ok := bearerToken(header)
		if !ok {
			w.Header().Set("WWW-Authenticate", `Bearer realm="dispatcher"`)
			writeError(w, http.StatusUnauthorized, "missing bearer token: send Authorization: Bearer <token>")
			return
		}
		attempt := authlimit.Attempt{Service: "api", Address: authlimit.ClientAddress(r)}
		if err := h.Limiter.Check(attempt); err != nil {
			locked, _ := authlimit.IsLocked(err)
			w.Header().Set("Retry-After", strconv.Itoa(authlimit.RetrySeconds(locked.RetryAfter)))
			writeError(w, http.StatusTooManyRequests, err.Error())
			return
		}
		p, err := h.Authenticate(r.Context(), token)
		if errors.Is(err, store.ErrUnauthorized) {
			h.Limiter.Fail(attempt)
			w.Header().Set("WWW-Authenticate", `Bearer realm="dispatcher", error="invalid_token"`)
			writeError(w, http.StatusUnauthorized, "unknown or revoked token")
			return
		}
		if err != nil {
			h.internal(w, r, "authenticate", err)
			return
		}
		h.Limiter.Succeed(attempt)
		fn(w, r.WithContext(context.WithValue(r.Context(), principalKey{}, p)), p)
	})
}

// principalKey is the context key of the request's Principal, read by
// the error log.
type principalKey struct{}

// limitBody caps request bodies at MaxRequestBody.
func limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		limit := bodyLimit(r)
		if r.ContentLength > limit {
			writeError(w, http.StatusRequestEntityTooLarge, "request body too large")
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		next.ServeHTTP(w, r)
	})
}

// errorBody is the JSON of every error response.
type errorBody struct {
	Error string `json:"error"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, errorBody{Error: msg})
}

// storeError writes the response for a store error: 404 for ErrNotFound,
// 400 for ErrInvalid, 409 for ErrAmbiguous, 500 (logged) otherwise.
func (h *handler) storeError(w http.ResponseWriter, r *http.Request, op string, err error) {
	switch {
	case errors.Is(err, store.ErrNotFound):
		writeError(w, http.StatusNotFound, "not found")
	case errors.Is(err, store.ErrInvalid):
		writeError(w, http.StatusBadRequest, err.Error())
	case errors.Is(err, store.ErrAmbiguous):
		// The stored data, not the request, must change, and the message
		// names the codes to fix.
		writeError(w, http.StatusConflict, err.Error())
	case errors.Is(err, context.Canceled):
		// The client went away, so no response can be sent.
	default:
		h.internal(w, r, op, err)
	}
}

func (h *handler) internal(w http.ResponseWriter, r *http.Request, op string, err error) {
	company := ""
	if p, ok := r.Context().Value(principalKey{}).(Principal); ok {
		company = p.Code
	}
	h.Log.Error("api request failed", "company", company, "op", op, "method", r.Method, "path", r.URL.Path, "error", err)
	writeError(w, http.StatusInternalServerError, "internal error; the server log has the details")
}
