package switching

import (
	"context"
	"errors"

	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/server/store"
)

// StoreRegistry is the RegistrySource over the supply points that billing
// pushes to the store's registry.
type StoreRegistry struct {
	Store store.RegistryStore
}

// RegistryFacts returns the treatment, voltage and powers that billing
// recorded for pod, by regulated name, when its supply point is valid on
// date. It returns nil when the point is unknown, not valid on date, or
// carries none of them.
func (r StoreRegistry) RegistryFacts(ctx context.Context, company store.CompanyID, pod string, date civil.Date) (map[string]string, error) {
	p, err := r.Store.SupplyPoint(ctx, company, pod)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if p.Validity.From.After(date) || (!p.Validity.To.IsZero() && p.Validity.To.Before(date)) {
		return nil, nil
	}
	facts := map[string]string{}
	for name, value := range map[string]string{
		"Trattamento": p.Technical.Treatment,
		"Tensione":    p.Technical.Voltage,
		"PotImp":      p.Technical.ContractedPower,
		"PotDisp":     p.Technical.AvailablePower,
	} {
		if value != "" {
			facts[name] = value
		}
	}
	if len(facts) == 0 {
		return nil, nil
	}
	return facts, nil
}
