package ingest

import (
	"bufio"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/bludispatcher/dispatcher/flows"
	"github.com/bludispatcher/dispatcher/internal/anomaly"
	"github.com/bludispatcher/dispatcher/internal/archive"
	"github.com/bludispatcher/dispatcher/server/store"
)

// loadFile claims one inbox file, loads each of its documents in its own
// transaction, moves the file to the archive when move is set and all of
// them committed, and gives the claim up.
func (in *Ingester) loadFile(ctx context.Context, t Target, c Candidate, move bool) FileReport {
	log := in.log.With("company", t.Company.Code, "path", c.Path)
	report := FileReport{Company: t.Company.Code, Kind: c.Kind, Path: c.Path, Size: c.Size}
	fail := func(reason string, err error) FileReport {
		report.Outcome = OutcomeFailed
		report.Reason = fmt.Sprintf("%s: %v", reason, err)
		level := slog.LevelError
		if in.failedBefore(c.Path, report.Reason) {
			level = slog.LevelDebug // logged at error level at the first failure
		}
		log.Log(ctx, level, "file load failed", "kind", c.Kind, "step", reason, "error", err)
		return report
	}
	defer func() {
		if report.Outcome != OutcomeFailed {
			in.forgetFailure(c.Path)
		}
	}()
	skip := func(reason string) FileReport {
		report.Outcome = OutcomeSkipped
		report.Reason = reason
		log.Debug("file skipped", "reason", reason)
		return report
	}

	loader, ok := in.loaders.Loader(c.Kind)
	if !ok {
		return fail("find loader", fmt.Errorf("no loader for kind %q", c.Kind))
	}
	if in.zipBeingCopied(loader, c) {
		return in.waitForCopy(log, report, c)
	}
	sum, err := hashFile(c.Path)
	if errors.Is(err, os.ErrNotExist) {
		return skip("the file disappeared before it was read")
	}
	if err != nil {
		return fail("read", err)
	}
	report.SHA256 = sum

	claim, err := in.store.Claim(ctx, store.ClaimRequest{
		Company: t.Company.ID, Path: claimKey(c), SHA256: sum,
		Owner: in.opts.Owner, TTL: in.opts.ClaimTTL,
	})
	switch {
	case errors.Is(err, store.ErrClaimed):
		var held *store.ClaimedError
		if errors.As(err, &held) {
			report.ClaimedBy = held.Owner
			report.ClaimExpiresAt = held.ExpiresAt
		}
		return skip("another instance is loading the file")
	case errors.Is(err, store.ErrClaimDone):
		report.Outcome = OutcomeDone
		report.Reason = "another instance already loaded the file"
		if move {
			report.ArchivedTo = in.archive(log, t, c)
		}
		return report
	case err != nil:
		return fail("claim", err)
	}
	loadCtx, stopRenew := in.keepClaim(ctx, log, claim)
	defer func() {
		stopRenew()
		// A fresh context: the claim must be given up also when ctx ended.
		relCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		if err := in.store.ReleaseClaim(relCtx, claim); err != nil && !errors.Is(err, store.ErrClaimLost) {
			log.Error("claim release failed", "error", err)
		}
	}()

	// Another instance may have loaded and archived the file between our
	// look and our claim: look again now that the claim is ours.
	same, err := sameFile(c)
	if err != nil {
		return fail("stat", err)
	}
	if !same {
		return skip("the file changed or moved before it was claimed")
	}

	log.Info("file load started", "kind", c.Kind, "size", c.Size, "sha256", sum)
	c.loadStarted = in.opts.Now()
	loads, earlier, err := in.loadDocuments(loadCtx, t.Company, loader, c)
	report.Loads = loads
	report.Earlier = earlier
	for _, l := range loads {
		log.Info("load committed", "load", l.ID, "name", l.Name, "flow", l.FlowCode, "status", l.Status,
			"records_loaded", l.RecordsLoaded, "records_rejected", l.RecordsRejected,
			"anomalies", l.AnomalyCount, "blocking", l.BlockingCount, "duplicate_of", l.DuplicateOf)
	}
	for _, l := range earlier {
		log.Info("load already committed", "load", l.ID, "name", l.Name, "status", l.Status)
	}
	if err != nil {
		return fail("load", err)
	}
	report.Outcome = OutcomeDone
	truncated, err := in.truncated(ctx, t.Company, c, append(loads, earlier...))
	if err != nil {
		return fail("read anomalies", err)
	}
	if truncated {
		// A writer may still be appending: archiving now would split the
		// file, so it stays until a complete version (a new hash) loads.
		report.KeptInInbox = true
		if startsWithLocalHeader(c.Path) {
			report.KeptUntil = in.cutShortDeadline(c)
		}
		report.Reason = "the file ends early, as one still being written does: kept in the inbox until it changes"
		log.Warn("file kept in its inbox", "reason", report.Reason)
		return report
	}
	if move {
		report.ArchivedTo = in.archive(log, t, c)
	}
	return report
}

