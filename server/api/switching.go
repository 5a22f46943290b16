package api

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/bludispatcher/dispatcher/server/store"
	"github.com/bludispatcher/dispatcher/server/switching"
)

// SwitchService validates switch-ins and applies operators' decisions;
// *switching.Service implements it.
type SwitchService interface {
	// Validate runs the rules on the switch of a practice code and POD. It
	// fails with an error wrapping store.ErrNotFound when nothing of that
	// switch is stored.
	Validate(ctx context.Context, company store.CompanyID, practiceCode, pod string) (store.Switch, error)
	// Decide accepts or rejects a switch to review.
	Decide(ctx context.Context, company store.CompanyID, id int64, d store.SwitchDecision) (store.Switch, error)
	// Missing returns the switches still incomplete past the deadline.
	Missing(ctx context.Context, company store.CompanyID, page store.Page) ([]store.Switch, int, error)
}

// MaxDecisionReason bounds the length of a decision's reason, in bytes.
const MaxDecisionReason = 2000

// switchRoutes registers the switch endpoints.
func (h *handler) switchRoutes(route func(string, func(http.ResponseWriter, *http.Request, Principal))) {
	route("GET /api/v1/switches", h.listSwitches)
	route("GET /api/v1/switches/missing", h.missingSwitches)
	route("GET /api/v1/switches/rules", h.switchRules)
	route("GET /api/v1/switches/{id}", h.getSwitch)
	route("POST /api/v1/switches/{id}/decision", h.decideSwitch)
	route("POST /api/v1/switches/validate", h.validateSwitch)
	route("GET /api/v1/pods/{pod}/switches", h.podSwitches)
}

// listSwitches serves GET /api/v1/switches?status=&pod=&offset=&limit=.
func (h *handler) listSwitches(w http.ResponseWriter, r *http.Request, caller Principal) {
	p := &params{q: r.URL.Query()}
	f := store.SwitchFilter{Company: caller.ID, POD: strings.ToUpper(p.str("pod")), Page: p.page()}
	if s := p.str("status"); s != "" {
		for _, part := range strings.Split(s, ",") {
			st := store.SwitchStatus(strings.TrimSpace(part))
			if !st.Valid() {
				p.fail("status", s, "incomplete, valid, to_review or invalid, comma-separated")
				break
			}
			f.Statuses = append(f.Statuses, st)
		}
	}
	if p.err != nil {
		writeError(w, http.StatusBadRequest, p.err.Error())
		return
	}
	items, total, err := h.Store.ListSwitches(r.Context(), f)
	if err != nil {
		h.storeError(w, r, "list switches", err)
		return
	}
	writeSwitchList(w, items, total, f.Page)
}

func writeSwitchList(w http.ResponseWriter, items []store.Switch, total int, page store.Page) {
	if items == nil {
		items = []store.Switch{}
	}
	writeJSON(w, http.StatusOK, listResponse[store.Switch]{Items: items, Total: total, Offset: page.Offset, Limit: page.Limit})
}

// missingSwitches serves GET /api/v1/switches/missing: the switches still
// missing data past the configured number of days.
func (h *handler) missingSwitches(w http.ResponseWriter, r *http.Request, caller Principal) {
	if h.Switching == nil {
		writeError(w, http.StatusServiceUnavailable, "switch validation is not configured on this server")
		return
	}
	p := &params{q: r.URL.Query()}
	page := p.page()
	if p.err != nil {
		writeError(w, http.StatusBadRequest, p.err.Error())
		return
	}
	items, total, err := h.Switching.Missing(r.Context(), caller.ID, page)
	if err != nil {
		h.storeError(w, r, "missing switches", err)
		return
	}
	writeSwitchList(w, items, total, page)
}

// switchRules serves GET /api/v1/switches/rules: the code, name, severity
// and message of every validation rule.
func (h *handler) switchRules(w http.ResponseWriter, r *http.Request, caller Principal) {
	writeJSON(w, http.StatusOK, map[string]any{"items": switching.Rules})
}

// switchResponse is one switch with its decision log.
type switchResponse struct {
	Switch    store.Switch           `json:"switch"`
	Decisions []store.SwitchDecision `json:"decisions"`
}

