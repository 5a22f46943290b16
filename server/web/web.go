// Package web serves the web pages of the reference server. They show the
// load log with anomalies and original files, and the record search with
// CSV and XLSX export. The POD page has tabs for readings, a quarter-hour
// curve chart, consumptions, corrections, switching and technical data.
//
// Pages are rendered on the server with html/template from embedded
// templates and work without JavaScript. They read through the same store
// queries as the JSON API and sit behind the same per-company tokens: the
// login form takes a company's API token and starts a session cookie.
// Labels and formats come from the message catalogs in messages/, Italian
// by default and English on request.
package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"embed"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"github.com/bludispatcher/dispatcher/server/api"
	"github.com/bludispatcher/dispatcher/server/authlimit"
	"github.com/bludispatcher/dispatcher/server/internal/param"
	"github.com/bludispatcher/dispatcher/server/store"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Store is the part of store.Store the pages read.
type Store interface {
	store.Queries
	// Company returns one company, or store.ErrNotFound.
	Company(ctx context.Context, id store.CompanyID) (store.Company, error)
	// RegistryEntries returns the registry entries of a POD.
	RegistryEntries(ctx context.Context, company store.CompanyID, pod string) ([]store.RegistryEntry, error)
	// ListSwitches returns the validated switches that match a filter.
	ListSwitches(ctx context.Context, f store.SwitchFilter) ([]store.Switch, int, error)
	// Sessions stores the logged-in browsers, so that they stay logged
	// in across a restart.
	store.Sessions
	// AuthenticateHash returns the company of a stored API token by its
	// SHA-256, or store.ErrUnauthorized.
	AuthenticateHash(ctx context.Context, sum [sha256.Size]byte) (store.CompanyID, error)
}

// Options configure the web handler.
type Options struct {
	Store Store
	// Authenticate checks the token typed in the login form.
	Authenticate api.Authenticator
	// AuthenticateHash checks the SHA-256 of a session's token on every
	// request, so that revoking the token ends the session. It must
	// accept every token that Authenticate accepts. Nil means
	// Store.AuthenticateHash.
	AuthenticateHash func(ctx context.Context, sum [sha256.Size]byte) (api.Principal, error)
	// Anonymous, when set, is the company of requests without a session,
	// as for the API: the server sets it only for one company with no
	// token, listening on loopback.
	Anonymous *api.Principal
	// Switching applies operators' decisions on switches to review; nil
	// hides the decision form.
	Switching api.SwitchService
	// SessionTTL is how long a login lasts; zero means DefaultSessionTTL.
	SessionTTL time.Duration
	// Limiter limits failed logins per client address. Nil limits
	// nothing. The login form takes a token alone, so no user name limit
	// applies.
	Limiter *authlimit.Limiter
	Log     *slog.Logger
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
}

// MaxFormBody is the largest form body accepted, in bytes.
const MaxFormBody = 16 << 10

type handler struct {
	opts     Options
	pages    map[string]*template.Template
	catalogs map[string]catalog
	ttl      time.Duration
	now      func() time.Time
}

// New returns the handler of the web pages. It fails only when an embedded
// template or catalog is broken.
func New(opts Options) (http.Handler, error) {
	cats, err := loadCatalogs()
	if err != nil {
		return nil, err
	}
	pages, err := parsePages()
	if err != nil {
		return nil, err
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	h := &handler{opts: opts, pages: pages, catalogs: cats, ttl: opts.SessionTTL, now: opts.Now}
	if h.now == nil {
		h.now = time.Now
	}
	if h.ttl <= 0 {
		h.ttl = DefaultSessionTTL
	}
	if h.opts.AuthenticateHash == nil {
		h.opts.AuthenticateHash = h.authenticateHash
	}
	static, err := fs.Sub(staticFS, "static")
	if err != nil {
		return nil, err
	}

	mux := http.NewServeMux()
	mux.Handle("GET /static/", http.StripPrefix("/static/", staticHandler(static)))
	mux.HandleFunc("GET /login", h.loginForm)
	mux.HandleFunc("POST /login", h.login)
	mux.HandleFunc("POST /logout", h.requireLogin(h.logout))
	mux.HandleFunc("GET /{$}", h.requireLogin(h.home))
	mux.HandleFunc("GET /loads", h.requireLogin(h.loadLog))
	mux.HandleFunc("GET /loads/{id}", h.requireLogin(h.loadDetail))
	mux.HandleFunc("GET /loads/{id}/original", h.requireLogin(h.original))
	mux.HandleFunc("GET /search", h.requireLogin(h.search))
	mux.HandleFunc("GET /search/export.csv", h.requireLogin(h.exportCSV))
	mux.HandleFunc("GET /search/export.xlsx", h.requireLogin(h.exportXLSX))
	mux.HandleFunc("GET /pods/{pod}", h.requireLogin(h.pod))
	mux.HandleFunc("POST /pods/{pod}/switches/{id}/decision", h.requireLogin(h.decideSwitch))
	mux.HandleFunc("/", h.notFound)
	return securityHeaders(requireText(mux)), nil
}

// parsePages parses every page template together with the layout.
func parsePages() (map[string]*template.Template, error) {
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	pages := map[string]*template.Template{}
	for _, name := range names {
		base := name[len("templates/") : len(name)-len(".html")]
		if base == "layout" {
			continue
		}
		t, err := template.New(base).Funcs(templateFuncs).ParseFS(templateFS, "templates/layout.html", name)
		if err != nil {
			return nil, err
		}
		pages[base] = t
	}
	return pages, nil
}

// securityHeaders sets the headers of every response: a content security
// policy that allows no script, no framing and forms to this site only.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "same-origin")
		hd.Set("X-Frame-Options", "DENY")
		next.ServeHTTP(w, r)
	})
}