// keepClaim renews the claim every third of its TTL until the returned
// stop function is called. When the claim is lost the returned context is
// cancelled, so the load stops and rolls back.
func (in *Ingester) keepClaim(ctx context.Context, log *slog.Logger, claim store.Claim) (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(ctx)
	done := make(chan struct{})
	exited := make(chan struct{})
	go func() {
		defer close(exited)
		tick := time.NewTicker(in.opts.ClaimTTL / 3)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-tick.C:
				renewed, err := in.store.RenewClaim(ctx, claim, in.opts.ClaimTTL)
				if err != nil {
					log.Error("claim renewal failed", "error", err)
					if errors.Is(err, store.ErrClaimLost) {
						cancel(err)
						return
					}
					continue
				}
				claim = renewed
			}
		}
	}()
	return ctx, func() {
		close(done)
		cancel(nil)
		<-exited // no renewal may run after the claim is released
	}
}

// archive moves the file to the company's archive and returns where it
// went, or "" when the move failed (the file then stays in its inbox and a
// later scan finds its loads already committed).
func (in *Ingester) archive(log *slog.Logger, t Target, c Candidate) string {
	dst := ArchivePath(t.Archive, in.opts.Now(), c.Rel)
	to, err := MoveToArchive(c.Path, dst)
	if errors.Is(err, os.ErrNotExist) {
		return "" // another instance moved it first
	}
	if err != nil {
		log.Error("archive move failed", "archive", t.Archive, "error", err)
		return ""
	}
	return to
}

