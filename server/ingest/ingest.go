package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/bludispatcher/dispatcher/internal/archive"
	"github.com/bludispatcher/dispatcher/server/store"
)

// Options configure an Ingester. Zero fields take the defaults below.
type Options struct {
	// MaxDepth is how many levels of subfolders below an inbox are
	// scanned (DefaultMaxDepth).
	MaxDepth int
	// Owner names this instance in claims (default "host:pid"). New
	// appends "/" and a random token, so that two processes given the
	// same name still hold their claims apart.
	Owner string
	// ClaimTTL is how long a claim lasts without renewal
	// (DefaultClaimTTL). A claim is renewed every third of it while its
	// file loads, so it expires only when the instance stops. Another
	// instance then takes the file over after at most ClaimTTL.
	ClaimTTL time.Duration
	// Settle is how long a file must stay unchanged before it loads: its
	// size and modification time must match at two looks at least Settle
	// apart, and its modification time must be at least Settle old. Zero
	// requires two equal looks only.
	Settle time.Duration
	// TempDir is the folder of temporary copies of large documents (""
	// for the system default).
	TempDir string
	// CutShortWait is how long a zip that starts with a local file header
	// but has no end of central directory record counts as a copy in
	// progress (DefaultCutShortWait). Until its modification time is that
	// old, it stays in its inbox with no entry in the load log, and is
	// looked at again when it changes. After that it is rejected as
	// corrupt and moved to the archive like other rejected files.
	CutShortWait time.Duration
	// Archive sets the limits of zip walking.
	Archive archive.Options
	// Now returns the current time (time.Now when nil).
	Now func() time.Time
	// AfterCommit, when set, is called after each load commits, before
	// the file moves to the archive. It runs in the loading goroutine, so
	// the next file waits for it.
	AfterCommit func(ctx context.Context, company Company, l store.Load)
}

// Defaults of Options.
const (
	DefaultMaxDepth = 2
	DefaultClaimTTL = 2 * time.Minute
	// DefaultCutShortWait leaves a copy that stalls, such as one over a
	// network link that drops, a quarter of an hour to resume.
	DefaultCutShortWait = 15 * time.Minute
)