// staticHandler serves the embedded assets with a day of caching.
func staticHandler(static fs.FS) http.Handler {
	files := http.FileServerFS(static)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=86400")
		files.ServeHTTP(w, r)
	})
}

// basePage is the data every page template gets.
type basePage struct {
	L *locale
	// Title is the catalog key of the page title.
	Title string
	// Nav is the active menu entry.
	Nav     string
	Company store.Company
	// LoggedIn is false for the anonymous viewer, who has no logout.
	LoggedIn bool
	CSRF     string
	// LangLinks switch the language of the current page.
	LangLinks []langLink
}

type langLink struct {
	Lang, URL string
	Current   bool
}

// localizer returns the request's locale, storing a language chosen in
// the query in its cookie.
func (h *handler) localizer(w http.ResponseWriter, r *http.Request) *locale {
	lang, fromQuery := language(r)
	if fromQuery {
		http.SetCookie(w, &http.Cookie{Name: langCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
			HttpOnly: true, Secure: overTLS(r), SameSite: http.SameSiteLaxMode})
	}
	return &locale{Lang: lang, cat: h.catalogs[lang]}
}

// base fills the common page data.
func (h *handler) base(w http.ResponseWriter, r *http.Request, v viewer, title, nav string) basePage {
	l := h.localizer(w, r)
	b := basePage{L: l, Title: title, Nav: nav, LoggedIn: v.sessionID != "", CSRF: v.csrf}
	b.Company = store.Company{ID: v.principal.ID, Code: v.principal.Code}
	if v.principal.ID != 0 {
		if co, err := h.opts.Store.Company(r.Context(), v.principal.ID); err == nil {
			b.Company = co
		}
	}
	// The links hold only a query, so they keep the current path: a path
	// rebuilt from the decoded one could start with // and name a host.
	for _, lang := range languages {
		q := r.URL.Query()
		q.Set("lang", lang)
		b.LangLinks = append(b.LangLinks, langLink{Lang: lang, URL: "?" + q.Encode(), Current: lang == l.Lang})
	}
	return b
}

// render executes a page template into a buffer first, so a template error
// sends a clean 500 instead of half a page.
func (h *handler) render(w http.ResponseWriter, r *http.Request, status int, page string, data any) {
	t, ok := h.pages[page]
	if !ok {
		h.serverError(w, r, "render", errors.New("web: no template "+page))
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", data); err != nil {
		h.serverError(w, r, "render "+page, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// errorPage is the data of the error template.
type errorPage struct {
	basePage
	// Message is the catalog key of the explanation.
	Message string
	Detail  string
}

func (h *handler) notFound(w http.ResponseWriter, r *http.Request) {
	v := viewerOf(r.Context())
	h.render(w, r, http.StatusNotFound, "error", errorPage{basePage: h.base(w, r, v, "error.notFound.title", ""), Message: "error.notFound"})
}

// badRequest renders a 400 page with detail below the explanation.
func (h *handler) badRequest(w http.ResponseWriter, r *http.Request, detail string) {
	v := viewerOf(r.Context())
	h.render(w, r, http.StatusBadRequest, "error", errorPage{basePage: h.base(w, r, v, "error.badRequest.title", ""), Message: "error.badRequest", Detail: detail})
}

// badParam renders a 400 page naming the invalid parameter, its value and
// the expected form in the page language.
func (h *handler) badParam(w http.ResponseWriter, r *http.Request, failure param.Failure) {
	l := h.localizer(w, r)
	h.badRequest(w, r, l.Tf("error.param", failure.Name, failure.Value, l.T(catalogKey(failure.Want))))
}

// serverError logs err and renders a 500 page without its details.
func (h *handler) serverError(w http.ResponseWriter, r *http.Request, op string, err error) {
	if errors.Is(err, context.Canceled) {
		return
	}
	v := viewerOf(r.Context())
	h.opts.Log.Error("web request failed", "company", v.principal.Code, "op", op, "method", r.Method, "path", r.URL.Path, "error", err)
	l := h.localizer(w, r)
	page := errorPage{basePage: basePage{L: l, Title: "error.internal.title"}, Message: "error.internal"}
	h.render500(w, page)
}

// render500 writes the error page without going through serverError
// again when the error template itself fails.
func (h *handler) render500(w http.ResponseWriter, page errorPage) {
	var buf bytes.Buffer
	if err := h.pages["error"].ExecuteTemplate(&buf, "layout", page); err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusInternalServerError)
	_, _ = buf.WriteTo(w)
}

// storeError renders the page of a store error: 404 for ErrNotFound, 400
// for ErrInvalid, 500 otherwise.
func (h *handler) storeError(w http.ResponseWriter, r *http.Request, op string, err error) {
	switch {
	case errors.Is(err, store.ErrNotFound):
		h.notFound(w, r)
	case errors.Is(err, store.ErrInvalid):
		h.badRequest(w, r, err.Error())
	default:
		h.serverError(w, r, op, err)
	}
}

func (h *handler) home(w http.ResponseWriter, r *http.Request, v viewer) {
	http.Redirect(w, r, "/loads", http.StatusSeeOther)
}
