package sii

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"github.com/bludispatcher/dispatcher/internal/civil"
)

//go:embed relief/earthquake-2016.json
var earthquake2016 []byte

// ErrInvalidReliefList is wrapped by every error of LoadReliefList.
var ErrInvalidReliefList = errors.New("invalid relief list")

// ReliefList is a list of municipalities covered by a relief measure, with
// its legal source and validity dates. Lists are data: LoadReliefList reads
// one from JSON, and EarthquakeRelief2016 returns the embedded one.
type ReliefList struct {
	Measure     string `json:"measure"`
	LegalSource string `json:"legalSource"`
	// ValidFrom and ValidTo (yyyy-mm-dd) bound the days the measure
	// applies to, both included.
	ValidFrom string `json:"validFrom"`
	ValidTo   string `json:"validTo"`
	// Complete is false when the list is known to lack municipalities,
	// and Unknown lists the gaps.
	Complete       bool                 `json:"complete"`
	Unknown        []string             `json:"unknown,omitempty"`
	Notes          string               `json:"notes,omitempty"`
	Municipalities []ReliefMunicipality `json:"municipalities"`

	from, to civil.Date
	byCode   map[string]int
	byName   map[string]int
}

// ReliefMunicipality is one municipality of a ReliefList.
type ReliefMunicipality struct {
	Name     string `json:"name"`
	Province string `json:"province"` // two-letter province code
	// ISTATCode is the municipality's ISTAT code, empty when unknown; an
	// entry without code matches on name and province.
	ISTATCode string `json:"istatCode"`
	Annex     string `json:"annex,omitempty"` // annex of the law that lists it
	Region    string `json:"region,omitempty"`
	Source    string `json:"source"` // address or reference of the source the entry was read from
	// SelfDeclarationOnly marks a municipality where the measure applies
	// only to customers who declare their building uninhabitable.
	SelfDeclarationOnly bool `json:"selfDeclarationOnly,omitempty"`
}

// EarthquakeRelief2016 returns the embedded list of municipalities struck
// by the earthquakes in Central Italy from 24 August 2016.
//
// NOTE: the embedded list is incomplete (see its Unknown field): it holds
// only the entries a public source opened for it gives, and no ISTAT codes.
func EarthquakeRelief2016() *ReliefList {
	l, err := LoadReliefList(bytes.NewReader(earthquake2016))
	if err != nil {
		panic("sii: embedded earthquake relief list is invalid: " + err.Error())
	}
	return l
}

// LoadReliefList decodes and checks a JSON relief list.
func LoadReliefList(r io.Reader) (*ReliefList, error) {
	var l ReliefList
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&l); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidReliefList, err)
	}
	if err := l.index(); err != nil {
		return nil, fmt.Errorf("%w %q: %v", ErrInvalidReliefList, l.Measure, err)
	}
	return &l, nil
}

func (l *ReliefList) index() error {
	var err error
	if l.from, err = civil.ParseISODate(l.ValidFrom); err != nil {
		return fmt.Errorf("validFrom: %v", err)
	}
	if l.ValidTo != "" {
		if l.to, err = civil.ParseISODate(l.ValidTo); err != nil {
			return fmt.Errorf("validTo: %v", err)
		}
	}
	l.byCode = map[string]int{}
	l.byName = map[string]int{}
	for i, m := range l.Municipalities {
		if m.Name == "" || m.Province == "" {
			return fmt.Errorf("municipality %d: name and province are required", i+1)
		}
		if m.Source == "" {
			return fmt.Errorf("municipality %q: source is required", m.Name)
		}
		if m.ISTATCode != "" {
			l.byCode[m.ISTATCode] = i
		}
		l.byName[nameKey(m.Name, m.Province)] = i
	}
	return nil
}

// ActiveOn reports whether day d falls within the list's validity.
func (l *ReliefList) ActiveOn(d civil.Date) bool {
	return !d.Before(l.from) && (l.to.IsZero() || !d.After(l.to))
}

// Municipality identifies the municipality of a supply site.
type Municipality struct {
	ISTATCode string // ISTAT code, empty when unknown
	Name      string
	Province  string // two-letter province code
}

// Match returns the list entry of m: by ISTAT code when both have one,
// otherwise by name and province, compared without case, accents or
// apostrophes.
func (l *ReliefList) Match(m Municipality) (ReliefMunicipality, bool) {
	if m.ISTATCode != "" {
		if i, ok := l.byCode[m.ISTATCode]; ok {
			return l.Municipalities[i], true
		}
	}
	i, ok := l.byName[nameKey(m.Name, m.Province)]
	if !ok {
		return ReliefMunicipality{}, false
	}
	entry := l.Municipalities[i]
	if entry.ISTATCode != "" && m.ISTATCode != "" && entry.ISTATCode != m.ISTATCode {
		return ReliefMunicipality{}, false
	}
	return entry, true
}

// nameKey folds a municipality name and province for comparison:
// "Sant’Anatolia di Narco" and "SANT ANATOLIA DI NARCO" give the same key.
func nameKey(name, province string) string {
	folded, _, err := transform.String(transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC), name)
	if err != nil {
		folded = name
	}
	folded = strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return unicode.ToUpper(r)
		}
		return ' '
	}, folded)
	return strings.Join(strings.Fields(folded), " ") + "|" + strings.ToUpper(strings.TrimSpace(province))
}

// SiteRegistry returns the municipality of a point's supply site, from
// the billing registry or any other source.
type SiteRegistry interface {
	// SiteMunicipality returns the municipality of pod; ok is false when
	// the registry does not know the point.
	SiteMunicipality(ctx context.Context, pod string) (m Municipality, ok bool, err error)
}

// ReliefPoint is a point whose site lies in a municipality of a relief
// list.
type ReliefPoint struct {
	POD          string // PODKey of the point
	Municipality Municipality
	Entry        ReliefMunicipality
	Record       *RCURecord
}

// ReliefResult lists the points covered by a relief measure on one day.
type ReliefResult struct {
	At     civil.Date
	List   *ReliefList
	Active bool // the measure applies on At; when false Points is empty
	Points []ReliefPoint
	// Unlocated are the PODs whose municipality the site registry does
	// not know; they could not be checked.
	Unlocated []string
}

// ReliefPoints returns the points of records whose site lies in a
// municipality of list, on day at.
func ReliefPoints(ctx context.Context, records []*RCURecord, sites SiteRegistry, list *ReliefList, at civil.Date) (*ReliefResult, error) {
	res := &ReliefResult{At: at, List: list, Active: list.ActiveOn(at)}
	if !res.Active {
		return res, nil
	}
	for _, rec := range records {
		m, ok, err := sites.SiteMunicipality(ctx, rec.Key())
		if err != nil {
			return nil, fmt.Errorf("sii: municipality of %s: %w", rec.Key(), err)
		}
		if !ok {
			res.Unlocated = append(res.Unlocated, rec.Key())
			continue
		}
		if entry, ok := list.Match(m); ok {
			res.Points = append(res.Points, ReliefPoint{POD: rec.Key(), Municipality: m, Entry: entry, Record: rec})
		}
	}
	return res, nil
}

// StaticSites is a SiteRegistry held in memory, keyed by PODKey.
type StaticSites map[string]Municipality

// SiteMunicipality returns the municipality stored for pod.
func (s StaticSites) SiteMunicipality(_ context.Context, pod string) (Municipality, bool, error) {
	m, ok := s[PODKey(pod)]
	return m, ok, nil
}
