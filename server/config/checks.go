package config

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/bludispatcher/dispatcher/flows"
)

// folder is one inbox or archive folder of a company or group.
type folder struct {
	owner   string // "company \"a\"" or "group \"g\""
	path    string
	archive bool
}

// folders returns every inbox and archive folder of the companies and
// groups, skipping empty paths (reported elsewhere).
func (c Config) folders() []folder {
	var out []folder
	add := func(owner, path string, archive bool) {
		if path != "" {
			out = append(out, folder{owner: owner, path: path, archive: archive})
		}
	}
	for _, co := range c.Companies {
		owner := fmt.Sprintf("company %q", co.ID)
		kinds := make([]string, 0, len(co.Inboxes))
		for kind := range co.Inboxes {
			kinds = append(kinds, kind)
		}
		sort.Strings(kinds)
		for _, kind := range kinds {
			for _, dir := range co.Inboxes[kind] {
				add(owner, dir, false)
			}
		}
		add(owner, co.Archive, true)
	}
	for _, g := range c.Groups {
		owner := fmt.Sprintf("group %q", g.ID)
		for _, dir := range g.Inboxes {
			add(owner, dir, false)
		}
		add(owner, g.Archive, true)
	}
	return out
}

// validateSharedFolders checks the folders across companies and groups.
// No inbox may be shared or inside another inbox, since its files would
// load twice. No archive may be inside an inbox, nor an inbox inside an
// archive, since archived files would be scanned again. An archive inside
// an inbox of its own company is reported by validateFolders.
func (c Config) validateSharedFolders() []error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("%w: "+format, append([]any{ErrInvalid}, args...)...))
	}
	all := c.folders()
	for i, a := range all {
		for _, b := range all[i+1:] {
			switch {
			case !a.archive && !b.archive:
				if within(a.path, b.path) || within(b.path, a.path) {
					bad("%s inbox %q and %s inbox %q are the same folder or one contains the other: give each inbox its own folder",
						a.owner, a.path, b.owner, b.path)
				}
			case a.archive && b.archive:
				// Archives may be shared: a name already taken gets a numeric suffix.
			default:
				inbox, archive := a, b
				if a.archive {
					inbox, archive = b, a
				}
				if within(archive.path, inbox.path) && inbox.owner == archive.owner {
					continue // reported by validateFolders
				}
				if within(archive.path, inbox.path) || within(inbox.path, archive.path) {
					bad("%s archive %q and %s inbox %q: an archive must not be inside an inbox, nor an inbox inside an archive, or archived files would be scanned again",
						archive.owner, archive.path, inbox.owner, inbox.path)
				}
			}
		}
	}
	return errs
}

// validateRules checks that the rule ids of flows.disabled_rules and
// flows.severities are rules of the validator.
func (f Flows) validateRules() []error {
	var errs []error
	check := func(key, id string) {
		if _, ok := flows.LookupRule(id); ok {
			return
		}
		var ids []string
		for _, r := range flows.Rules() {
			if strings.EqualFold(r.ID, id) {
				errs = append(errs, fmt.Errorf("%w: flows %s: unknown rule %q: rule ids are case-sensitive, did you mean %q?",
					ErrInvalid, key, id, r.ID))
				return
			}
			ids = append(ids, r.ID)
		}
		errs = append(errs, fmt.Errorf("%w: flows %s: unknown rule %q: want one of %s",
			ErrInvalid, key, id, strings.Join(ids, ", ")))
	}
	for _, id := range f.DisabledRules {
		check("disabled_rules", id)
	}
	ids := make([]string, 0, len(f.Severities))
	for id := range f.Severities {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		check("severities", id)
	}
	return errs
}

// validVAT reports whether vat is an Italian VAT number (11 digits) or a
// foreign one: 1 to 16 ASCII letters and digits with at least one letter,
// as the PIvaUtente element of the flows allows up to 16 characters.
func validVAT(vat string) bool {
	digits, letters := 0, 0
	for i := 0; i < len(vat); i++ {
		switch c := vat[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z':
			letters++
		default:
			return false
		}
	}
	if letters == 0 {
		return digits == 11
	}
	return len(vat) <= 16
}

// validateFields checks the VAT number and the tokens of co.
func (co Company) validateFields() []error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("%w: company %q: "+format, append([]any{ErrInvalid, co.ID}, args...)...))
	}
	if co.VAT != "" && !validVAT(co.VAT) {
		bad("vat %q: want an Italian VAT number of 11 digits, or a foreign one of up to 16 letters and digits", co.VAT)
	}
	for i, tok := range co.Tokens {
		if strings.TrimSpace(tok) == "" {
			bad("token %d is empty: remove it or set a secret", i+1)
		}
	}
	return errs
}

// durationError is an invalid Duration value; Parse adds its key.
type durationError struct {
	raw json.RawMessage
	err error
}

func (e *durationError) Error() string { return e.err.Error() }
func (e *durationError) Unwrap() error { return e.err }

// findKey returns the path (such as "companies[0].poll_interval") of the
// first value of the JSON document data equal to raw, or "".
func findKey(data []byte, raw json.RawMessage) string {
	var doc, want any
	if decodeNumbers(data, &doc) != nil || decodeNumbers(raw, &want) != nil {
		return ""
	}
	return findValue(doc, want, "")
}

func decodeNumbers(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	return dec.Decode(v)
}

func findValue(node, want any, path string) string {
	switch n := node.(type) {
	case map[string]any:
		keys := make([]string, 0, len(n))
		for k := range n {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			sub := k
			if path != "" {
				sub = path + "." + k
			}
			if p := findValue(n[k], want, sub); p != "" {
				return p
			}
		}
	case []any:
		for i, v := range n {
			if p := findValue(v, want, path+"["+strconv.Itoa(i)+"]"); p != "" {
				return p
			}
		}
	default:
		if reflect.DeepEqual(node, want) {
			return path
		}
	}
	return ""
}
