package distributor

import (
	"embed"
	"encoding/json"
	"fmt"
	"io"
	"path"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"
)

// LoadProfile reads a profile from JSON and checks it. Unknown keys are an
// error, so that a misspelt rule is not silently ignored. The error wraps
// ErrProfile.
func LoadProfile(r io.Reader) (*Profile, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var p Profile
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrProfile, err)
	}
	if err := p.Check(); err != nil {
		return nil, err
	}
	return &p, nil
}

//go:embed data/profiles/*.json
var profileFiles embed.FS

var shipped = mustShippedProfiles()

func mustShippedProfiles() []*Profile {
	names, err := profileFiles.ReadDir("data/profiles")
	if err != nil {
		panic("distributor: embedded profiles: " + err.Error())
	}
	var out []*Profile
	for _, e := range names {
		f, err := profileFiles.Open(path.Join("data/profiles", e.Name()))
		if err != nil {
			panic("distributor: embedded profile " + e.Name() + ": " + err.Error())
		}
		p, err := LoadProfile(f)
		f.Close()
		if err != nil {
			panic("distributor: embedded profile " + e.Name() + ": " + err.Error())
		}
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// ShippedProfiles returns the embedded profiles, sorted by ID. They are
// shared and must not be changed.
func ShippedProfiles() []*Profile { return slices.Clone(shipped) }

// ShippedProfile returns an embedded profile by ID.
func ShippedProfile(id string) (*Profile, bool) {
	for _, p := range shipped {
		if p.ID == id {
			return p, true
		}
	}
	return nil, false
}

// Check verifies the profile's rules: known format, case, date and number
// formats, a file-name template with {seq} and known placeholders, a valid
// CSV layout, known element paths, and own services whose codes differ
// from the standard ones. The error wraps ErrProfile.
func (p *Profile) Check() error {
	fail := func(format string, args ...any) error {
		return fmt.Errorf("%w %q: %s", ErrProfile, p.ID, fmt.Sprintf(format, args...))
	}
	if p.ID == "" {
		return fmt.Errorf("%w: missing id", ErrProfile)
	}
	if p.DistributorVAT != "" && !validVAT(p.DistributorVAT) {
		return fail("invalid distributor_vat %q: want 11 digits with a valid check digit", p.DistributorVAT)
	}
	if err := checkChoice("format", p.Format, "xml", "csv"); err != nil {
		return fail("%v", err)
	}
	if err := checkChoice("attribute_case", p.AttributeCase, "", "lower", "upper"); err != nil {
		return fail("%v", err)
	}
	if err := checkChoice("date_format", p.DateFormat, "", "iso", "italian"); err != nil {
		return fail("%v", err)
	}
	if err := checkChoice("decimal_separator", p.DecimalSeparator, "", ",", "."); err != nil {
		return fail("%v", err)
	}
	if err := checkTemplate(p.FileNameTemplate, true); err != nil {
		return fail("file_name: %v", err)
	}
	if err := checkTemplate(p.FolderTemplate, false); err != nil {
		return fail("folder: %v", err)
	}
	if err := p.CSV.check(); err != nil {
		return fail("csv: %v", err)
	}
	return p.checkServices(fail)
}

func (p *Profile) checkServices(fail func(string, ...any) error) error {
	for code, paths := range p.Required {
		if _, ok := p.Service(code); !ok && code != "*" {
			return fail("required: unknown service %q", code)
		}
		for _, path := range paths {
			if _, ok := lookupField(path); !ok {
				return fail("required %s: unknown element path %q", code, path)
			}
		}
	}
	seen := map[string]bool{}
	for _, s := range p.Services {
		if _, std := StandardService(s.Code); std {
			return fail("service %s is a standard service: give the distributor's own service another code", s.Code)
		}
		if seen[s.Code] {
			return fail("service %s declared twice", s.Code)
		}
		seen[s.Code] = true
		if s.Standard {
			return fail("service %s: standard must be false for a distributor's own service", s.Code)
		}
		if err := s.check(); err != nil {
			return fail("%v", err)
		}
	}
	for code, days := range p.DeadlineDays {
		if days < 0 {
			return fail("deadline_days %s: %d is negative", code, days)
		}
	}
	return nil
}

func checkChoice(name, value string, allowed ...string) error {
	if slices.Contains(allowed, value) {
		return nil
	}
	var shown []string
	for _, a := range allowed {
		if a != "" {
			shown = append(shown, fmt.Sprintf("%q", a))
		}
	}
	return fmt.Errorf("invalid %s %q: want %s", name, value, strings.Join(shown, " or "))
}

func (c CSVLayout) check() error {
	if c.Delimiter != "" {
		r, size := utf8.DecodeRuneInString(c.Delimiter)
		if size != len(c.Delimiter) || r == '"' || r == '\r' || r == '\n' || r == utf8.RuneError {
			return fmt.Errorf("invalid delimiter %q: want one character other than a quote or a line break", c.Delimiter)
		}
	}
	if _, err := encodingByName(c.Encoding); err != nil {
		return err
	}
	return checkChoice("date_format", c.DateFormat, "", "iso", "italian")
}
