// Package server runs the reference server: it scans the inboxes of every
// configured company on a schedule, loads their files through the store,
// and serves the JSON API under /api/ and the web pages (package web) on
// every other path.
package server

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sort"
	"sync"
	"time"

	"github.com/bludispatcher/dispatcher/flows"
	"github.com/bludispatcher/dispatcher/internal/anomaly"
	"github.com/bludispatcher/dispatcher/server/api"
	"github.com/bludispatcher/dispatcher/server/authlimit"
	"github.com/bludispatcher/dispatcher/server/config"
	"github.com/bludispatcher/dispatcher/server/ingest"
	"github.com/bludispatcher/dispatcher/server/requests"
	"github.com/bludispatcher/dispatcher/server/store"
	"github.com/bludispatcher/dispatcher/server/switching"
	"github.com/bludispatcher/dispatcher/server/web"
)

// HTTP limits of the API server.
const (
	ReadHeaderTimeout = 10 * time.Second
	ReadTimeout       = 30 * time.Second
	// WriteTimeout bounds one response, on-demand scans included; a scan
	// that takes longer goes on, and the scheduled scans log its outcome.
	WriteTimeout   = 10 * time.Minute
	IdleTimeout    = 2 * time.Minute
	MaxHeaderBytes = 64 << 10
	// ShutdownTimeout is how long Run waits for open requests at stop.
	ShutdownTimeout = 15 * time.Second
	// ExpiryInterval is the time between two expiries of the requests
	// past their deadline.
	ExpiryInterval = time.Minute
)

// Server is a configured reference server.
type Server struct {
	cfg      config.Config
	store    store.Store
	log      *slog.Logger
	ingester *ingest.Ingester
	loaders  *ingest.Registry
	switches *switching.Service
	targets  map[store.CompanyID]ingest.Target
	order    []store.CompanyID
	tokens   []tokenEntry
	handler  http.Handler
	requests *requests.Service
	groups   *ingest.GroupLoader
	// anonymous reports whether the API serves requests without a token.
	anonymous bool

	mu   sync.Mutex
	addr net.Addr
}

type tokenEntry struct {
	sum       [sha256.Size]byte
	principal api.Principal
}

// New checks cfg, registers its companies in st and builds the server.
// It does not start anything; Run does.
func New(ctx context.Context, cfg config.Config, st store.Store, log *slog.Logger) (*Server, error) {
	outcomes := &ingest.OutcomesLoader{}
	groups := newGroupLoader(cfg)
	loaders, err := ingest.NewRegistry(allLoaders(cfg, st, outcomes, groups)...)
	if err != nil {
		return nil, err
	}
	if err := cfg.Validate(loaders.Kinds()); err != nil {
		return nil, err
	}
	reqs := requests.New(st, log)
	outcomes.Profile = reqs.OutcomeProfile
	s := &Server{cfg: cfg, store: st, log: log, loaders: loaders, groups: groups, targets: map[store.CompanyID]ingest.Target{}}
	s.switches = newSwitchService(cfg, st, log)
	s.ingester = ingest.New(st, loaders, log, ingest.Options{ClaimTTL: time.Duration(cfg.ClaimTTL), Owner: cfg.Instance, Settle: time.Duration(cfg.Settle),
		CutShortWait: time.Duration(cfg.CutShortWait),
		AfterCommit:  s.afterLoad})
	for _, co := range cfg.Companies {
		if err := s.addCompany(ctx, co); err != nil {
			return nil, err
		}
	}
	if err := s.addGroups(ctx); err != nil {
		return nil, err
	}
	if err := s.addRequests(reqs); err != nil {
		return nil, err
	}
	var anonymous *api.Principal
	if !cfg.HasTokens() && len(cfg.Companies) == 1 && loopback(cfg.Listen) {
		t := s.targets[s.order[0]]
		anonymous = &api.Principal{ID: t.Company.ID, Code: t.Company.Code}
		s.anonymous = true
	}
	limits := cfg.Auth.LimiterOptions()
	limits.Log = log
	limiter := authlimit.New(limits)
	apiHandler := api.New(api.Options{
		Store:        st,
		Requests:     s.requests,
		Authenticate: s.authenticate,
		Anonymous:    anonymous,
		Scan:         s.ScanNow,
		Switching:    s.switches,
		Limiter:      limiter,
		Log:          log,
	})
	webHandler, err := web.New(web.Options{Store: st, Authenticate: s.authenticate, AuthenticateHash: s.authenticateHash,
		Anonymous: anonymous, Log: log, Switching: s.switches, Limiter: limiter})
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("/api/", apiHandler)
	mux.Handle("/healthz", apiHandler)
	mux.Handle(SOAPPath, soapHandler(st, s.requests, s.authenticate, anonymous, limiter, log))
	mux.Handle("/", webHandler)
	s.handler = mux
	return s, nil
}

