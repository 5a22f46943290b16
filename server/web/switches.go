package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/bludispatcher/dispatcher/server/store"
)

// maxDecisionReason bounds the reason of a decision, in bytes.
const maxDecisionReason = 2000

// switchesView is the validation outcome of a POD's switches, shown on the
// switching tab.
type switchesView struct {
	Items []store.Switch
	// CanDecide reports whether the page shows the accept and reject form:
	// the server applies decisions and the viewer is logged in.
	CanDecide bool
}

func (h *handler) switchesView(r *http.Request, v viewer, pod string) (*switchesView, error) {
	items, _, err := h.opts.Store.ListSwitches(r.Context(), store.SwitchFilter{Company: v.principal.ID, POD: pod,
		Page: store.Page{Limit: store.MaxLimit}})
	if err != nil || len(items) == 0 {
		return nil, err
	}
	return &switchesView{Items: items, CanDecide: h.opts.Switching != nil && v.csrf != ""}, nil
}

// decideSwitch serves POST /pods/{pod}/switches/{id}/decision: the accept
// or reject form of a switch to review. It logs the decision under the
// company code and the operator's name, then returns to the switching tab.
func (h *handler) decideSwitch(w http.ResponseWriter, r *http.Request, v viewer) {
	r.Body = http.MaxBytesReader(w, r.Body, MaxFormBody)
	if err := r.ParseForm(); err != nil || !sameValue(v.csrf, r.PostForm.Get("csrf")) || !sameOrigin(r) {
		h.render(w, r, http.StatusForbidden, "error", errorPage{basePage: h.base(w, r, v, "error.forbidden.title", ""), Message: "error.forbidden"})
		return
	}
	if h.opts.Switching == nil {
		h.notFound(w, r)
		return
	}
	pod := strings.ToUpper(strings.TrimSpace(r.PathValue("pod")))
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		h.notFound(w, r)
		return
	}
	decision := store.Decision(r.PostForm.Get("decision"))
	reason := strings.TrimSpace(r.PostForm.Get("reason"))
	switch {
	case decision != store.DecisionAccept && decision != store.DecisionReject:
		h.badRequest(w, r, "invalid decision "+strconv.Quote(string(decision))+": want accept or reject")
		return
	case reason == "" || len(reason) > maxDecisionReason:
		h.badRequest(w, r, "the reason of the decision is missing or longer than 2000 bytes")
		return
	}

	// The switch must belong to the POD of the page it was decided on.
	view, err := h.switchesView(r, v, pod)
	if err != nil {
		h.storeError(w, r, "switches", err)
		return
	}
	if view == nil || !slices.ContainsFunc(view.Items, func(sw store.Switch) bool { return sw.ID == id }) {
		h.notFound(w, r)
		return
	}
	actor := v.principal.Code
	if op := strings.TrimSpace(r.PostForm.Get("operator")); op != "" {
		actor += "/" + op
	}
	_, err = h.opts.Switching.Decide(r.Context(), v.principal.ID, id, store.SwitchDecision{
		Decision: decision, Actor: actor, Reason: reason})
	if errors.Is(err, store.ErrConflict) {
		h.badRequest(w, r, err.Error())
		return
	}
	if err != nil {
		h.storeError(w, r, "decide switch", err)
		return
	}
	http.Redirect(w, r, "/pods/"+url.PathEscape(pod)+"?tab=switching", http.StatusSeeOther)
}
