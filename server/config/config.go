// Package config reads the configuration of the reference server. It sets
// the companies (aziende) of one deployment with their inbox folders per
// file kind, archive folders, polling schedules and API tokens, and also
// the store DSN, the listen address and the log format.
//
// The file is JSON. Environment variables named DISPATCHER_* override the
// file, and command-line flags override both (the caller applies the flags
// through the same Override values). With no file the server runs on
// Default.
package config

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// KindFlows is the file kind of the SII metering flows (PDO, PNO, RFO, SOS
// and the rest). Loaders of other kinds register under their own name.
const KindFlows = "flows"

// Defaults used when neither the file, the environment nor a flag sets a value.
const (
	DefaultListen       = "127.0.0.1:8080"
	DefaultStore        = "sqlite:./dispatcher.db"
	DefaultInbox        = "./inbox"
	DefaultArchive      = "./archive"
	DefaultCompanyID    = "default"
	DefaultPollInterval = 30 * time.Second
	DefaultLogFormat    = "text"
	DefaultLogLevel     = "info"
	DefaultSettle       = 2 * time.Second
	DefaultClaimTTL     = 2 * time.Minute
	// DefaultCutShortWait gives a zip copy that stalls, such as one over
	// a network link that drops, a quarter of an hour to resume.
	DefaultCutShortWait = 15 * time.Minute
	// DefaultMaxDepth is how many levels of subfolders below an inbox are
	// scanned: the files of the inbox itself and of two levels below it.
	DefaultMaxDepth = 2
)

// Config is the whole server configuration.
type Config struct {
	// Listen is the TCP address of the HTTP API, such as "127.0.0.1:8080".
	Listen string `json:"listen"`
	// Store is the store DSN: "sqlite:PATH" (or a path ending in .db),
	// or a "postgres://" URL.
	Store string `json:"store"`
	// Log sets the log/slog handler.
	Log Log `json:"log"`
	// PollInterval is the default time between two scans of an inbox. A
	// file is loaded once its size and modification time have not changed
	// between two scans, so a file waits at least one interval.
	PollInterval Duration `json:"poll_interval"`
	// Instance names this server in file claims, so that instances
	// sharing a PostgreSQL store and inboxes tell their claims apart. The
	// default is "host:pid". Each process appends a random token to it,
	// so two processes given the same name still claim files apart.
	Instance string `json:"instance,omitempty"`
	// Settle is how long a file must stay unchanged before it loads: its
	// size and modification time must match at two looks at least Settle
	// apart, and it must be at least Settle old. It is also the pause
	// between the two looks of an on-demand scan (an API call).
	Settle Duration `json:"settle"`
	// ClaimTTL is how long a file claim lasts without renewal. After a
	// crash, another instance (or this one restarted) takes the file over
	// once the claim has expired.
	ClaimTTL Duration `json:"claim_ttl"`
	// CutShortWait is how long a zip with no end of central directory
	// record counts as a copy in progress and stays in its inbox. Once its
	// modification time is that old, it is rejected as corrupt and moved
	// to the archive. It must be longer than Settle, because a file loads
	// only once it is Settle old.
	CutShortWait Duration `json:"cut_short_wait"`
	// Flows sets the validation of the metering flows.
	Flows Flows `json:"flows"`
	// Switching sets the validation of switch-ins.
	Switching Switching `json:"switching"`
	// Auth sets the limits on failed authentication.
	Auth Auth `json:"auth"`
	// Companies are the companies (aziende) served by this deployment.
	Companies []Company `json:"companies"`
	// Groups are the groups whose files are split among their companies.
	Groups []Group `json:"groups,omitempty"`
}

// Flows sets the validator of the metering flows (flows.ValidateOptions).
type Flows struct {
	// MaxMonthsBack is how many months before the current one a file's
	// month may be (admissibility rule 14); 0 keeps the validator's default.
	MaxMonthsBack int `json:"max_months_back,omitempty"`
	// DisabledRules lists rule ids (such as "R14") whose anomalies are dropped.
	DisabledRules []string `json:"disabled_rules,omitempty"`
	// Severities sets the severity ("blocking" or "warning") of rules by id.
	// The default makes R12 and R13 (the whole file fails the schema when
	// any record does) warnings, so the good records of a partly bad file
	// load and the bad ones are rejected one by one.
	Severities map[string]string `json:"severities,omitempty"`
	// AcceptPDO2GNotRegime reports PDO2G files with meter state NR as a
	// warning instead of rejecting them.
	AcceptPDO2GNotRegime bool `json:"accept_pdo2g_not_regime,omitempty"`
	// AcceptForeignVAT accepts header VAT numbers that are not 11 digits.
	AcceptForeignVAT bool `json:"accept_foreign_vat,omitempty"`
}

