package server

import (
	"context"
	"path/filepath"

	"github.com/bludispatcher/dispatcher/reseller"
	"github.com/bludispatcher/dispatcher/server/config"
	"github.com/bludispatcher/dispatcher/server/ingest"
	"github.com/bludispatcher/dispatcher/server/store"
)

// Folders of a group below its archive.
const (
	// groupStaging holds the parts of each group document until its load
	// commits; the leading dot keeps it out of sight of copy tools.
	groupStaging = ".staging"
	// groupUnassigned receives the parts of records no rule routes.
	groupUnassigned = "unassigned"
)

// newGroupLoader returns the loader of the group inboxes of cfg. A group
// whose routing table does not load is left out; cfg.Validate reports it.
func newGroupLoader(cfg config.Config) *ingest.GroupLoader {
	l := &ingest.GroupLoader{Groups: map[string]*ingest.GroupRoute{}}
	for _, g := range cfg.Groups {
		t, err := g.Table()
		if err != nil {
			continue
		}
		router, err := t.Compile()
		if err != nil {
			continue
		}
		route := &ingest.GroupRoute{
			Router:     router,
			Staging:    filepath.Join(g.Archive, groupStaging),
			Unassigned: filepath.Join(g.Archive, groupUnassigned),
			Inboxes:    map[string]map[reseller.Kind]string{},
		}
		for _, co := range cfg.Companies {
			route.Inboxes[co.ID] = map[reseller.Kind]string{
				reseller.KindFlow: firstInbox(co, config.KindFlows),
				reseller.KindRCU:  firstInbox(co, ingest.KindRCU, ingest.KindSII),
				reseller.KindGME:  firstInbox(co, ingest.KindGME, ingest.KindSII),
			}
		}
		l.Groups[g.ID] = route
	}
	return l
}

// firstInbox returns the company's first inbox of the first of kinds it
// has, or "".
func firstInbox(co config.Company, kinds ...string) string {
	for _, k := range kinds {
		if dirs := co.Inboxes[k]; len(dirs) > 0 {
			return dirs[0]
		}
	}
	return ""
}

// addGroups registers each group as a company of the store, with its
// group inboxes, archive and tokens, so that its loads have a log of
// their own. It then moves the parts that a stopped instance left in
// staging.
func (s *Server) addGroups(ctx context.Context) error {
	for _, g := range s.cfg.Groups {
		if err := s.addCompany(ctx, g.AsCompany(ingest.KindGroup)); err != nil {
			return err
		}
	}
	for _, id := range s.order {
		s.publishGroup(ctx, s.targets[id].Company)
	}
	return nil
}

// afterLoad runs after every committed load: the switch checks, then the
// move of the parts of a group load into the company inboxes.
func (s *Server) afterLoad(ctx context.Context, company ingest.Company, l store.Load) {
	s.afterCommit(ctx, company, l)
	s.publishGroup(ctx, company)
}

// publishGroup moves the parts of the committed loads of a group, and
// does nothing for a company that is not a group.
func (s *Server) publishGroup(ctx context.Context, company ingest.Company) {
	moved, err := s.groups.Publish(ctx, s.store, company)
	for _, path := range moved {
		s.log.Info("group part moved", "group", company.Code, "to", path)
	}
	if err != nil {
		s.log.Error("group part move failed", "group", company.Code, "error", err)
	}
}
