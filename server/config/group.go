package config

import (
	"fmt"
	"os"

	"github.com/bludispatcher/dispatcher/reseller"
)

// Group is a group of companies whose dispatching user receives files for
// all of them in one inbox. The server splits each group file with its
// routing table (package reseller) and moves each company's part into that
// company's inbox of the same kind, where it loads as a file of its own.
type Group struct {
	// ID names the group in the store, the load log and API paths, like a
	// company ID; it must differ from every company ID.
	ID string `json:"id"`
	// Name is the display name of the group.
	Name string `json:"name"`
	// Inboxes are the folders that receive the group files: metering flows
	// (.xml, .zip), RCU extracts (.csv, .txt) and GME files (.xml, .zip).
	Inboxes []string `json:"inboxes"`
	// Archive is the folder that group files move to after their load.
	// Parts wait in its ".staging" subfolder until the group load commits,
	// and parts of records no rule routes go to its "unassigned" subfolder.
	Archive string `json:"archive"`
	// Routing is the routing table written inline; RoutingFile is the
	// path of a JSON file holding it. Exactly one of them is set.
	Routing     *reseller.Table `json:"routing,omitempty"`
	RoutingFile string          `json:"routing_file,omitempty"`
	// Tokens are API bearer tokens that read the group's own load log,
	// written as in Company.Tokens.
	Tokens []string `json:"tokens,omitempty"`
}

// Table returns the group's routing table, read from RoutingFile when set,
// and checked.
func (g Group) Table() (*reseller.Table, error) {
	if g.RoutingFile == "" {
		if g.Routing == nil {
			return nil, fmt.Errorf("group %q: no routing table: set routing or routing_file", g.ID)
		}
		if err := g.Routing.Validate(); err != nil {
			return nil, fmt.Errorf("group %q: routing: %w", g.ID, err)
		}
		return g.Routing, nil
	}
	f, err := os.Open(g.RoutingFile)
	if err != nil {
		return nil, fmt.Errorf("group %q: routing_file: %w", g.ID, err)
	}
	defer f.Close()
	t, err := reseller.LoadTable(f)
	if err != nil {
		return nil, fmt.Errorf("group %q: routing_file %s: %w", g.ID, g.RoutingFile, err)
	}
	return t, nil
}

// AsCompany returns the group as the company its own loads belong to,
// with the group inboxes under kind.
func (g Group) AsCompany(kind string) Company {
	return Company{ID: g.ID, Name: g.Name, Inboxes: map[string][]string{kind: g.Inboxes},
		Archive: g.Archive, Tokens: g.Tokens}
}

// resolveGroups makes the relative folders of the groups relative to the
// configuration file, through join.
func (c *Config) resolveGroups(join func(string) string) {
	for i := range c.Groups {
		g := &c.Groups[i]
		g.Archive = join(g.Archive)
		g.RoutingFile = join(g.RoutingFile)
		for j := range g.Inboxes {
			g.Inboxes[j] = join(g.Inboxes[j])
		}
	}
}

// validateGroups checks the groups: ids, folders, the routing table, and
// that every company of a table is a configured company.
func (c Config) validateGroups() []error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("%w: "+format, append([]any{ErrInvalid}, args...)...))
	}
	ids := map[string]bool{}
	for _, co := range c.Companies {
		ids[co.ID] = true
	}
	for _, g := range c.Groups {
		if !validID(g.ID) {
			bad("group id %q: want 1 to 64 lower-case letters, digits, '-' or '_'", g.ID)
		}
		if ids[g.ID] {
			bad("group id %q is also a company or group id: give the group its own", g.ID)
		}
		ids[g.ID] = true
		if len(g.Inboxes) == 0 {
			bad("group %q: no inboxes: set at least one", g.ID)
		}
		if g.Routing != nil && g.RoutingFile != "" {
			bad("group %q: set routing or routing_file, not both", g.ID)
		}
		errs = append(errs, g.validateFolders()...)
		if hashes, err := g.AsCompany("").TokenHashes(); err != nil {
			bad("group %q: %v", g.ID, err)
		} else {
			for _, h := range hashes {
				if co, dup := c.Token(h); dup {
					bad("group %q: a token is also a token of company %q: give the group its own", g.ID, co.ID)
				}
			}
		}
		t, err := g.Table()
		if err != nil {
			errs = append(errs, fmt.Errorf("%w: %w", ErrInvalid, err))
			continue
		}
		for _, rc := range t.Companies {
			if !c.hasCompany(rc.ID) {
				bad("group %q: routing company %q is not a configured company", g.ID, rc.ID)
			}
		}
	}
	return errs
}

func (g Group) validateFolders() []error {
	var errs []error
	if g.Archive == "" {
		errs = append(errs, fmt.Errorf("%w: group %q: archive folder is missing", ErrInvalid, g.ID))
	}
	for _, dir := range g.Inboxes {
		if dir == "" {
			errs = append(errs, fmt.Errorf("%w: group %q: an inbox is an empty path", ErrInvalid, g.ID))
			continue
		}
		if g.Archive != "" && within(g.Archive, dir) {
			errs = append(errs, fmt.Errorf("%w: group %q: archive %q is inside the inbox %q: move it out, or its files would be scanned again",
				ErrInvalid, g.ID, g.Archive, dir))
		}
	}
	return errs
}

func (c Config) hasCompany(id string) bool {
	for _, co := range c.Companies {
		if co.ID == id {
			return true
		}
	}
	return false
}