func (o Options) withDefaults() Options {
	if o.MaxDepth <= 0 {
		o.MaxDepth = DefaultMaxDepth
	}
	if o.ClaimTTL <= 0 {
		o.ClaimTTL = DefaultClaimTTL
	}
	if o.CutShortWait <= 0 {
		o.CutShortWait = DefaultCutShortWait
	}
	if o.Owner == "" {
		host, _ := os.Hostname()
		o.Owner = host + ":" + strconv.Itoa(os.Getpid())
	}
	o.Owner += "/" + ownerToken()
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// Inbox is one inbox folder and the kind of files it receives.
type Inbox struct {
	Kind string
	Dir  string
}

// Target is a company with the folders to scan and archive into.
type Target struct {
	Company Company
	Inboxes []Inbox
	// Archive is the archive folder; "" leaves loaded files where they are.
	Archive string
}

// Ingester scans inboxes and loads their files. It is safe for concurrent
// use; scans of the same company run one at a time.
type Ingester struct {
	store   store.Store
	loaders *Registry
	log     *slog.Logger
	opts    Options

	mu       sync.Mutex
	settlers map[store.CompanyID]*Settler
	running  map[store.CompanyID]*sync.Mutex
	// ignored holds the paths of each company reported as ignored at the
	// last look, so each is logged at info level once, not at every scan.
	ignored map[store.CompanyID]map[string]bool
	// ahead maps the paths of each company whose modification time was
	// in the future at the last look to that time, so each is logged
	// once.
	ahead map[store.CompanyID]map[string]time.Time
	// failures maps the path of each file whose last load failed to the
	// reason, so that a failure repeated at every scan is logged once.
	failures map[string]string
}

// New returns an Ingester writing to st with the given loaders, logging
// each scan and file to log.
func New(st store.Store, loaders *Registry, log *slog.Logger, opts Options) *Ingester {
	return &Ingester{
		store:    st,
		loaders:  loaders,
		log:      log,
		opts:     opts.withDefaults(),
		settlers: map[store.CompanyID]*Settler{},
		running:  map[store.CompanyID]*sync.Mutex{},
		ignored:  map[store.CompanyID]map[string]bool{},
		ahead:    map[store.CompanyID]map[string]time.Time{},
		failures: map[string]string{},
	}
}

// Outcomes of a FileReport.
const (
	// OutcomeDone is a file whose documents are all in the load log.
	OutcomeDone = "done"
	// OutcomeSkipped is a file left for later or for another instance.
	OutcomeSkipped = "skipped"
	// OutcomeFailed is a file whose load failed; it stays in its inbox
	// and is tried again at the next scan.
	OutcomeFailed = "failed"
)

// FileReport is the outcome of one file of an inbox.
type FileReport struct {
	Company string `json:"company"`
	Kind    string `json:"kind"`
	Path    string `json:"path"`
	Size    int64  `json:"size"`
	SHA256  string `json:"sha256,omitempty"`
	// Outcome is OutcomeDone, OutcomeSkipped or OutcomeFailed.
	Outcome string `json:"outcome"`
	// Reason is the cause when a file was skipped or failed.
	Reason string `json:"reason,omitempty"`
	// Loads are the load log entries of the file's documents: one for a
	// plain XML file, one per XML entry of a zip, and one more for the zip
	// itself when some of its entries could not be read or were left out
	// (see AllEntriesLoader).
	Loads []store.Load `json:"loads,omitempty"`
	// Earlier are loads of this same unchanged file committed before, by
	// a run that stopped before moving the file; they are not loaded again.
	Earlier []store.Load `json:"earlier,omitempty"`
	// ArchivedTo is the path the file was moved to after its loads committed.
	ArchivedTo string `json:"archivedTo,omitempty"`
	// ClaimedBy and ClaimExpiresAt name the instance whose live claim made
	// the scan skip the file, and when that claim expires unless renewed.
	ClaimedBy      string    `json:"claimedBy,omitempty"`
	ClaimExpiresAt time.Time `json:"claimExpiresAt,omitzero"`
	// KeptInInbox reports a file left in its inbox because it ends early:
	// an XML file after its load (see RuleTruncated), or a zip still being
	// copied, which is not loaded. It loads again once it changes.
	KeptInInbox bool `json:"keptInInbox,omitempty"`
	// KeptUntil is set for a kept zip with no end record: the time after
	// which, unless it changed, the next look loads it as corrupt (see
	// Options.CutShortWait). A kept XML file waits for a change only.
	KeptUntil time.Time `json:"keptUntil,omitzero"`
}

// ScanReport sums up one scan of a company's inboxes.
type ScanReport struct {
	Company    string    `json:"company"`
	StartedAt  time.Time `json:"startedAt"`
	FinishedAt time.Time `json:"finishedAt"`
	// Found counts the .xml and .zip files seen. Waiting counts those
	// still changing or seen once only, and the zips still being copied
	// (see FileReport.KeptUntil). Ignored counts the other files and
	// folders.
	Found   int `json:"found"`
	Waiting int `json:"waiting"`
	Ignored int `json:"ignored"`
	// Loaded, Rejected and Duplicates count the load log entries written
	// by this scan by status (loaded includes loaded with anomalies).
	Loaded     int `json:"loaded"`
	Rejected   int `json:"rejected"`
	Duplicates int `json:"duplicates"`
	Failed     int `json:"failed"`
	// Claimed counts the files skipped because another instance holds a
	// live claim on them, such as an instance that crashed less than the
	// claim TTL ago.
	Claimed int          `json:"claimed"`
	Files   []FileReport `json:"files"`
}

func (r *ScanReport) add(f FileReport) {
	r.Files = append(r.Files, f)
	if f.Outcome == OutcomeFailed {
		r.Failed++
	}
	if f.Outcome == OutcomeSkipped && f.ClaimedBy != "" {
		r.Claimed++
	}
	if f.Outcome == OutcomeSkipped && f.KeptInInbox {
		r.Waiting++
	}
	for _, l := range f.Loads {
		switch l.Status {
		case store.StatusLoaded, store.StatusLoadedWithAnomalies:
			r.Loaded++
		case store.StatusRejected:
			r.Rejected++
		case store.StatusDuplicate:
			r.Duplicates++
		}
	}
}

// Scan looks at every inbox of t and loads the files that have stopped
// changing (see Options.Settle). With settle > 0 it looks twice, the
// larger of settle and Options.Settle apart, so that an on-demand scan
// needs no earlier look.
func (in *Ingester) Scan(ctx context.Context, t Target, settle time.Duration) (ScanReport, error) {
	lock, settler := in.companyState(t.Company.ID)
	lock.Lock()
	defer lock.Unlock()

	report := ScanReport{Company: t.Company.Code, StartedAt: in.opts.Now()}
	log := in.log.With("company", t.Company.Code)
	cands := in.look(log, t, &report)
	stable := settler.Observe(cands)
	if settle > 0 {
		select {
		case <-ctx.Done():
			return report, ctx.Err()
		case <-time.After(max(settle, in.opts.Settle)):
		}
		report = ScanReport{Company: t.Company.Code, StartedAt: report.StartedAt}
		stable = settler.Observe(in.look(log, t, &report))
	}
	report.Waiting = report.Found - len(stable)

	// Start at a random file, so instances sharing the inbox spread over
	// it instead of all contending for the same first file.
	if n := len(stable); n > 1 {
		k := rand.IntN(n)
		stable = append(stable[k:], stable[:k]...)
	}
	for _, c := range stable {
		if err := ctx.Err(); err != nil {
			report.FinishedAt = in.opts.Now()
			return report, err
		}
		f := in.loadFile(ctx, t, c, t.Archive != "")
		switch {
		case f.KeptInInbox:
			settler.HoldUntil(c, f.KeptUntil)
		case f.Outcome != OutcomeSkipped:
			settler.Forget(c.Path)
		}
		report.add(f)
		if f.ClaimedBy != "" {
			log.Info("file claimed by another instance", "path", f.Path, "owner", f.ClaimedBy,
				"expires", f.ClaimExpiresAt.Format(time.RFC3339))
		}
	}
	report.FinishedAt = in.opts.Now()
	level := slog.LevelInfo
	if report.Found == 0 && report.Ignored == 0 {
		level = slog.LevelDebug // an empty inbox at every poll is not news
	}
	log.Log(ctx, level, "scan finished", "found", report.Found, "waiting", report.Waiting,
		"ignored", report.Ignored, "loaded", report.Loaded, "rejected", report.Rejected,
		"duplicates", report.Duplicates, "failed", report.Failed, "claimed", report.Claimed,
		"duration", report.FinishedAt.Sub(report.StartedAt).Round(time.Millisecond).String())
	return report, nil
}

// look lists every inbox of t and logs what it ignored.
func (in *Ingester) look(log *slog.Logger, t Target, report *ScanReport) []Candidate {
	var all []Candidate
	in.mu.Lock()
	before := in.ignored[t.Company.ID]
	in.mu.Unlock()
	now := map[string]bool{}
	for _, box := range t.Inboxes {
		_, statErr := os.Stat(box.Dir)
		found, skipped, err := ListExtensions(box.Dir, in.opts.MaxDepth, in.extensions(box.Kind))
		if err != nil {
			log.Error("inbox scan failed", "inbox", box.Dir, "kind", box.Kind, "error", err)
		} else if errors.Is(statErr, os.ErrNotExist) {
			log.Info("inbox folder created", "inbox", box.Dir, "kind", box.Kind)
		}
		for _, s := range skipped {
			level := slog.LevelInfo
			if before[s.Path] {
				level = slog.LevelDebug
			}
			log.Log(context.Background(), level, "file ignored", "path", s.Path, "reason", s.Reason)
			now[s.Path] = true
		}
		report.Ignored += len(skipped)
		for i := range found {
			found[i].Company = t.Company.Code
			found[i].Kind = box.Kind
		}
		all = append(all, found...)
	}
	in.mu.Lock()
	in.ignored[t.Company.ID] = now
	in.mu.Unlock()
	in.logAhead(log, t.Company.ID, all)
	report.Found = len(all)
	return all
}

// logAhead logs once each file whose modification time is more than
// Settle in the future, as a host with a clock running ahead stamps it.
// The Settler waits until that time is Settle old, so without the warning
// such a file would wait in its inbox with no log line saying why.
func (in *Ingester) logAhead(log *slog.Logger, company store.CompanyID, cands []Candidate) {
	limit := in.opts.Now().Add(in.opts.Settle)
	in.mu.Lock()
	before := in.ahead[company]
	in.mu.Unlock()
	now := map[string]time.Time{}
	for _, c := range cands {
		if !c.ModTime.After(limit) {
			continue
		}
		now[c.Path] = c.ModTime
		if logged, ok := before[c.Path]; ok && logged.Equal(c.ModTime) {
			continue
		}
		log.Warn("file modification time is in the future", "path", c.Path,
			"modified", c.ModTime.UTC().Format(time.RFC3339),
			"reason", "the file waits in its inbox until that time, so check the clock of the host that wrote it, "+
				"or touch the file to load it now")
	}
	in.mu.Lock()
	in.ahead[company] = now
	in.mu.Unlock()
}

// LoadFiles loads the given files at once, without waiting for them to
// settle, for one-off loads from the command line. Files are moved to the
// archive only when t.Archive is set. progress, when not nil, is called
// after each file.
func (in *Ingester) LoadFiles(ctx context.Context, t Target, kind string, paths []string, progress func(FileReport)) (ScanReport, error) {
	lock, _ := in.companyState(t.Company.ID)
	lock.Lock()
	defer lock.Unlock()

	report := ScanReport{Company: t.Company.Code, StartedAt: in.opts.Now()}
	for _, p := range paths {
		if err := ctx.Err(); err != nil {
			return report, err
		}
		info, err := os.Stat(p)
		var f FileReport
		if err != nil {
			f = FileReport{Company: t.Company.Code, Kind: kind, Path: p, Outcome: OutcomeFailed, Reason: err.Error()}
			in.log.Error("file load failed", "company", t.Company.Code, "path", p, "error", err)
		} else {
			c := Candidate{Company: t.Company.Code, Kind: kind, Path: p, Rel: filepath.Base(p), Size: info.Size(), ModTime: info.ModTime()}
			report.Found++
			f = in.loadFile(ctx, t, c, t.Archive != "")
		}
		report.add(f)
		if progress != nil {
			progress(f)
		}
	}
	report.FinishedAt = in.opts.Now()
	return report, nil
}

func (in *Ingester) companyState(id store.CompanyID) (*sync.Mutex, *Settler) {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.running[id] == nil {
		in.running[id] = &sync.Mutex{}
		settler := NewSettler()
		settler.Quiet = in.opts.Settle
		settler.Now = in.opts.Now
		in.settlers[id] = settler
	}
	return in.running[id], in.settlers[id]
}

// ownerToken returns 8 random hex digits.
func ownerToken() string {
	return fmt.Sprintf("%08x", rand.Uint32())
}

// hashFile returns the hex SHA-256 of the file at path.
func hashFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// claimKey identifies one version of an inbox file across instances: its
// kind, path relative to the inbox, size and modification time. A copy of
// the same bytes dropped later has another modification time, so it is
// claimed anew and recorded as a duplicate.
func claimKey(c Candidate) string {
	return fmt.Sprintf("%s:%s@%d@%d", c.Kind, c.Rel, c.Size, c.ModTime.UnixNano())
}

// sameFile reports whether path still has the size and modification time
// seen in c.
func sameFile(c Candidate) (bool, error) {
	info, err := os.Stat(c.Path)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return info.Size() == c.Size && info.ModTime().Equal(c.ModTime), nil
}
