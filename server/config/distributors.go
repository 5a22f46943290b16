package config

import (
	"fmt"
	"path/filepath"
)

// KindOutcomes is the inbox kind of the distributors' outcome files
// (admissibility and final outcomes of requests).
const KindOutcomes = "outcomes"

// Distributors sets how a company sends requests to distributors: the
// distributor profiles it uses and the outbox folder that request files
// are written into. Outcome files come through an inbox of kind
// KindOutcomes.
type Distributors struct {
	// Profiles are the IDs of shipped profiles, such as "e-distribuzione".
	Profiles []string `json:"profiles,omitempty"`
	// ProfileFiles are paths of profile JSON files, for distributors that
	// are not shipped.
	ProfileFiles []string `json:"profile_files,omitempty"`
	// Outbox is the folder request files are written into, each below the
	// delivery folder of its profile.
	Outbox string `json:"outbox"`
}

// resolve makes the relative paths relative to the configuration file.
func (d *Distributors) resolve(join func(string) string) {
	if d == nil {
		return
	}
	d.Outbox = join(d.Outbox)
	for i, p := range d.ProfileFiles {
		d.ProfileFiles[i] = join(p)
	}
}

// validate checks that a company with distributors has profiles and an
// outbox outside its inboxes.
func (d *Distributors) validate(co Company) []error {
	if d == nil {
		return nil
	}
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("%w: company %q: distributors: "+format, append([]any{ErrInvalid, co.ID}, args...)...))
	}
	if len(d.Profiles)+len(d.ProfileFiles) == 0 {
		bad("no profiles: set profiles, such as [\"e-distribuzione\"], or profile_files")
	}
	if d.Outbox == "" {
		bad("outbox folder is missing")
		return errs
	}
	for _, dirs := range co.Inboxes {
		for _, dir := range dirs {
			if dir != "" && within(d.Outbox, dir) {
				bad("outbox %q is inside the inbox %q: move it out, or request files would be loaded as inbox files", d.Outbox, dir)
			}
		}
	}
	if !filepath.IsAbs(d.Outbox) && filepath.Clean(d.Outbox) == "." {
		bad("outbox %q is the working folder: name a folder of its own", d.Outbox)
	}
	return errs
}
