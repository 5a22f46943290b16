package ingest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/reseller"
	"github.com/bludispatcher/dispatcher/server/store"
)

// StaleStaging is the age after which Publish removes a staging folder
// that has no committed or rejected load. Such a folder is left by a load
// that rolled back or whose instance stopped, and its file loads again.
const StaleStaging = 10 * time.Minute

// Publish moves the parts of every committed load of the group company
// from the staging folder into the company inboxes, and returns where they
// went. It removes the staging folders of rejected loads and the stale
// ones (see StaleStaging). A part whose target already exists with the
// same SHA-256 counts as moved, so a Publish that stopped half-way can run
// again. A target of the same name with other bytes is left alone, and
// the part goes to a subfolder named by the group and the part's digest.
func (l *GroupLoader) Publish(ctx context.Context, st store.Store, company Company) ([]string, error) {
	g := l.Groups[company.Code]
	if g == nil {
		return nil, nil
	}
	entries, err := os.ReadDir(g.Staging)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var moved []string
	var errs []error
	for _, e := range entries {
		sha, month, ok := parseStageName(e.Name())
		if !e.IsDir() || !ok {
			continue
		}
		stage := filepath.Join(g.Staging, e.Name())
		state, err := stageState(ctx, st, company.ID, sha, month)
		if err != nil {
			return moved, err
		}
		switch state {
		case store.StatusLoaded:
			to, err := publishStage(g, company.Code, stage)
			moved = append(moved, to...)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			errs = append(errs, os.RemoveAll(stage))
		case store.StatusRejected:
			errs = append(errs, os.RemoveAll(stage))
		default:
			if info, err := e.Info(); err == nil && l.now().Sub(info.ModTime()) > StaleStaging {
				errs = append(errs, os.RemoveAll(stage))
			}
		}
	}
	return moved, errors.Join(errs...)
}

// stageState returns StatusLoaded when a committed load of sha stored the
// split, StatusRejected when its loads were all rejected, and "" when no
// load of sha is committed yet. A non-zero month counts only the loads
// whose names give that month, as stageName does.
func stageState(ctx context.Context, st store.Store, company store.CompanyID, sha string, month civil.Month) (store.LoadStatus, error) {
	loads, _, err := st.ListLoads(ctx, store.LoadFilter{Company: company, SHA256: sha})
	if err != nil {
		return "", err
	}
	var state store.LoadStatus
	for _, l := range loads {
		if !month.IsZero() && MonthFromName(l.Name, l.StartedAt) != month {
			continue
		}
		switch l.Status {
		case store.StatusLoaded, store.StatusLoadedWithAnomalies:
			return store.StatusLoaded, nil
		case store.StatusRejected:
			state = store.StatusRejected
		}
	}
	return state, nil
}

// publishStage moves the parts listed in the manifest of stage.
func publishStage(g *GroupRoute, group, stage string) ([]string, error) {
	b, err := os.ReadFile(filepath.Join(stage, manifestName))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil // the load wrote no part
	}
	if err != nil {
		return nil, err
	}
	var m manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("staging %s: invalid manifest: %w", stage, err)
	}
	var moved []string
	for _, p := range m.Parts {
		dir := g.Unassigned
		if p.Company != reseller.Unassigned && g.Inboxes[p.Company][m.Kind] != "" {
			dir = g.Inboxes[p.Company][m.Kind]
		}
		to, err := movePart(filepath.Join(stage, p.Company, p.Name), dir, group, p)
		if err != nil {
			return moved, fmt.Errorf("move part %s of company %s: %w", p.Name, p.Company, err)
		}
		if to != "" {
			moved = append(moved, to)
		}
	}
	return moved, nil
}

// movePart moves src into dir under the part's visibleName, and returns
// the path it went to, or "" when it was moved before.
func movePart(src, dir, group string, p manifestPart) (string, error) {
	if _, err := os.Stat(src); errors.Is(err, os.ErrNotExist) {
		return "", nil
	}
	name := visibleName(p.Name)
	target := filepath.Join(dir, name)
	for _, candidate := range []string{target, filepath.Join(dir, group+"-"+p.SHA256[:12], name)} {
		sum, err := hashFile(candidate)
		if errors.Is(err, os.ErrNotExist) {
			return candidate, moveFile(src, candidate)
		}
		if err != nil {
			return "", err
		}
		if sum == p.SHA256 {
			return "", os.Remove(src) // already there with the same bytes
		}
	}
	return "", fmt.Errorf("%s and its fallback already exist with other bytes", target)
}

// visibleName drops the leading dots of a part's name, because the inbox
// scan skips files whose names start with a dot and the part would never
// load. A name of dots only becomes "part".
func visibleName(name string) string {
	if trimmed := strings.TrimLeft(name, "."); trimmed != "" {
		return trimmed
	}
	return "part"
}

// moveFile renames src to dst. When the two are on different file
// systems it copies through a hidden temporary file, so an inbox scan
// never lists a partial file.
func moveFile(src, dst string) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	if err := os.Rename(src, dst); err == nil {
		return nil
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	tmp, err := os.CreateTemp(filepath.Dir(dst), "."+filepath.Base(dst)+".*.tmp")
	if err != nil {
		return err
	}
	if _, err := io.Copy(tmp, in); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := errors.Join(tmp.Sync(), tmp.Close()); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Remove(src)
}