// addCompany finds or creates the company in the store and records its
// inboxes and tokens.
func (s *Server) addCompany(ctx context.Context, co config.Company) error {
	stored, err := s.store.CompanyByCode(ctx, co.ID)
	if errors.Is(err, store.ErrNotFound) {
		stored, err = s.store.CreateCompany(ctx, store.Company{Code: co.ID, Name: co.Name, VAT: co.VAT})
		if errors.Is(err, store.ErrConflict) {
			// Another instance created it at the same time.
			stored, err = s.store.CompanyByCode(ctx, co.ID)
		}
	}
	if err != nil {
		return fmt.Errorf("company %q: %w", co.ID, err)
	}
	t := ingest.Target{
		Company: ingest.Company{ID: stored.ID, Code: co.ID, VAT: co.VAT},
		Archive: co.Archive,
	}
	for _, kind := range sortedKeys(co.Inboxes) {
		for _, dir := range co.Inboxes[kind] {
			t.Inboxes = append(t.Inboxes, ingest.Inbox{Kind: kind, Dir: dir})
		}
	}
	s.targets[stored.ID] = t
	s.order = append(s.order, stored.ID)
	hashes, err := co.TokenHashes()
	if err != nil {
		return err
	}
	for _, h := range hashes {
		s.tokens = append(s.tokens, tokenEntry{sum: h, principal: api.Principal{ID: stored.ID, Code: co.ID}})
	}
	return nil
}

// authenticate matches a bearer token against the configured tokens, then
// against the tokens kept in the store.
func (s *Server) authenticate(ctx context.Context, token string) (api.Principal, error) {
	if token == "" {
		return api.Principal{}, store.ErrUnauthorized
	}
	return s.authenticateHash(ctx, sha256.Sum256([]byte(token)))
}

// authenticateHash matches the SHA-256 of a token against the configured
// tokens, then against the store. Web sessions store only that hash.
func (s *Server) authenticateHash(ctx context.Context, sum [sha256.Size]byte) (api.Principal, error) {
	var found *api.Principal
	for i := range s.tokens {
		// Compare with every entry so the time taken does not tell which matched.
		if subtle.ConstantTimeCompare(sum[:], s.tokens[i].sum[:]) == 1 {
			found = &s.tokens[i].principal
		}
	}
	if found != nil {
		return *found, nil
	}
	id, err := s.store.AuthenticateHash(ctx, sum)
	if err != nil {
		return api.Principal{}, err
	}
	co, err := s.store.Company(ctx, id)
	if err != nil {
		return api.Principal{}, err
	}
	return api.Principal{ID: co.ID, Code: co.Code}, nil
}

// Handler returns the HTTP handler of the API and the web pages.
func (s *Server) Handler() http.Handler { return s.handler }

// Addr returns the address the API listens on once Run has started, or nil.
func (s *Server) Addr() net.Addr {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addr
}

// ScanNow scans one company's inboxes at once, looking twice Settle apart.
func (s *Server) ScanNow(ctx context.Context, company store.CompanyID) (ingest.ScanReport, error) {
	t, ok := s.targets[company]
	if !ok {
		return ingest.ScanReport{}, store.ErrNotFound
	}
	s.log.Info("scan requested", "company", t.Company.Code)
	return s.ingester.Scan(ctx, t, time.Duration(s.cfg.Settle))
}

// LoadFiles loads files of kind for one company at once (see
// ingest.Ingester.LoadFiles); the company is given by its configured id.
func (s *Server) LoadFiles(ctx context.Context, company, kind string, paths []string, archive bool, progress func(ingest.FileReport)) (ingest.ScanReport, error) {
	for _, id := range s.order {
		t := s.targets[id]
		if t.Company.Code != company {
			continue
		}
		if !archive {
			t.Archive = ""
		}
		return s.ingester.LoadFiles(ctx, t, kind, paths, progress)
	}
	return ingest.ScanReport{}, fmt.Errorf("company %q is not in the configuration", company)
}