// Log sets the format and level of the server log.
type Log struct {
	// Format is "text" or "json".
	Format string `json:"format"`
	// Level is "debug", "info", "warn" or "error".
	Level string `json:"level"`
}

// Company is one company (azienda) with its folders and API tokens.
type Company struct {
	// ID is the short identifier used in the store and in API paths, made
	// of lower-case letters, digits, '-' and '_'.
	ID string `json:"id"`
	// Name is the display name (ragione sociale).
	Name string `json:"name"`
	// VAT is the company's VAT number (partita IVA), optional.
	VAT string `json:"vat,omitempty"`
	// Inboxes lists the inbox folders per file kind, such as
	// {"flows": ["/srv/sii/in"]}.
	Inboxes map[string][]string `json:"inboxes"`
	// Archive is the folder that loaded, rejected and duplicate files are
	// moved to after their load log entry is committed.
	Archive string `json:"archive"`
	// PollInterval overrides Config.PollInterval for this company.
	PollInterval Duration `json:"poll_interval,omitempty"`
	// Tokens are the API bearer tokens of the company. Each is either the
	// token itself or "sha256:" followed by the hex SHA-256 of the token,
	// so that the file need not contain the secret.
	Tokens []string `json:"tokens,omitempty"`
	// Distributors sets the requests to distributors; nil disables them.
	Distributors *Distributors `json:"distributors,omitempty"`
}

// Interval returns the company's polling interval, or def when it has none.
func (c Company) Interval(def time.Duration) time.Duration {
	if c.PollInterval > 0 {
		return time.Duration(c.PollInterval)
	}
	return def
}

// TokenHashes returns the SHA-256 of every token of the company, decoding
// the "sha256:" form and hashing the plain one.
func (c Company) TokenHashes() ([][sha256.Size]byte, error) {
	out := make([][sha256.Size]byte, 0, len(c.Tokens))
	for i, tok := range c.Tokens {
		if hexSum, ok := strings.CutPrefix(tok, "sha256:"); ok {
			raw, err := hex.DecodeString(hexSum)
			if err != nil || len(raw) != sha256.Size {
				return nil, fmt.Errorf("company %q: token %d: invalid sha256 form: want 64 hex digits after \"sha256:\"", c.ID, i+1)
			}
			out = append(out, [sha256.Size]byte(raw))
			continue
		}
		out = append(out, sha256.Sum256([]byte(tok)))
	}
	return out, nil
}

// Duration is a time.Duration written in JSON as a Go duration string
// such as "30s" or "5m".
type Duration time.Duration

// MarshalJSON writes the duration as a string.
func (d Duration) MarshalJSON() ([]byte, error) {
	return json.Marshal(time.Duration(d).String())
}

// UnmarshalJSON reads a duration string such as "30s".
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return &durationError{raw: append(json.RawMessage(nil), b...),
			err: fmt.Errorf("invalid duration %s: want a string such as \"30s\"", b)}
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return &durationError{raw: append(json.RawMessage(nil), b...), err: fmt.Errorf("invalid duration %q: %w", s, err)}
	}
	*d = Duration(v)
	return nil
}

// Default returns the configuration used when no file is given: SQLite at
// ./dispatcher.db, one company "default" with the inbox ./inbox and the
// archive ./archive, the API on 127.0.0.1:8080 without tokens.
func Default() Config {
	return Config{
		Listen:       DefaultListen,
		Store:        DefaultStore,
		Log:          Log{Format: DefaultLogFormat, Level: DefaultLogLevel},
		PollInterval: Duration(DefaultPollInterval),
		Settle:       Duration(DefaultSettle),
		ClaimTTL:     Duration(DefaultClaimTTL),
		CutShortWait: Duration(DefaultCutShortWait),
		Flows: Flows{
			Severities: map[string]string{"R12": "warning", "R13": "warning"},
		},
		Switching: Switching{
			ConsumptionTolerancePercent: DefaultConsumptionTolerancePercent,
			MissingAfterDays:            DefaultMissingAfterDays,
		},
		Auth: defaultAuth(),
		Companies: []Company{{
			ID:      DefaultCompanyID,
			Name:    "Default company",
			Inboxes: map[string][]string{KindFlows: {DefaultInbox}},
			Archive: DefaultArchive,
		}},
	}
}

// Load reads the JSON file at path on top of the defaults for listen,
// store, log and poll interval. Companies come from the file alone when it
// lists any; otherwise the default company is kept. Unknown fields are an
// error, so a misspelt key is not silently ignored.
func Load(path string) (Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("config: %w", err)
	}
	return Parse(data, filepath.Dir(path))
}

