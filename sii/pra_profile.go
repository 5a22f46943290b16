package sii

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/bludispatcher/dispatcher/internal/civil"
)

//go:embed profiles/pra-default.json
var defaultPRAProfile []byte

// ErrInvalidProfile is wrapped by every error of LoadPRAProfile.
var ErrInvalidProfile = errors.New("invalid PRA profile")

// PRAProfile is the column layout of a PRA (prelievo residuo d'area) file.
// No public layout exists, so each distributor's files are described by a
// profile: a JSON document loaded with LoadPRAProfile. The default profile
// is embedded (profiles/pra-default.json) and returned by
// DefaultPRAProfile.
type PRAProfile struct {
	// Name identifies the profile, such as "default".
	Name string `json:"name"`
	// Description is the kind of files the profile reads.
	Description string `json:"description,omitempty"`
	// Source names where the layout comes from.
	Source string `json:"source,omitempty"`
	// ValidFrom is the first day (yyyy-mm-dd) the layout applies to.
	ValidFrom string `json:"validFrom,omitempty"`
	// Comma is the field separator of delimited files, ";" when empty.
	Comma string `json:"comma,omitempty"`
	// Encoding of delimited files: "auto" (default), "utf-8" or "latin-1".
	Encoding string `json:"encoding,omitempty"`
	// Sheet is the XLSX worksheet to read; the first one when empty.
	Sheet string `json:"sheet,omitempty"`
	// HeaderRow is the 1-based row holding the column names, 1 when zero.
	// Rows above it (titles, notes) are skipped.
	HeaderRow int `json:"headerRow,omitempty"`
	// DateLayout is "dd/mm/yyyy" (default), "yyyy-mm-dd" or "yyyymmdd".
	DateLayout string `json:"dateLayout,omitempty"`
	// EnergyUnit is "kWh" (default) or "MWh"; records always carry kWh.
	EnergyUnit string `json:"energyUnit,omitempty"`
	// Columns are the header names of each value, matched without regard
	// to case or surrounding spaces.
	Columns PRAColumns `json:"columns"`
}

// PRAColumns names the columns of a PRA file. Area, Date and Energy are
// required, and so is at least one of Hour and QuarterHour.
type PRAColumns struct {
	Area        string `json:"area"`
	Distributor string `json:"distributor,omitempty"`
	Date        string `json:"date"`
	Hour        string `json:"hour,omitempty"`
	QuarterHour string `json:"quarterHour,omitempty"`
	Energy      string `json:"energy"`
}

// DefaultPRAProfile returns the embedded default profile.
func DefaultPRAProfile() PRAProfile {
	p, err := LoadPRAProfile(bytes.NewReader(defaultPRAProfile))
	if err != nil {
		panic("sii: embedded default PRA profile is invalid: " + err.Error())
	}
	return p
}

// LoadPRAProfile decodes and checks a JSON profile, filling the defaults.
// Unknown JSON keys are rejected, so a misspelt key does not go unnoticed.
func LoadPRAProfile(r io.Reader) (PRAProfile, error) {
	var p PRAProfile
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return PRAProfile{}, fmt.Errorf("%w: %v", ErrInvalidProfile, err)
	}
	if err := p.normalize(); err != nil {
		return PRAProfile{}, fmt.Errorf("%w %q: %v", ErrInvalidProfile, p.Name, err)
	}
	return p, nil
}

func (p *PRAProfile) normalize() error {
	if p.Comma == "" {
		p.Comma = ";"
	}
	if utf8.RuneCountInString(p.Comma) != 1 || p.Comma == "\"" || p.Comma == "\n" || p.Comma == "\r" {
		return fmt.Errorf("comma %q: want one character other than a quote or line break", p.Comma)
	}
	if p.HeaderRow == 0 {
		p.HeaderRow = 1
	}

	if p.HeaderRow < 0 {
		return fmt.Errorf("headerRow %d: want 1 or more", p.HeaderRow)
	}
	if _, err := p.encoding(); err != nil {
		return err
	}
	if p.DateLayout == "" {
		p.DateLayout = "dd/mm/yyyy"
	}
	if _, err := p.parseDate(""); errors.Is(err, errUnknownLayout) {
		return err
	}
	switch p.EnergyUnit {
	case "":
		p.EnergyUnit = "kWh"
	case "kWh", "MWh":
	default:
		return fmt.Errorf("energyUnit %q: want kWh or MWh", p.EnergyUnit)
	}
	if p.ValidFrom != "" {
		if _, err := civil.ParseISODate(p.ValidFrom); err != nil {
			return fmt.Errorf("validFrom: %v", err)
		}
	}

	c := &p.Columns
	for _, col := range []*string{&c.Area, &c.Distributor, &c.Date, &c.Hour, &c.QuarterHour, &c.Energy} {
		*col = strings.ToUpper(strings.TrimSpace(*col))
	}
	switch {
	case c.Area == "":
		return errors.New("columns.area is empty")
	case c.Date == "":
		return errors.New("columns.date is empty")
	case c.Energy == "":
		return errors.New("columns.energy is empty")
	case c.Hour == "" && c.QuarterHour == "":
		return errors.New("columns.hour and columns.quarterHour are both empty")
	}
	return nil
}

func (p *PRAProfile) encoding() (Encoding, error) {
	switch strings.ToLower(p.Encoding) {
	case "", "auto":
		return EncodingAuto, nil
	case "utf-8", "utf8":
		return EncodingUTF8, nil
	case "latin-1", "latin1", "iso-8859-1", "windows-1252":
		return EncodingLatin1, nil
	}
	return 0, fmt.Errorf("encoding %q: want auto, utf-8 or latin-1", p.Encoding)
}

var errUnknownLayout = errors.New("unknown date layout")

// parseDate parses s with the profile's date layout.
func (p *PRAProfile) parseDate(s string) (civil.Date, error) {
	switch p.DateLayout {
	case "dd/mm/yyyy":
		return civil.ParseDate(s)
	case "yyyy-mm-dd":
		return civil.ParseISODate(s)
	case "yyyymmdd":
		if len(s) != 8 {
			return civil.Date{}, &civil.ParseError{Value: s, Layout: "yyyyMMdd"}
		}
		return civil.ParseISODate(s[0:4] + "-" + s[4:6] + "-" + s[6:8])
	}
	return civil.Date{}, fmt.Errorf("%w %q: want dd/mm/yyyy, yyyy-mm-dd or yyyymmdd", errUnknownLayout, p.DateLayout)
}
