package accise

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"sync"
)

//go:embed data/territory.json
var territoryJSON []byte

// Region is an Italian region (regione).
type Region struct {
	// Code is the project's three-letter region code, such as "PIE".
	Code string `json:"code"`
	// Name is the region's Italian name.
	Name string `json:"name"`
	// SpecialStatute is true for the five regions with special statute,
	// which levy no ARISGAN.
	SpecialStatute bool `json:"special_statute"`
}

// Province is an Italian province (provincia) with its region and its
// territorial area (ambito territoriale) for excise accounting since 2022.
type Province struct {
	// Code is the two-letter province code (sigla), such as "TO".
	Code string `json:"code"`
	// Region is the code of the province's region.
	Region string `json:"region"`
	// Ambito is IT for the ordinary-statute regions, otherwise AO, BZ, TN,
	// TS (Friuli-Venezia Giulia), PA (Sicilia) or CA (Sardegna).
	Ambito string `json:"ambito"`
}

// Territory is the table of regions and provinces.
type Territory struct {
	// Source names where the codes come from.
	Source string `json:"source"`
	// Note records open points about the table.
	Note string `json:"note"`
	// Regions lists the 20 regions.
	Regions []Region `json:"regions"`
	// Provinces lists the provinces with their region and ambito.
	Provinces []Province `json:"provinces"`

	regionByCode   map[string]Region
	provinceByCode map[string]Province
}

var (
	defaultTerritoryOnce sync.Once
	defaultTerritory     *Territory
)

// DefaultTerritory returns the embedded table of regions and provinces. It
// panics only if the embedded file is invalid, which the tests rule out.
func DefaultTerritory() *Territory {
	defaultTerritoryOnce.Do(func() {
		t, err := LoadTerritory(bytes.NewReader(territoryJSON))
		if err != nil {
			panic(err)
		}
		defaultTerritory = t
	})
	return defaultTerritory
}

// LoadTerritory reads a territory table in the format of the embedded
// data/territory.json.
func LoadTerritory(r io.Reader) (*Territory, error) {
	var t Territory
	if err := json.NewDecoder(r).Decode(&t); err != nil {
		return nil, fmt.Errorf("accise: invalid territory table: %w", err)
	}
	t.regionByCode = make(map[string]Region, len(t.Regions))
	for _, r := range t.Regions {
		t.regionByCode[r.Code] = r
	}
	t.provinceByCode = make(map[string]Province, len(t.Provinces))
	for _, p := range t.Provinces {
		if _, ok := t.regionByCode[p.Region]; !ok {
			return nil, fmt.Errorf("accise: invalid territory table: province %s names unknown region %q", p.Code, p.Region)
		}
		t.provinceByCode[p.Code] = p
	}
	return &t, nil
}

// Province returns the province with the given code.
func (t *Territory) Province(code string) (Province, bool) {
	p, ok := t.provinceByCode[code]
	return p, ok
}

// Region returns the region with the given code.
func (t *Territory) Region(code string) (Region, bool) {
	r, ok := t.regionByCode[code]
	return r, ok
}

// RegionOf returns the region of a province.
func (t *Territory) RegionOf(province string) (Region, bool) {
	p, ok := t.provinceByCode[province]
	if !ok {
		return Region{}, false
	}
	return t.Region(p.Region)
}

// AmbitoOf returns the territorial area of a province.
func (t *Territory) AmbitoOf(province string) (string, bool) {
	p, ok := t.provinceByCode[province]
	return p.Ambito, ok
}
