package ingest

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/bludispatcher/dispatcher/internal/anomaly"
	"github.com/bludispatcher/dispatcher/internal/archive"
)

// cutShortZip reports whether err, found walking the inbox file at path,
// shows a zip cut short: the file starts with a zip local file header but
// has no end of central directory record, as a zip still being written
// has. A zip damaged in another way is not cut short. A corrupt zip that
// lacks the end record looks the same, so the caller tells the two apart
// by age (see Options.CutShortWait).
func cutShortZip(path string, err error) bool {
	if !errors.Is(err, archive.ErrCorrupt) || !errors.Is(err, zip.ErrFormat) {
		return false
	}
	return startsWithLocalHeader(path)
}

// startsWithLocalHeader reports whether the file at path starts with the
// signature of a zip local file header.
func startsWithLocalHeader(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	magic := make([]byte, 4)
	if _, err := io.ReadFull(f, magic); err != nil {
		return false
	}
	return string(magic) == "PK\x03\x04"
}

// zipBeingCopied reports whether the inbox file c, which loader opens as
// a zip, has no end of central directory record yet and changed less
// than CutShortWait ago. Such a file is a copy in progress and gets no
// load entry.
func (in *Ingester) zipBeingCopied(loader Loader, c Candidate) bool {
	if wl, ok := loader.(WholeFileLoader); ok && wl.WholeFile(c.Path) && !isZip(c.Path) {
		return false // such as a spreadsheet, which is a zip read whole
	}
	if !in.opts.Now().Before(in.cutShortDeadline(c)) {
		return false
	}
	f, err := os.Open(c.Path)
	if err != nil {
		return false // the load reports the error
	}
	defer f.Close()
	return archive.EndRecordMissing(f, c.Size)
}

// waitForCopy reports the zip c, still being copied, as kept in its inbox
// until CutShortWait after its last change. It stores nothing, so a copy
// that pauses many times leaves no entry in the load log.
func (in *Ingester) waitForCopy(log *slog.Logger, report FileReport, c Candidate) FileReport {
	report.Outcome = OutcomeSkipped
	report.KeptInInbox = true
	report.KeptUntil = in.cutShortDeadline(c)
	report.Reason = fmt.Sprintf("the zip has no end of central directory record yet, so a copy may still be in progress. "+
		"It waits in the inbox until it changes, or until %s, when it is rejected as corrupt",
		report.KeptUntil.UTC().Format(time.RFC3339))
	log.Info("zip copy in progress", "kind", c.Kind, "size", c.Size,
		"modified", c.ModTime.UTC().Format(time.RFC3339), "kept_until", report.KeptUntil.UTC().Format(time.RFC3339))
	return report
}

// cutShortDeadline returns when the inbox file c stops counting as a zip
// copy in progress: CutShortWait after its modification time.
func (in *Ingester) cutShortDeadline(c Candidate) time.Time {
	return c.ModTime.Add(in.opts.CutShortWait)
}

// cutShortAnomaly returns the anomaly of the cut-short zip c. While the
// zip may still be copied, the anomaly has rule RuleTruncated, so that the
// zip stays in its inbox. Once the zip is older than CutShortWait, the
// anomaly is that of a plain unreadable file.
// A young zip reaches the walk only when it lost its end record after
// zipBeingCopied looked, because such a zip is otherwise not loaded.
func (in *Ingester) cutShortAnomaly(c Candidate, err error) anomaly.Anomaly {
	a := entryAnomaly(c.Path, err)
	if in.opts.Now().Before(in.cutShortDeadline(c)) {
		a.Rule = RuleTruncated
		return a
	}
	a.Message = fmt.Sprintf("the zip has no end of central directory record and has not changed since %s, more than %s, "+
		"so it is rejected as corrupt instead of waiting for the rest of a copy: send the file again (%v)",
		c.ModTime.UTC().Format(time.RFC3339), in.opts.CutShortWait, err)
	return a
}
