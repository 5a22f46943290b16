package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/bludispatcher/dispatcher/server/authlimit"
	"github.com/bludispatcher/dispatcher/server/store"
)

// loginPage is the data of the login form.
type loginPage struct {
	basePage
	Next  string
	Token string
	// Error is the catalog key of the last attempt's failure.
	Error string
	// RetryMinutes, when not zero, is the number of minutes left of a
	// lock-out, and Error then formats it.
	RetryMinutes int
}

// loginForm serves GET /login with a fresh double-submit value.
func (h *handler) loginForm(w http.ResponseWriter, r *http.Request) {
	h.renderLogin(w, r, http.StatusOK, loginPage{})
}

// renderLogin renders the login form with a fresh double-submit value,
// filling the common fields of page.
func (h *handler) renderLogin(w http.ResponseWriter, r *http.Request, status int, page loginPage) {
	value := randomToken()
	setCookie(w, r, loginCookie, value, 3600)
	page.basePage = h.base(w, r, viewer{}, "login.title", "")
	page.Next = safeNext(r.FormValue("next"))
	page.Token = value
	h.render(w, r, status, "login", page)
}

// loginError renders the login form with the catalog key of a failure.
func (h *handler) loginError(w http.ResponseWriter, r *http.Request, status int, errKey string) {
	h.renderLogin(w, r, status, loginPage{Error: errKey})
}

// login serves POST /login: it checks the form value against the login
// cookie, then the failed-login limit, then the company token, and starts
// a session.
func (h *handler) login(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, MaxFormBody)
	if err := r.ParseForm(); err != nil {
		h.loginError(w, r, http.StatusBadRequest, "login.error.form")
		return
	}
	c, err := r.Cookie(loginCookie)
	if err != nil || !sameValue(c.Value, r.PostForm.Get("csrf")) || !sameOrigin(r) {
		h.loginError(w, r, http.StatusForbidden, "login.error.form")
		return
	}

	attempt := authlimit.Attempt{Service: "web", Address: authlimit.ClientAddress(r)}
	if locked, ok := authlimit.IsLocked(h.opts.Limiter.Check(attempt)); ok {
		w.Header().Set("Retry-After", strconv.Itoa(authlimit.RetrySeconds(locked.RetryAfter)))
		minutes := (authlimit.RetrySeconds(locked.RetryAfter) + 59) / 60
		h.renderLogin(w, r, http.StatusTooManyRequests, loginPage{Error: "login.error.locked", RetryMinutes: minutes})
		return
	}
	token := strings.TrimSpace(r.PostForm.Get("token"))
	if token == "" {
		h.loginError(w, r, http.StatusUnauthorized, "login.error.token")
		return
	}
	p, err := h.opts.Authenticate(r.Context(), token)
	if errors.Is(err, store.ErrUnauthorized) {
		h.opts.Limiter.Fail(attempt)
		h.opts.Log.Warn("web login failed", "remote", r.RemoteAddr)
		h.loginError(w, r, http.StatusUnauthorized, "login.error.token")
		return
	}
	if err != nil {
		h.serverError(w, r, "login", err)
		return
	}
	h.opts.Limiter.Succeed(attempt)

	if old, err := r.Cookie(sessionCookie); err == nil && old.Value != "" {
		if err := h.endSession(r.Context(), old.Value); err != nil {
			h.serverError(w, r, "login: end the previous session", err)
			return
		}
	}
	id, err := h.startSession(r.Context(), p, token)
	if err != nil {
		h.serverError(w, r, "login: start session", err)
		return
	}
	setCookie(w, r, sessionCookie, id, 0)
	clearCookie(w, r, loginCookie)
	h.opts.Log.Info("web login", "company", p.Code, "remote", r.RemoteAddr)
	http.Redirect(w, r, safeNext(r.PostForm.Get("next")), http.StatusSeeOther)
}

// logout serves POST /logout: it checks the session's form token and ends
// the session.
func (h *handler) logout(w http.ResponseWriter, r *http.Request, v viewer) {
	r.Body = http.MaxBytesReader(w, r.Body, MaxFormBody)
	if err := r.ParseForm(); err != nil || !sameValue(v.csrf, r.PostForm.Get("csrf")) || !sameOrigin(r) {
		l := h.localizer(w, r)
		h.render(w, r, http.StatusForbidden, "error", errorPage{basePage: basePage{L: l, Title: "error.forbidden.title"}, Message: "error.forbidden"})
		return
	}
	if err := h.endSession(r.Context(), v.sessionID); err != nil {
		h.serverError(w, r, "logout", err)
		return
	}
	clearCookie(w, r, sessionCookie)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}