// loadDocuments walks the file and loads each XML document in it, or each
// visible entry that an AllEntriesLoader does not skip. Entries that
// cannot be read, and those skipped, are gathered into one load of the
// whole file, whose original is the file itself. That load is rejected
// when an entry cannot be read. It stops at the first store error. It
// returns the loads it committed and, separately, the earlier loads of
// documents it found already committed (see committedBefore).
func (in *Ingester) loadDocuments(ctx context.Context, company Company, loader Loader, c Candidate) (loads, earlier []store.Load, err error) {
	if wl, ok := loader.(WholeFileLoader); ok && wl.WholeFile(c.Path) {
		return in.loadWhole(ctx, company, loader, c)
	}
	var broken, skipped anomaly.List
	keep := func(l store.Load, before bool) {
		if before {
			earlier = append(earlier, l)
		} else {
			loads = append(loads, l)
		}
	}
	opts := in.opts.Archive
	sorter, sorts := loader.(AllEntriesLoader)
	opts.AllFiles = sorts
	var headReader *bufio.Reader // reused: entries are read one at a time
	if sorts {
		headReader = bufio.NewReaderSize(nil, EntryHeadLen)
	}
	walkErr := archive.WalkFile(c.Path, opts, func(e archive.Entry) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if e.Err != nil {
			if errors.Is(e.Err, archive.ErrNotXML) && e.Depth > 0 {
				in.log.Info("archive entry ignored", "company", company.Code, "path", e.Path, "reason", e.Err)
				return nil
			}
			a := entryAnomaly(e.Path, e.Err)
			if e.Path == c.Path && cutShortZip(c.Path, e.Err) {
				a = in.cutShortAnomaly(c, e.Err)
			}
			broken = append(broken, a)
			return nil
		}
		body := e.Reader
		if sorts && e.Depth > 0 {
			br := headReader
			br.Reset(e.Reader)
			head, err := br.Peek(EntryHeadLen)
			var entryErr *archive.EntryError
			switch {
			case errors.As(err, &entryErr):
				broken = append(broken, entryAnomaly(e.Path, err))
				return nil
			case err != nil && !errors.Is(err, io.EOF):
				return err
			}
			if a, skip := sorter.SkipEntry(e.Path, e.Name, e.Size, head); skip {
				skipped = append(skipped, a)
				return nil
			}
			body = br
		}
		sp, err := newSpool(body, in.opts.TempDir)
		if err != nil {
			var entryErr *archive.EntryError
			if errors.As(err, &entryErr) {
				broken = append(broken, entryAnomaly(e.Path, err))
				return nil
			}
			return err
		}
		defer sp.Close()
		l, before, err := in.loadDocument(ctx, company, loader, c, e.Name, e.Path, sp, nil)
		if err != nil {
			return err
		}
		keep(l, before)
		return nil
	})
	if len(skipped) > 0 {
		in.log.Info("archive entries not extracted", "company", company.Code, "path", c.Path,
			"entries", len(skipped), "reason", "the loader does not take their kind, so each is named in a warning of the zip's load")
	}
	if walkErr != nil || len(broken)+len(skipped) == 0 {
		return loads, earlier, walkErr
	}
	l, before, err := in.loadWithAnomalies(ctx, company, loader, c, append(broken, skipped...))
	if err != nil {
		return loads, earlier, err
	}
	keep(l, before)
	return loads, earlier, nil
}

// loadWithAnomalies records a load of the whole inbox file, whose original
// is the file, with file-level anomalies about its entries. It is rejected
// when one of them is blocking, such as an entry that could not be read.
func (in *Ingester) loadWithAnomalies(ctx context.Context, company Company, loader Loader, c Candidate, broken anomaly.List) (store.Load, bool, error) {
	f, err := os.Open(c.Path)
	if err != nil {
		return store.Load{}, false, err
	}
	defer f.Close()
	sp, err := newSpool(f, in.opts.TempDir)
	if err != nil {
		return store.Load{}, false, err
	}
	defer sp.Close()
	return in.loadDocument(ctx, company, loader, c, filepath.Base(c.Path), c.Path, sp, broken)
}

// entryAnomaly turns an unreadable file or archive entry into a blocking
// file-level anomaly.
func entryAnomaly(path string, err error) anomaly.Anomaly {
	return anomaly.Anomaly{
		Code:     flows.CodeStructure,
		Rule:     RuleUnreadable,
		Severity: anomaly.Blocking,
		Level:    anomaly.FileLevel,
		File:     filepath.Base(path),
		Field:    path,
		Message:  "the file cannot be read: " + err.Error(),
	}
}

