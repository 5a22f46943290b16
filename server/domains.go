package server

import (
	"github.com/bludispatcher/dispatcher/server/ingest"
)

// domainLoaders returns the loaders of the SII registry extracts (kind
// "rcu"), PRA files ("pra"), GME market files ("gme"), and of inboxes
// that receive all three ("sii").
func domainLoaders() []ingest.Loader {
	rcu := &ingest.RCULoader{}
	pra := &ingest.PRALoader{}
	gme := &ingest.GMELoader{RequirePUN: true}
	return []ingest.Loader{rcu, pra, gme, &ingest.SIILoader{RCU: rcu, PRA: pra, GME: gme}}
}
