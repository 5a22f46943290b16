package server

import (
	"github.com/bludispatcher/dispatcher/server/ingest"
	"github.com/bludispatcher/dispatcher/server/store"
)

// domainLoaders returns the loaders of the SII registry extracts (kind
// "rcu"), PRA files ("pra"), GME market files ("gme"), inboxes that
// receive all three ("sii"), and transport invoices ("invoices"), which
// read st for duplicates, registry entries and curves.
func domainLoaders(st store.Store) []ingest.Loader {
	rcu := &ingest.RCULoader{}
	pra := &ingest.PRALoader{}
	gme := &ingest.GMELoader{RequirePUN: true}
	return []ingest.Loader{rcu, pra, gme, &ingest.SIILoader{RCU: rcu, PRA: pra, GME: gme},
		&ingest.InvoiceLoader{Store: st}}
}
