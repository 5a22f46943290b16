package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/bludispatcher/dispatcher/server/store"
)

// loginPage is the data of the login form.
type loginPage struct {
	basePage
	Next  string
	Token string
	// Error is the catalog key of the last attempt's failure.
	Error string
}

// loginForm serves GET /login with a fresh double-submit value.
func (h *handler) loginForm(w http.ResponseWriter, r *http.Request) {
	h.renderLogin(w, r, http.StatusOK, "")
}

func (h *handler) renderLogin(w http.ResponseWriter, r *http.Request, status int, errKey string) {
	value := randomToken()
	setCookie(w, r, loginCookie, value, 3600)
	page := loginPage{basePage: h.base(w, r, viewer{}, "login.title", ""), Next: safeNext(r.FormValue("next")), Token: value, Error: errKey}
	h.render(w, r, status, "login", page)
}

// login serves POST /login: it checks the form value against the login
// cookie, then the company token, and starts a session.
func (h *handler) login(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, MaxFormBody)
	if err := r.ParseForm(); err != nil {
		h.renderLogin(w, r, http.StatusBadRequest, "login.error.form")
		return
	}
	c, err := r.Cookie(loginCookie)
	if err != nil || !sameValue(c.Value, r.PostForm.Get("csrf")) || !sameOrigin(r) {
		h.renderLogin(w, r, http.StatusForbidden, "login.error.form")
		return
	}

	token := strings.TrimSpace(r.PostForm.Get("token"))
	if token == "" {
		h.renderLogin(w, r, http.StatusUnauthorized, "login.error.token")
		return
	}
	p, err := h.opts.Authenticate(r.Context(), token)
	if errors.Is(err, store.ErrUnauthorized) {
		h.opts.Log.Warn("web login failed", "remote", r.RemoteAddr)
		h.renderLogin(w, r, http.StatusUnauthorized, "login.error.token")
		return
	}
	if err != nil {
		h.serverError(w, r, "login", err)
		return
	}

	if old, err := r.Cookie(sessionCookie); err == nil {
		h.sessions.delete(old.Value)
	}
	id, _ := h.sessions.create(token, h.now())
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
	h.sessions.delete(v.sessionID)
	clearCookie(w, r, sessionCookie)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}