// loadDocument loads one document in one transaction. With broken set, the
// document is not parsed. The load stores those anomalies and is rejected
// when one of them is blocking.
// A document whose load already committed for this same unchanged file
// (an instance stopped before moving it) is not loaded again: its earlier
// load is returned with true.
func (in *Ingester) loadDocument(ctx context.Context, company Company, loader Loader, c Candidate,
	name, path string, sp *spool, broken anomaly.List) (store.Load, bool, error) {
	sum := hex.EncodeToString(sp.sha[:])
	prev, ok, err := in.committedBefore(ctx, company, path, sum, c)
	if err != nil {
		return store.Load{}, false, err
	}
	if ok && broken != nil && !hasRule(broken, RuleTruncated) {
		// The earlier load may have kept a zip cut short as a copy in
		// progress. Unchanged and now older than CutShortWait, it is
		// loaded again to be rejected as corrupt and archived.
		keptAsCopy, err := in.truncated(ctx, company, c, []store.Load{prev})
		if err != nil {
			return store.Load{}, false, err
		}
		ok = !keptAsCopy
	}
	if ok {
		return prev, true, nil
	}
	info := store.LoadInfo{
		Company:   company.ID,
		Name:      name,
		Path:      path,
		Size:      sp.size,
		SHA256:    sum,
		StartedAt: in.opts.Now(),
		Original:  sp.Reader(),
	}
	if fn, err := flows.ParseFileName(name); err == nil {
		info.FlowCode = fn.FlowCode
	}
	if m, ok := loader.(RepeatMatcher); ok {
		info.Repeats = func(prevName string, prevStarted time.Time) bool {
			return m.Repeats(name, prevName, prevStarted)
		}
	}
	tx, err := in.store.BeginLoad(ctx, info)
	var dup *store.DuplicateError
	if errors.As(err, &dup) {
		return dup.Load, false, nil
	}
	if err != nil {
		return store.Load{}, false, err
	}
	if broken != nil {
		err = tx.AddAnomalies(ctx, broken)
	} else {
		doc := Document{Name: name, Path: path, SHA256: sp.sha, Body: sp.Reader()}
		err = loader.Load(ctx, company, doc, tx)
	}
	if err != nil {
		rbCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		if rbErr := tx.Rollback(rbCtx); rbErr != nil && !errors.Is(rbErr, store.ErrTxDone) {
			err = errors.Join(err, rbErr)
		}
		return store.Load{}, false, err
	}
	l, err := tx.Commit(ctx)
	if err == nil && in.opts.AfterCommit != nil {
		in.opts.AfterCommit(ctx, company, l)
	}
	return l, false, err
}

// hasRule reports whether an anomaly of list has the rule.
func hasRule(list anomaly.List, rule string) bool {
	for _, a := range list {
		if a.Rule == rule {
			return true
		}
	}
	return false
}

// committedBefore finds a load of the same document path and bytes that
// started after the inbox file c was last modified and before its present
// load: the same file, loaded by an instance that stopped before moving
// it to the archive.
func (in *Ingester) committedBefore(ctx context.Context, company Company, path, sum string, c Candidate) (store.Load, bool, error) {
	// The bounds on the start leave out loads older than the file and the
	// loads of this present run, such as those of the file's earlier
	// entries. The store finds the candidates through its SHA-256 index.
	since := c.ModTime.Truncate(time.Second)
	started := store.TimeRange{From: since}
	if !c.loadStarted.IsZero() {
		// One microsecond on, the store's precision, so that a load that
		// started at the same instant under a fixed test clock still counts.
		// NOTE: an earlier load stamped by an instance whose clock runs
		// ahead of this one's can fall after the bound. Its documents then
		// load again as duplicates instead of being reported as earlier.
		started.To = c.loadStarted.Add(time.Microsecond)
	}
	loads, _, err := in.store.ListLoads(ctx, store.LoadFilter{Company: company.ID, SHA256: sum, Started: started})
	if err != nil {
		return store.Load{}, false, err
	}
	for _, l := range loads {
		if l.Path == store.EscapePath(path) && l.Status != store.StatusDuplicate && !l.StartedAt.Before(since) {
			return l, true, nil
		}
	}
	return store.Load{}, false, nil
}

// truncated reports whether one of the loads is the inbox file itself
// (an XML file, or a zip with no readable end), rejected with a
// RuleTruncated anomaly.
func (in *Ingester) truncated(ctx context.Context, company Company, c Candidate, loads []store.Load) (bool, error) {
	for _, l := range loads {
		if l.Path != store.EscapePath(c.Path) || l.Status != store.StatusRejected {
			continue
		}
		for page := (store.Page{Limit: store.MaxLimit}); ; page.Offset += page.Limit {
			anomalies, total, err := in.store.Anomalies(ctx, company.ID, l.ID, page)
			if err != nil {
				return false, err
			}
			for _, a := range anomalies {
				if a.Rule == RuleTruncated {
					return true, nil
				}
			}
			if len(anomalies) == 0 || page.Offset+len(anomalies) >= total {
				break
			}
		}
	}
	return false, nil
}