// getSwitch serves GET /api/v1/switches/{id}.
func (h *handler) getSwitch(w http.ResponseWriter, r *http.Request, caller Principal) {
	p := &params{q: r.URL.Query()}
	id := p.id("id", r.PathValue("id"))
	if p.err != nil {
		writeError(w, http.StatusBadRequest, p.err.Error())
		return
	}
	sw, err := h.Store.Switch(r.Context(), caller.ID, id)
	if err != nil {
		h.storeError(w, r, "switch", err)
		return
	}
	decisions, err := h.Store.SwitchDecisions(r.Context(), caller.ID, id)
	if err != nil {
		h.storeError(w, r, "switch decisions", err)
		return
	}
	if decisions == nil {
		decisions = []store.SwitchDecision{}
	}
	writeJSON(w, http.StatusOK, switchResponse{Switch: sw, Decisions: decisions})
}

// decisionRequest is the body of POST /api/v1/switches/{id}/decision.
type decisionRequest struct {
	// Decision is "accept" or "reject".
	Decision store.Decision `json:"decision"`
	// Operator names the person deciding; the log records it after the
	// company code.
	Operator string `json:"operator"`
	// Reason explains the decision; it is required.
	Reason string `json:"reason"`
}

// decideSwitch serves POST /api/v1/switches/{id}/decision with a JSON
// body {"decision": "accept"|"reject", "operator": "...", "reason": "..."}.
func (h *handler) decideSwitch(w http.ResponseWriter, r *http.Request, caller Principal) {
	if h.Switching == nil {
		writeError(w, http.StatusServiceUnavailable, "switch validation is not configured on this server")
		return
	}
	p := &params{q: r.URL.Query()}
	id := p.id("id", r.PathValue("id"))
	if p.err != nil {
		writeError(w, http.StatusBadRequest, p.err.Error())
		return
	}
	req, msg := readDecision(r)
	if msg != "" {
		writeError(w, http.StatusBadRequest, msg)
		return
	}

	actor := caller.Code
	if op := strings.TrimSpace(req.Operator); op != "" {
		actor += "/" + op
	}
	sw, err := h.Switching.Decide(r.Context(), caller.ID, id, store.SwitchDecision{
		Decision: req.Decision, Actor: actor, Reason: req.Reason})
	if errors.Is(err, store.ErrConflict) {
		writeError(w, http.StatusConflict, err.Error())
		return
	}
	if err != nil {
		h.storeError(w, r, "decide switch", err)
		return
	}
	writeJSON(w, http.StatusOK, sw)
}

// readDecision decodes and checks a decision body. It returns the message
// of a 400 response when the body is invalid.
func readDecision(r *http.Request) (decisionRequest, string) {
	var req decisionRequest
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		return req, "invalid JSON body: want {\"decision\": \"accept\" or \"reject\", \"operator\": \"name\", \"reason\": \"text\"}: " + err.Error()
	}
	req.Reason = strings.TrimSpace(req.Reason)
	switch {
	case req.Decision != store.DecisionAccept && req.Decision != store.DecisionReject:
		return req, "invalid decision \"" + string(req.Decision) + "\": want accept or reject"
	case req.Reason == "":
		return req, "missing reason: say why the switch is accepted or rejected"
	case len(req.Reason) > MaxDecisionReason:
		return req, "reason too long: at most 2000 bytes"
	}
	return req, ""
}

// validateSwitch serves POST /api/v1/switches/validate?practice=&pod=: it
// runs the rules again on the stored data of one switch.
func (h *handler) validateSwitch(w http.ResponseWriter, r *http.Request, caller Principal) {
	if h.Switching == nil {
		writeError(w, http.StatusServiceUnavailable, "switch validation is not configured on this server")
		return
	}
	p := &params{q: r.URL.Query()}
	practice, pod := p.str("practice"), strings.ToUpper(p.str("pod"))
	if practice == "" || pod == "" {
		p.fail("practice", practice, "both practice (CodPrat_SII) and pod")
	}
	if p.err != nil {
		writeError(w, http.StatusBadRequest, p.err.Error())
		return
	}
	sw, err := h.Switching.Validate(r.Context(), caller.ID, practice, pod)
	if err != nil {
		h.storeError(w, r, "validate switch", err)
		return
	}
	writeJSON(w, http.StatusOK, sw)
}

// podSwitches serves GET /api/v1/pods/{pod}/switches: the switches of one
// POD, newest switch date first.
func (h *handler) podSwitches(w http.ResponseWriter, r *http.Request, caller Principal) {
	items, _, err := h.Store.ListSwitches(r.Context(), store.SwitchFilter{Company: caller.ID, POD: pod(r),
		Page: store.Page{Limit: store.MaxLimit}})
	answerPOD(h, w, r, "pod switches", items, err)
}
