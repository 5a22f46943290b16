package distributor

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/bludispatcher/dispatcher/internal/civil"
)

// NameData is the set of values that file-name and folder templates
// refer to.
type NameData struct {
	// Service is the service code, for {service}.
	Service string
	// Flow is the flow code, for {flow}.
	Flow string
	// CaseNumber is the seller case number, for {case}. A CSV file of
	// several requests takes the first one's.
	CaseNumber string
	// SellerVAT is for {seller_vat}.
	SellerVAT string
	// DistributorVAT is for {distributor_vat}.
	DistributorVAT string
	// Profile is the profile ID, for {profile}.
	Profile string
	// Day is the upload day, for {date} (yyyymmdd) and {yyyymm}.
	Day civil.Date
	// Seq is the upload's progressive number, for {seq} or {seq:N} (zero
	// padded to N digits). The caller keeps it unique per profile, such as
	// with a counter in its store.
	Seq int64
}

var placeholder = regexp.MustCompile(`\{([a-z_]+)(?::([0-9]+))?\}`)

// knownPlaceholders are the names a template may use.
var knownPlaceholders = map[string]bool{
	"service": true, "flow": true, "case": true, "seller_vat": true, "distributor_vat": true,
	"profile": true, "date": true, "yyyymm": true, "seq": true,
}

// checkTemplate verifies the placeholders of a template; a file-name
// template must contain {seq} and must not contain a folder separator.
func checkTemplate(tmpl string, fileName bool) error {
	if fileName && tmpl == "" {
		return fmt.Errorf("missing template")
	}
	hasSeq := false
	for _, m := range placeholder.FindAllStringSubmatch(tmpl, -1) {
		if !knownPlaceholders[m[1]] {
			return fmt.Errorf("unknown placeholder {%s} in %q", m[1], tmpl)
		}
		if m[2] != "" && m[1] != "seq" {
			return fmt.Errorf("placeholder {%s} takes no width in %q", m[1], tmpl)
		}
		hasSeq = hasSeq || m[1] == "seq"
	}
	if fileName && !hasSeq {
		return fmt.Errorf("%q lacks {seq}: portals reject a file name used before, so each upload needs its own progressive", tmpl)
	}
	if fileName && strings.ContainsAny(tmpl, `/\`) {
		return fmt.Errorf("%q contains a folder separator: put folders in the folder template", tmpl)
	}
	if strings.HasPrefix(tmpl, "/") || strings.HasPrefix(tmpl, `\`) {
		return fmt.Errorf("%q is absolute: give a path relative to the outbox", tmpl)
	}
	if strings.Contains(tmpl, "..") {
		return fmt.Errorf("%q contains \"..\"", tmpl)
	}
	return nil
}

// expand fills a template with d. Values are cleaned so that they cannot
// add folders to the name.
func expand(tmpl string, d NameData) string {
	return placeholder.ReplaceAllStringFunc(tmpl, func(s string) string {
		m := placeholder.FindStringSubmatch(s)
		switch m[1] {
		case "service":
			return safeName(d.Service)
		case "flow":
			return safeName(d.Flow)
		case "case":
			return safeName(d.CaseNumber)
		case "seller_vat":
			return safeName(d.SellerVAT)
		case "distributor_vat":
			return safeName(d.DistributorVAT)
		case "profile":
			return safeName(d.Profile)
		case "date":
			return fmt.Sprintf("%04d%02d%02d", d.Day.Year, d.Day.Month, d.Day.Day)
		case "yyyymm":
			return fmt.Sprintf("%04d%02d", d.Day.Year, d.Day.Month)
		case "seq":
			width, _ := strconv.Atoi(m[2])
			return fmt.Sprintf("%0*d", width, d.Seq)
		}
		return s
	})
}

// safeName keeps letters, digits, "-" and "_" and replaces the rest by "-".
func safeName(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return '-'
	}, s)
}

// FileName returns the name of an upload under the profile's template.
func (p *Profile) FileName(d NameData) string {
	d.Profile = p.ID
	return expand(p.FileNameTemplate, d)
}

// FolderName returns the delivery folder under the profile's template,
// relative to the outbox; "" is the outbox itself.
func (p *Profile) FolderName(d NameData) string {
	d.Profile = p.ID
	return expand(p.FolderTemplate, d)
}

// NameRegistry records the file names already used for uploads to one
// distributor. The server implements it over its store, so that names stay
// unique across restarts and instances.
type NameRegistry interface {
	// Reserve records name, or returns an error wrapping ErrNameUsed when
	// it was recorded before.
	Reserve(profile, name string) error
}

// MemoryNames is a NameRegistry in memory, safe for concurrent use.
type MemoryNames struct {
	mu   sync.Mutex
	used map[string]bool
}

// Reserve records name for the profile, or returns ErrNameUsed.
func (m *MemoryNames) Reserve(profile, name string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	key := profile + "\x00" + name
	if m.used[key] {
		return fmt.Errorf("%w: %s (profile %s): use the next progressive", ErrNameUsed, name, profile)
	}
	if m.used == nil {
		m.used = map[string]bool{}
	}
	m.used[key] = true
	return nil
}