// Parse decodes a JSON configuration. Relative folders and SQLite paths in
// it are resolved against baseDir, the folder of the file.
func Parse(data []byte, baseDir string) (Config, error) {
	cfg := Default()
	cfg.Companies = nil
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&cfg); err != nil {
		var durErr *durationError
		if errors.As(err, &durErr) {
			if key := findKey(data, durErr.raw); key != "" {
				return Config{}, fmt.Errorf("config: %s: %w", key, err)
			}
		}
		return Config{}, fmt.Errorf("config: invalid JSON: %w", err)
	}
	if len(cfg.Companies) == 0 {
		cfg.Companies = Default().Companies
	}
	cfg.resolve(baseDir)
	return cfg, nil
}

// resolve makes the relative folders of the file relative to baseDir.
func (c *Config) resolve(baseDir string) {
	if baseDir == "" || baseDir == "." {
		return
	}
	join := func(p string) string {
		if p == "" || filepath.IsAbs(p) {
			return p
		}
		return filepath.Join(baseDir, p)
	}
	for i := range c.Companies {
		co := &c.Companies[i]
		co.Archive = join(co.Archive)
		co.Distributors.resolve(join)
		for kind, dirs := range co.Inboxes {
			for j := range dirs {
				dirs[j] = join(dirs[j])
			}
			co.Inboxes[kind] = dirs
		}
	}
	c.resolveGroups(join)
	if path, ok := strings.CutPrefix(c.Store, "sqlite:"); ok {
		c.Store = "sqlite:" + join(path)
	}
}

// Override is a set of values that replace those of the file. Empty fields
// change nothing. The environment and the command-line flags each fill one.
type Override struct {
	Listen       string
	Store        string
	LogFormat    string
	LogLevel     string
	PollInterval time.Duration
	// Inbox and Archive replace the metering-flow inbox and the archive of
	// the only company; they are an error when several companies are set.
	Inbox   string
	Archive string
	// Token replaces the tokens of the only company.
	Token string
}

// Environment variables read by FromEnv.
const (
	EnvConfig    = "DISPATCHER_CONFIG"
	EnvListen    = "DISPATCHER_LISTEN"
	EnvStore     = "DISPATCHER_STORE"
	EnvLogFormat = "DISPATCHER_LOG_FORMAT"
	EnvLogLevel  = "DISPATCHER_LOG_LEVEL"
	EnvPoll      = "DISPATCHER_POLL_INTERVAL"
	EnvInbox     = "DISPATCHER_INBOX"
	EnvArchive   = "DISPATCHER_ARCHIVE"
	EnvToken     = "DISPATCHER_TOKEN"
)

// FromEnv builds an Override from the DISPATCHER_* variables returned by
// getenv (os.Getenv in the server).
func FromEnv(getenv func(string) string) (Override, error) {
	o := Override{
		Listen:    getenv(EnvListen),
		Store:     getenv(EnvStore),
		LogFormat: getenv(EnvLogFormat),
		LogLevel:  getenv(EnvLogLevel),
		Inbox:     getenv(EnvInbox),
		Archive:   getenv(EnvArchive),
		Token:     getenv(EnvToken),
	}
	if s := getenv(EnvPoll); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil {
			return Override{}, fmt.Errorf("config: invalid %s %q: %w", EnvPoll, s, err)
		}
		o.PollInterval = d
	}
	return o, nil
}

// Apply replaces the values of c that o sets.
func (c *Config) Apply(o Override) error {
	set := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}

	set(&c.Listen, o.Listen)
	set(&c.Store, o.Store)
	set(&c.Log.Format, o.LogFormat)
	set(&c.Log.Level, o.LogLevel)
	if o.PollInterval > 0 {
		c.PollInterval = Duration(o.PollInterval)
	}

	if o.Inbox == "" && o.Archive == "" && o.Token == "" {
		return nil
	}
	if len(c.Companies) != 1 {
		return fmt.Errorf("config: the inbox, archive and token overrides need exactly one company, the file sets %d: set them in the file instead", len(c.Companies))
	}

	co := &c.Companies[0]
	if o.Inbox != "" {
		if co.Inboxes == nil {
			co.Inboxes = map[string][]string{}
		}
		co.Inboxes[KindFlows] = []string{o.Inbox}
	}
	set(&co.Archive, o.Archive)
	if o.Token != "" {
		co.Tokens = []string{o.Token}
	}
	return nil
}

// ErrInvalid is wrapped by every error of Validate.
var ErrInvalid = errors.New("invalid configuration")

