package server

import (
	"sort"

	"github.com/bludispatcher/dispatcher/server/config"
	"github.com/bludispatcher/dispatcher/server/ingest"
	"github.com/bludispatcher/dispatcher/server/store"
)

// Kinds returns the inbox kinds that a server loads, sorted: the kinds
// that configured inboxes and "dispatcher load -kind" accept. It needs no
// configuration or store, so a command can check a kind before opening
// either.
func Kinds() []string {
	var kinds []string
	for _, l := range allLoaders(config.Config{}, nil, &ingest.OutcomesLoader{}, &ingest.GroupLoader{}) {
		kinds = append(kinds, l.Kind())
	}
	sort.Strings(kinds)
	return kinds
}

// allLoaders returns the loader of every inbox kind, with outcomes and
// groups passed in because New configures them further.
func allLoaders(cfg config.Config, st store.Store, outcomes *ingest.OutcomesLoader, groups *ingest.GroupLoader) []ingest.Loader {
	return append([]ingest.Loader{&ingest.FlowsLoader{Options: flowsOptions(cfg.Flows)}, outcomes, groups}, domainLoaders(st)...)
}
