// Package requests sends a company's requests to its distributors: it
// validates each request against the distributor's profile, writes the
// request file into the company's outbox, and stores the request with its
// state through the store. It also expires the requests that got no final
// outcome by their deadline.
package requests

import (
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/bludispatcher/dispatcher/distributor"
	"github.com/bludispatcher/dispatcher/server/config"
	"github.com/bludispatcher/dispatcher/server/store"
)

// ErrUnknownProfile is returned by Submit for a profile the company does
// not use, and for a company with no distributors configured. It wraps
// distributor.ErrProfile.
var ErrUnknownProfile = fmt.Errorf("requests: unknown distributor profile: %w", distributor.ErrProfile)

// company is the request setup of one company.
type company struct {
	code     string
	outbox   string
	profiles map[string]*distributor.Profile
	order    []string
	// outcomes is the profile that outcome files are read with: it has
	// the services of every profile of the company.
	outcomes *distributor.Profile
}

// Service submits requests and expires them. It is safe for concurrent
// use.
type Service struct {
	store     store.Store
	log       *slog.Logger
	companies map[store.CompanyID]*company
	// Now returns the current time; tests set it.
	Now func() time.Time
}

// New returns a Service for st. It loads the profiles of every company
// that configures distributors.
func New(st store.Store, log *slog.Logger) *Service {
	return &Service{store: st, log: log, companies: map[store.CompanyID]*company{}, Now: time.Now}
}

// AddCompany loads the profiles of one company. A nil d leaves the company
// without requests.
func (s *Service) AddCompany(id store.CompanyID, code string, d *config.Distributors) error {
	if d == nil {
		return nil
	}
	c := &company{code: code, outbox: d.Outbox, profiles: map[string]*distributor.Profile{},
		outcomes: &distributor.Profile{ID: code + "-outcomes"}}
	add := func(p *distributor.Profile) error {
		if _, dup := c.profiles[p.ID]; dup {
			return fmt.Errorf("company %q: profile %q is configured twice", code, p.ID)
		}
		c.profiles[p.ID] = p
		c.order = append(c.order, p.ID)
		// NOTE: two profiles declaring the same service code for outcomes
		// are read with the first one's flows.
		c.outcomes.Services = append(c.outcomes.Services, p.Services...)
		return nil
	}
	for _, id := range d.Profiles {
		p, ok := distributor.ShippedProfile(id)
		if !ok {
			return fmt.Errorf("company %q: no shipped distributor profile %q: use one of %v or a profile file", code, id, shippedIDs())
		}
		if err := add(p); err != nil {
			return err
		}
	}
	for _, path := range d.ProfileFiles {
		p, err := loadProfile(path)
		if err != nil {
			return fmt.Errorf("company %q: %w", code, err)
		}
		if err := add(p); err != nil {
			return err
		}
	}
	s.companies[id] = c
	return nil
}

func loadProfile(path string) (*distributor.Profile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("distributor profile: %w", err)
	}
	defer f.Close()
	p, err := distributor.LoadProfile(f)
	if err != nil {
		return nil, fmt.Errorf("distributor profile %s: %w", path, err)
	}
	return p, nil
}

func shippedIDs() []string {
	var ids []string
	for _, p := range distributor.ShippedProfiles() {
		ids = append(ids, p.ID)
	}
	return ids
}

// Profiles returns the IDs of the company's profiles in configuration
// order.
func (s *Service) Profiles(id store.CompanyID) []string {
	if c, ok := s.companies[id]; ok {
		return append([]string(nil), c.order...)
	}
	return nil
}

// OutcomeProfile returns the profile that the company's outcome files are
// read with, or nil (the standard services only) for a company without
// distributors.
func (s *Service) OutcomeProfile(id store.CompanyID) *distributor.Profile {
	if c, ok := s.companies[id]; ok {
		return c.outcomes
	}
	return nil
}