// Validate checks the configuration against the kinds the server can load
// (knownKinds) and returns every problem found, joined.
func (c Config) Validate(knownKinds []string) error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("%w: "+format, append([]any{ErrInvalid}, args...)...))
	}

	if _, _, err := net.SplitHostPort(c.Listen); err != nil {
		bad("listen %q: want host:port, such as 127.0.0.1:8080", c.Listen)
	}
	if _, _, err := ParseStore(c.Store); err != nil {
		bad("%v", err)
	}
	if c.Log.Format != "text" && c.Log.Format != "json" {
		bad("log format %q: want text or json", c.Log.Format)
	}
	if _, err := ParseLevel(c.Log.Level); err != nil {
		bad("%v", err)
	}
	if c.PollInterval <= 0 {
		bad("poll_interval %v: want a positive duration", time.Duration(c.PollInterval))
	}

	if c.Settle < 0 {
		bad("settle %v: want zero or a positive duration", time.Duration(c.Settle))
	}
	if c.ClaimTTL < 3*Duration(time.Second) {
		bad("claim_ttl %v: want at least 3s", time.Duration(c.ClaimTTL))
	}
	switch {
	case c.CutShortWait <= 0:
		bad("cut_short_wait %v: want a positive duration, such as \"15m\"", time.Duration(c.CutShortWait))
	case c.CutShortWait <= c.Settle:
		// A file loads only once it is Settle old, so such a zip would
		// already be past its wait and be rejected at its first load.
		bad("cut_short_wait %v: want more than settle (%v), or a zip still being copied is rejected as corrupt",
			time.Duration(c.CutShortWait), time.Duration(c.Settle))
	}
	for rule, sev := range c.Flows.Severities {
		if sev != "blocking" && sev != "warning" {
			bad("flows severity of %s %q: want blocking or warning", rule, sev)
		}
	}

	errs = append(errs, c.Flows.validateRules()...)
	errs = append(errs, c.validateSharedFolders()...)
	errs = append(errs, c.Switching.validate()...)
	errs = append(errs, c.Auth.validate()...)
	errs = append(errs, c.validateGroups()...)

	if len(c.Companies) == 0 {
		bad("no companies: set at least one")
	}
	ids := map[string]bool{}
	tokens := map[[sha256.Size]byte]string{}
	for _, co := range c.Companies {
		if !validID(co.ID) {
			bad("company id %q: want 1 to 64 lower-case letters, digits, '-' or '_'", co.ID)
		}
		if ids[co.ID] {
			bad("company id %q is set twice", co.ID)
		}
		ids[co.ID] = true
		errs = append(errs, co.validateFolders(knownKinds)...)
		errs = append(errs, co.validateFields()...)
		errs = append(errs, co.Distributors.validate(co)...)
		hashes, err := co.TokenHashes()
		if err != nil {
			bad("%v", err)
		}
		for _, h := range hashes {
			if other, dup := tokens[h]; dup {
				bad("company %q: a token is also a token of company %q: give each company its own", co.ID, other)
			}
			tokens[h] = co.ID
		}
	}
	return errors.Join(errs...)
}

// validateFolders checks the inbox kinds and that the archive is not inside
// an inbox, where it would be scanned again.
func (co Company) validateFolders(knownKinds []string) []error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("%w: company %q: "+format, append([]any{ErrInvalid, co.ID}, args...)...))
	}
	if co.Archive == "" {
		bad("archive folder is missing")
	}
	if len(co.Inboxes) == 0 {
		bad("no inboxes: set at least one, such as {\"flows\": [\"./inbox\"]}")
	}
	for kind, dirs := range co.Inboxes {
		if !contains(knownKinds, kind) {
			bad("inbox kind %q: want one of %s", kind, strings.Join(knownKinds, ", "))
		}
		for _, dir := range dirs {
			if dir == "" {
				bad("inbox of kind %q is an empty path", kind)
				continue
			}
			if co.Archive != "" && within(co.Archive, dir) {
				bad("archive %q is inside the inbox %q: move it out, or its files would be scanned again", co.Archive, dir)
			}
		}
	}
	return errs
}

// Token returns the company whose token hashes to sum, or false.
func (c Config) Token(sum [sha256.Size]byte) (Company, bool) {
	for _, co := range c.Companies {
		hashes, err := co.TokenHashes()
		if err != nil {
			continue
		}
		for _, h := range hashes {
			if h == sum {
				return co, true
			}
		}
	}
	return Company{}, false
}

// HasTokens reports whether any company has an API token.
func (c Config) HasTokens() bool {
	for _, co := range c.Companies {
		if len(co.Tokens) > 0 {
			return true
		}
	}
	return false
}

func validID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// within reports whether path is dir or a folder below it.
func within(path, dir string) bool {
	p, err1 := filepath.Abs(path)
	d, err2 := filepath.Abs(dir)
	if err1 != nil || err2 != nil {
		return false
	}
	rel, err := filepath.Rel(d, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}
