package soap

import (
	"errors"
	"net/http"
	"strings"

	"github.com/bludispatcher/dispatcher/server/authlimit"
	"github.com/bludispatcher/dispatcher/server/store"
)

// authenticate resolves the credentials of a request, in this order: a
// WS-Security UsernameToken, HTTP Basic, an HTTP Bearer token. The
// password of the first two is an API token of the company and the user
// name is kept as the caller.
func (h *Handler) authenticate(r *http.Request, tok *usernameToken) (*call, error) {
	user, token, ok := credentials(r, tok)
	if !ok {
		if h.opts.Anonymous != nil {
			return &call{company: *h.opts.Anonymous, caller: h.opts.Anonymous.Code}, nil
		}
		return nil, &Fault{Code: FaultClient, Message: "missing credentials: send a WS-Security UsernameToken or HTTP Basic with an API token as password",
			Detail: FaultInfo{Element: "Security", Message: "missing credentials"}}
	}
	attempt := authlimit.Attempt{Service: "soap", Address: authlimit.ClientAddress(r), User: user}
	if err := h.opts.Limiter.Check(attempt); err != nil {
		return nil, errors.Join(err, &Fault{Code: FaultClient, Message: err.Error(),
			Detail: FaultInfo{Element: "Password", Message: err.Error()}})
	}
	p, err := h.opts.Authenticate(r.Context(), token)
	if errors.Is(err, store.ErrUnauthorized) {
		h.opts.Limiter.Fail(attempt)
		return nil, errors.Join(errUnauthorized, &Fault{Code: FaultClient, Message: "unknown or revoked token",
			Detail: FaultInfo{Element: "Password", Message: "unknown or revoked token"}})
	}
	if err != nil {
		return nil, err
	}
	h.opts.Limiter.Succeed(attempt)
	if user == "" {
		user = p.Code
	}
	return &call{company: p, caller: user}, nil
}

// credentials returns the user name and token of a request.
func credentials(r *http.Request, tok *usernameToken) (user, token string, ok bool) {
	if tok != nil && tok.Password != "" {
		return strings.TrimSpace(tok.Username), strings.TrimSpace(tok.Password), true
	}
	if u, p, basic := r.BasicAuth(); basic && p != "" {
		return u, p, true
	}
	if t, bearer := bearerToken(r.Header.Get("Authorization")); bearer && t != "" {
		return "", t, true
	}
	return "", "", false
}

// bearerToken returns the token of a Bearer Authorization header. The
// scheme name is case-insensitive (RFC 7235, section 2.1).
func bearerToken(header string) (string, bool) {
	scheme, token, found := strings.Cut(header, " ")
	if !found || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	return strings.TrimSpace(token), true
}