// Extensions returns the file extensions that an inbox of kind takes,
// lower-case with the dot: .xml and .zip for a kind that lists none.
func (s *Server) Extensions(kind string) []string { return s.loaders.Extensions(kind) }

// Run listens on the configured address (or on ln when not nil), scans
// every company's inboxes on its schedule and serves the API until ctx is
// cancelled. A scan in progress at stop rolls its current file back; the
// file stays in its inbox and loads at the next start.
func (s *Server) Run(ctx context.Context, ln net.Listener) error {
	if ln == nil {
		var err error
		ln, err = net.Listen("tcp", s.cfg.Listen)
		if err != nil {
			return fmt.Errorf("listen on %s: %w", s.cfg.Listen, err)
		}
	}
	s.mu.Lock()
	s.addr = ln.Addr()
	s.mu.Unlock()

	srv := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: ReadHeaderTimeout,
		ReadTimeout:       ReadTimeout,
		WriteTimeout:      WriteTimeout,
		IdleTimeout:       IdleTimeout,
		MaxHeaderBytes:    MaxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	codes := make([]string, 0, len(s.order))
	for _, id := range s.order {
		codes = append(codes, s.targets[id].Company.Code)
	}
	s.log.Info("server started", "listen", ln.Addr().String(),
		"store", config.RedactStore(s.cfg.Store), "companies", codes,
		"poll_interval", time.Duration(s.cfg.PollInterval).String(),
		"anonymous_api", s.anonymous)
	if s.anonymous {
		s.log.Warn("the API serves requests without a token, because no token is configured and it listens on loopback only: set a token before listening on another address")
	}

	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()

	scanCtx, stopScans := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		s.requests.RunExpiry(scanCtx, ExpiryInterval)
	}()
	for _, id := range s.order {
		wg.Add(1)
		go func(t ingest.Target) {
			defer wg.Done()
			s.poll(scanCtx, t)
		}(s.targets[id])
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		s.switches.RunJob(scanCtx, s.order)
	}()

	var err error
	select {
	case <-ctx.Done():
	case err = <-serveErr:
		err = fmt.Errorf("serve: %w", err)
	}
	s.log.Info("server stopping")
	stopScans()
	shutCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), ShutdownTimeout)
	defer cancel()
	if shutErr := srv.Shutdown(shutCtx); shutErr != nil {
		s.log.Error("http shutdown failed", "error", shutErr)
	}
	wg.Wait()
	s.log.Info("server stopped")
	return err
}

// poll scans one company's inboxes now and then every poll interval.
func (s *Server) poll(ctx context.Context, t ingest.Target) {
	interval := s.companyInterval(t.Company.Code)
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		}
		if _, err := s.ingester.Scan(ctx, t, 0); err != nil && ctx.Err() == nil {
			s.log.Error("scan failed", "company", t.Company.Code, "error", err)
		}
		timer.Reset(interval)
	}
}

func (s *Server) companyInterval(code string) time.Duration {
	def := time.Duration(s.cfg.PollInterval)
	for _, co := range s.cfg.Companies {
		if co.ID == code {
			return co.Interval(def)
		}
	}
	return def
}

// flowsOptions converts the configuration to validator options.
func flowsOptions(f config.Flows) flows.ValidateOptions {
	opts := flows.ValidateOptions{
		MaxMonthsBack:        f.MaxMonthsBack,
		Disabled:             f.DisabledRules,
		AcceptPDO2GNotRegime: f.AcceptPDO2GNotRegime,
		AcceptForeignVAT:     f.AcceptForeignVAT,
		Severities:           map[string]anomaly.Severity{},
	}
	for rule, sev := range f.Severities {
		var v anomaly.Severity
		if err := v.UnmarshalText([]byte(sev)); err == nil {
			opts.Severities[rule] = v
		}
	}
	return opts
}

// loopback reports whether the listen address is on the loopback interface.
func loopback(listen string) bool {
	host, _, err := net.SplitHostPort(listen)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func sortedKeys(m map[string][]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
