package ingest

import (
	"context"

	"github.com/shopspring/decimal"

	"github.com/bludispatcher/dispatcher/edi"
	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/internal/itnum"
	"github.com/bludispatcher/dispatcher/server/store"
)

// StoreRegistry is the edi.Registry of one company over the store's POD
// registry entries.
type StoreRegistry struct {
	Store   store.Store
	Company store.CompanyID
}

var _ edi.Registry = StoreRegistry{}

// Supplied reports whether the registry entries of point cover every day
// from from to to, both included. The company argument is the company's
// code; the registry of r.Company is read whatever it is.
func (r StoreRegistry) Supplied(ctx context.Context, _ string, point string, from, to civil.Date) (bool, error) {
	entries, err := r.Store.RegistryEntries(ctx, r.Company, point)
	if err != nil {
		return false, err
	}
	return covers(entries, from, to), nil
}

// covers reports whether entries, ordered by ValidFrom, cover every day
// from from to to without a gap.
func covers(entries []store.RegistryEntry, from, to civil.Date) bool {
	next := from // the first day not covered yet
	for _, e := range entries {
		if e.ValidFrom.After(next) {
			return false
		}
		if e.ValidTo.IsZero() {
			return true
		}
		if !e.ValidTo.Before(next) {
			next = e.ValidTo.AddDays(1)
		}
		if next.After(to) {
			return true
		}
	}
	return false
}

// StoreMeteredEnergy is the edi.MeteredEnergy of one company over the
// active-energy (Ea) quarter-hour curves of the loaded metering flows.
//
// NOTE: monthly readings are not used, because a reading is a register
// value, not the energy of the period. A POD without a curve for every
// day of the period has no metered energy, so edi.CheckAgainstData
// reports it as a warning instead of comparing.
type StoreMeteredEnergy struct {
	Store   store.Store
	Company store.CompanyID
}

var _ edi.MeteredEnergy = StoreMeteredEnergy{}

// MeteredEnergy sums the newest Ea curve of pod over every day from from
// to to, both included, in kWh. It returns false when a day has no curve.
func (m StoreMeteredEnergy) MeteredEnergy(ctx context.Context, _ string, pod string, from, to civil.Date) (decimal.Decimal, bool, error) {
	days, err := m.Store.Curve(ctx, m.Company, pod, store.DateRange{From: from, To: to}, true)
	if err != nil {
		return decimal.Decimal{}, false, err
	}
	sum := decimal.Zero
	seen := map[civil.Date]bool{}
	for _, d := range days {
		if d.KindName != "Ea" {
			continue
		}
		seen[d.Day] = true
		for _, s := range d.Slots {
			if !s.Set || s.Text == "" {
				continue
			}
			v, err := itnum.ParseLoose(s.Text)
			if err != nil {
				return decimal.Decimal{}, false, nil
			}
			sum = sum.Add(v)
		}
	}
	for d := from; !d.After(to); d = d.AddDays(1) {
		if !seen[d] {
			return decimal.Decimal{}, false, nil
		}
	}
	return sum, true, nil
}
