// Package soap serves the billing web services of the reference server:
// SOAP 1.1, document/literal, described by the WSDL under wsdl/ and served
// at ?wsdl. The registry service takes the billing system's customers,
// sites and supply points. The export service hands out what was imported
// until the billing system acknowledges it. The requests service sends
// requests to distributors and hands out their state changes the same
// way. The load log, the originals and the consumption workbook are
// available as well, and so are the reports on the SII registry extract:
// its comparison with the registry and its social bonus and relief points.
//
// The handler is written by hand on the types that gowsdl generates from
// the WSDL into the client package, so the server and the committed client
// share one definition of every message. Every request acts for the
// company of its credentials, and every store call takes that company, so
// one company never reads or acknowledges another's data.
//
// SOAP 1.2 is not served: a SOAP 1.2 envelope gets a VersionMismatch fault.
package soap

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/bludispatcher/dispatcher/server/authlimit"
	"github.com/bludispatcher/dispatcher/server/store"
	"github.com/bludispatcher/dispatcher/server/workbook"
)

// Principal is the company a request acts for.
type Principal struct {
	ID   store.CompanyID
	Code string
}

// Authenticator returns the company of an API token, or an error wrapping
// store.ErrUnauthorized when the token is unknown or revoked.
type Authenticator func(ctx context.Context, token string) (Principal, error)

// Options configure the handler.
type Options struct {
	Store        store.Store
	Authenticate Authenticator
	// Anonymous, when set, is the company of requests without credentials.
	// The server sets it only where the JSON API also serves without a
	// token: no token configured, one company, a loopback address.
	Anonymous *Principal
	// Limiter limits failed authentication per client address and per
	// user name of a UsernameToken or HTTP Basic. A locked-out caller gets
	// a Client fault. Nil limits nothing.
	Limiter *authlimit.Limiter
	// Log receives the server faults; nil discards them.
	Log *slog.Logger
	// Requests submits the requests to distributors. When it is nil,
	// SubmitDistributorRequest fails with a Client fault.
	Requests RequestSubmitter
	// MaxOriginal is the largest original or workbook, in bytes, that
	// GetOriginal, GetWorkbook, CompareRegistryExtract and GetBonusReport
	// return inline. Zero or less means the MaxOriginal constant.
	MaxOriginal int64
}

// Request limits.
const (
	// MaxRequestBody is the largest request accepted, in bytes.
	MaxRequestBody = 8 << 20
	// MaxDepth is the deepest element nesting accepted anywhere in a
	// request, counting the Envelope as level 1. A deeper request gets a
	// Client fault before any part of it is decoded.
	MaxDepth = 64
	// MaxBatchItems is the largest number of items in one registry batch
	// or one list of sequences.
	MaxBatchItems = 1000
	// MaxFetch is the largest number of entities one FetchExport returns,
	// because an entity with a month of quarter-hour curves is large.
	MaxFetch = 100
	// MaxPage is the largest page of ListPendingExport, GetExportLog and
	// ListLoads; DefaultPage is used when the request gives no Limit.
	MaxPage     = 1000
	DefaultPage = 100
	// MaxOriginal is the default of Options.MaxOriginal.
	MaxOriginal = 64 << 20
)

// Handler serves the SOAP endpoint.
type Handler struct {
	opts Options
	ops  map[string]operation
}

// operation decodes one request element and returns the response value.
type operation func(ctx context.Context, c *call, d *bodyDecoder) (any, error)

// call is one authenticated request.
type call struct {
	company Principal
	// caller is the user name of the credentials, else the company code.
	caller string
}

