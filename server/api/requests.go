package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"

	"github.com/bludispatcher/dispatcher/distributor"
	"github.com/bludispatcher/dispatcher/internal/anomaly"
	"github.com/bludispatcher/dispatcher/server/store"
)

// RequestSubmitter sends a company's request to a distributor: it
// validates it, writes its file into the outbox and stores it. It wraps
// distributor.ErrProfile for a profile the company does not use.
type RequestSubmitter interface {
	Submit(ctx context.Context, company store.CompanyID, profile string, req *distributor.Request) (store.DistributorRequest, error)
}

// requestRoutes registers the endpoints of the requests to distributors.
// Without a RequestSubmitter, POST /api/v1/requests returns 404.
func (h *handler) requestRoutes(route func(string, func(http.ResponseWriter, *http.Request, Principal))) {
	route("POST /api/v1/requests", h.submitRequest)
	route("GET /api/v1/requests", h.listRequests)
	route("GET /api/v1/requests/updates", h.requestUpdates)
	route("POST /api/v1/requests/updates/ack", h.ackRequestUpdates)
	route("GET /api/v1/requests/outcomes", h.requestOutcomes)
	route("GET /api/v1/requests/{case}", h.getRequest)
}

// submitBody is the body of POST /api/v1/requests.
type submitBody struct {
	// Profile is the ID of the distributor's profile.
	Profile string `json:"profile"`
	// Request is the request in the JSON form of distributor.Request.
	Request json.RawMessage `json:"request"`
}

// invalidResponse lists the anomalies of a rejected request.
type invalidResponse struct {
	Error     string            `json:"error"`
	Anomalies []anomaly.Anomaly `json:"anomalies"`
}

// submitRequest serves POST /api/v1/requests with a submitBody.
func (h *handler) submitRequest(w http.ResponseWriter, r *http.Request, caller Principal) {
	if h.Requests == nil {
		writeError(w, http.StatusNotFound, "requests to distributors are not configured for this server")
		return
	}

	var body submitBody
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&body); err != nil {
		writeError(w, http.StatusBadRequest, "invalid body: want {\"profile\": ID, \"request\": {...}}: "+err.Error())
		return
	}
	if body.Profile == "" || len(body.Request) == 0 {
		writeError(w, http.StatusBadRequest, "invalid body: profile and request are required")
		return
	}
	req, err := distributor.DecodeRequestJSON(bytes.NewReader(body.Request))
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}

	stored, err := h.Requests.Submit(r.Context(), caller.ID, body.Profile, req)
	var invalid *distributor.InvalidRequestError
	switch {
	case err == nil:
		writeJSON(w, http.StatusCreated, stored)
	case errors.As(err, &invalid):
		writeJSON(w, http.StatusUnprocessableEntity, invalidResponse{Error: err.Error(), Anomalies: invalid.Anomalies})
	case errors.Is(err, distributor.ErrProfile), errors.Is(err, distributor.ErrUnknownService):
		writeError(w, http.StatusBadRequest, err.Error())
	case errors.Is(err, store.ErrConflict), errors.Is(err, distributor.ErrNameUsed):
		writeError(w, http.StatusConflict, err.Error())
	default:
		h.storeError(w, r, "submit request", err)
	}
}

// requestStates are the states a request can be in.
var requestStates = []distributor.State{distributor.StateDraft, distributor.StateSent, distributor.StateAdmissible,
	distributor.StateRejected, distributor.StateDone, distributor.StateFailed, distributor.StateExpired}

// listRequests serves GET /api/v1/requests?state=&service=&profile=&pod=&offset=&limit=.
func (h *handler) listRequests(w http.ResponseWriter, r *http.Request, caller Principal) {
	p := &params{q: r.URL.Query()}
	f := store.RequestFilter{Company: caller.ID, State: distributor.State(p.str("state")),
		Service: p.str("service"), Profile: p.str("profile"), POD: p.str("pod"), Page: p.page()}
	if f.State != "" && !slices.Contains(requestStates, f.State) {
		p.fail("state", string(f.State), "draft, sent, admissible, rejected, done, failed or expired")
	}
	if p.err != nil {
		writeError(w, http.StatusBadRequest, p.err.Error())
		return
	}
	list, total, err := h.Store.ListRequests(r.Context(), f)
	if err != nil {
		h.storeError(w, r, "list requests", err)
		return
	}
	if list == nil {
		list = []store.DistributorRequest{}
	}
	writeJSON(w, http.StatusOK, listResponse[store.DistributorRequest]{Items: list, Total: total, Offset: f.Page.Offset, Limit: f.Page.Limit})
}

// getRequest serves GET /api/v1/requests/{case}: one request with its
// history.
func (h *handler) getRequest(w http.ResponseWriter, r *http.Request, caller Principal) {
	req, err := h.Store.Request(r.Context(), caller.ID, r.PathValue("case"))
	if err != nil {
		h.storeError(w, r, "get request", err)
		return
	}
	writeJSON(w, http.StatusOK, req)
}

// updatesResponse is a page of pending updates.
type updatesResponse struct {
	Items []store.RequestUpdate `json:"items"`
	// Next is the after value of the next page: the last sequence
	// returned, or the after value given when none was.
	Next int64 `json:"next"`
}

// requestUpdates serves GET /api/v1/requests/updates?after=&limit=: the
// state changes not yet acknowledged, in sequence order.
func (h *handler) requestUpdates(w http.ResponseWriter, r *http.Request, caller Principal) {
	p := &params{q: r.URL.Query()}
	after := int64(p.int("after", 0))
	limit := p.int("limit", store.DefaultLimit)
	if p.err != nil {
		writeError(w, http.StatusBadRequest, p.err.Error())
		return
	}
	ups, err := h.Store.PendingRequestUpdates(r.Context(), caller.ID, after, limit)
	if err != nil {
		h.storeError(w, r, "request updates", err)
		return
	}
	next := after
	if len(ups) > 0 {
		next = ups[len(ups)-1].Seq
	}
	writeJSON(w, http.StatusOK, updatesResponse{Items: ups, Next: next})
}

// ackBody is the body of POST /api/v1/requests/updates/ack.
type ackBody struct {
	Seqs []int64 `json:"seqs"`
}

// ackRequestUpdates serves POST /api/v1/requests/updates/ack with an
// ackBody, and returns one result per sequence.
func (h *handler) ackRequestUpdates(w http.ResponseWriter, r *http.Request, caller Principal) {
	var body ackBody
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&body); err != nil {
		writeError(w, http.StatusBadRequest, "invalid body: want {\"seqs\": [1, 2]}: "+err.Error())
		return
	}
	res, err := h.Store.AcknowledgeRequestUpdates(r.Context(), caller.ID, body.Seqs, caller.Code)
	if err != nil {
		h.storeError(w, r, "acknowledge request updates", err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"results": res})
}

// requestOutcomes serves GET /api/v1/requests/outcomes?unmatched=&offset=&limit=.
func (h *handler) requestOutcomes(w http.ResponseWriter, r *http.Request, caller Principal) {
	p := &params{q: r.URL.Query()}
	unmatched := p.bool("unmatched", false)
	page := p.page()
	if p.err != nil {
		writeError(w, http.StatusBadRequest, p.err.Error())
		return
	}
	list, total, err := h.Store.RequestOutcomes(r.Context(), caller.ID, unmatched, page)
	if err != nil {
		h.storeError(w, r, "request outcomes", err)
		return
	}
	writeJSON(w, http.StatusOK, listResponse[store.StoredOutcome]{Items: list, Total: total, Offset: page.Offset, Limit: page.Limit})
}
