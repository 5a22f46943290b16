package server

import (
	"context"
	"log/slog"

	"github.com/shopspring/decimal"

	"github.com/bludispatcher/dispatcher/server/config"
	"github.com/bludispatcher/dispatcher/server/ingest"
	"github.com/bludispatcher/dispatcher/server/store"
	"github.com/bludispatcher/dispatcher/server/switching"
)

// newSwitchService builds the switch validation of the configuration. The
// store's export queue receives the "switch completed" and "switch
// withdrawn" events, and the supply points of the store's registry give the technical data that the
// functional data are compared with.
func newSwitchService(cfg config.Config, st store.Store, log *slog.Logger) *switching.Service {
	opts := switching.Options{
		Tolerance:        decimal.NewFromInt(int64(cfg.Switching.ConsumptionTolerancePercent)).Shift(-2),
		MissingAfterDays: cfg.Switching.MissingAfterDays,
	}
	return switching.New(st, opts, switching.StoreRegistry{Store: st}, st, log)
}

// afterCommit validates the switches that a committed load may complete.
// A failure is logged and leaves the load as it is: the next load of the
// switch, or POST /api/v1/switches/validate, runs the validation again.
func (s *Server) afterCommit(ctx context.Context, company ingest.Company, l store.Load) {
	switches, err := s.switches.ValidateLoad(ctx, company.ID, l)
	if err != nil {
		s.log.Error("switch validation after load failed", "company", company.Code, "load", l.ID,
			"file", l.Name, "error", err)
	}
	if len(switches) > 0 {
		s.log.Debug("switches validated after load", "company", company.Code, "load", l.ID, "switches", len(switches))
	}
}