// New returns the SOAP handler.
func New(opts Options) *Handler {
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	if opts.MaxOriginal <= 0 {
		opts.MaxOriginal = MaxOriginal
	}
	h := &Handler{opts: opts}
	h.ops = map[string]operation{
		"UpdateRegistryRequest":    h.updateRegistry,
		"ListPendingExportRequest": h.listPendingExport,
		"FetchExportRequest":       h.fetchExport,
		"AcknowledgeExportRequest": h.acknowledgeExport,
		"ReexportRequest":          h.reexport,
		"GetExportLogRequest":      h.getExportLog,
		"ListLoadsRequest":         h.listLoads,
		"GetOriginalRequest":       h.getOriginal,
		"GetWorkbookRequest":       h.getWorkbook,

		"SubmitDistributorRequestRequest":  h.submitDistributorRequest,
		"PullRequestUpdatesRequest":        h.pullRequestUpdates,
		"AcknowledgeRequestUpdatesRequest": h.acknowledgeRequestUpdates,

		"CompareRegistryExtractRequest": h.compareRegistryExtract,
		"GetBonusReportRequest":         h.getBonusReport,
	}
	return h
}

// ServeHTTP serves GET ?wsdl and ?xsd, and POST of SOAP 1.1 envelopes.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		if r.URL.Query().Has("wsdl") || r.URL.Query().Has("xsd") {
			serveWSDL(w, r)
			return
		}
		http.Error(w, "send SOAP requests with POST, or GET ?wsdl for the service description", http.StatusMethodNotAllowed)
	case http.MethodPost:
		h.serveCall(w, r)
	default:
		w.Header().Set("Allow", "GET, HEAD, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	}
}

func (h *Handler) serveCall(w http.ResponseWriter, r *http.Request) {
	env, err := readEnvelope(w, r)
	if err != nil {
		h.writeError(w, r, nil, "", err)
		return
	}
	c, err := h.authenticate(r, env.security)
	if err != nil {
		h.writeError(w, r, nil, env.name.Local, err)
		return
	}
	op, ok := h.ops[env.name.Local]
	if !ok || env.name.Space != Namespace {
		h.writeError(w, r, c, env.name.Local, clientFault("Body", env.name.Space+" "+env.name.Local,
			"unknown operation; the WSDL at ?wsdl lists the operations"))
		return
	}
	if err := checkAction(r, env.name.Local); err != nil {
		h.writeError(w, r, c, env.name.Local, err)
		return
	}
	resp, err := op(r.Context(), c, env.body)
	if err != nil {
		h.writeError(w, r, c, env.name.Local, err)
		return
	}
	writeResponse(w, resp)
}

// writeError writes the fault for err and logs server faults.
func (h *Handler) writeError(w http.ResponseWriter, r *http.Request, c *call, op string, err error) {
	var f *Fault
	if !errors.As(err, &f) {
		f = storeFault(err)
	}
	if f.Code == FaultServer {
		company := ""
		if c != nil {
			company = c.company.Code
		}
		h.opts.Log.Error("soap request failed", "company", company, "operation", op, "error", err)
	}
	if errors.Is(err, errUnauthorized) {
		w.Header().Set("WWW-Authenticate", `Basic realm="dispatcher"`)
	}
	if locked, ok := authlimit.IsLocked(err); ok {
		w.Header().Set("Retry-After", strconv.Itoa(authlimit.RetrySeconds(locked.RetryAfter)))
	}
	writeFault(w, f)
}

// workbookSource returns the store as the workbook's data source.
func (h *Handler) workbookSource() workbook.Source { return h.opts.Store }

// checkAction rejects a SOAPAction header that names another operation
// than the request element, so a gateway that filters or logs requests by
// SOAPAction matches what the server runs. An absent or empty SOAPAction
// is accepted, because in SOAP 1.1 it names no operation: an empty one
// leaves the intent to the request URI.
func checkAction(r *http.Request, element string) error {
	action := strings.Trim(strings.TrimSpace(r.Header.Get("SOAPAction")), `"`)
	if action == "" {
		return nil
	}
	want := Namespace + "#" + strings.TrimSuffix(element, "Request")
	if action != want {
		return clientFault("SOAPAction", action, "does not match the request element "+element+"; send "+want)
	}
	return nil
}
