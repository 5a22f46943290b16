package accise

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

//go:embed data/profiles.json
var profilesJSON []byte

// Field is a column of the billing-line import.
type Field string

// Import fields. Supply, use, province, period (From and To, or Period) and
// quantity are required; the others may be absent.
const (
	FieldCompany         Field = "company"
	FieldSupply          Field = "supply"
	FieldCustomer        Field = "customer"
	FieldCommodity       Field = "commodity"
	FieldUse             Field = "use"
	FieldResident        Field = "resident"
	FieldPowerKW         Field = "power_kw"
	FieldProvince        Field = "province"
	FieldMunicipality    Field = "municipality"
	FieldClimateZone     Field = "climate_zone"
	FieldExCasmez        Field = "ex_casmez"
	FieldFrom            Field = "from"
	FieldTo              Field = "to"
	FieldPeriod          Field = "period"
	FieldQuantity        Field = "quantity"
	FieldBilledExcise    Field = "billed_excise"
	FieldBilledSurcharge Field = "billed_surcharge"
	FieldKind            Field = "kind"
	FieldDocument        Field = "document"
	FieldIssued          Field = "issued"
	FieldDistributor     Field = "distributor"
)

// Profile maps the header names of a spreadsheet or CSV export to the import
// fields. Header names are compared after lower-casing and removing accents
// and every character that is not a letter or a digit.
type Profile struct {
	// Name selects the profile, such as "dispatcher" or "generic".
	Name string `json:"name"`
	// Description names the exports the profile reads.
	Description string `json:"description"`
	// Delimiter is the CSV separator: one character, or "auto" to pick the
	// most frequent of ';', ',' and tab in the header line.
	Delimiter string `json:"delimiter"`
	// DecimalComma makes ',' the only decimal separator, so "300.000" reads
	// as three hundred thousand. Without it, a number with no comma takes
	// '.' as its decimal separator.
	DecimalComma bool `json:"decimal_comma"`
	// Columns lists the accepted header names of each field.
	Columns map[Field][]string `json:"columns"`
}

// ValueMaps translates the codes found in cells to the package's values;
// keys are compared lower-cased and trimmed.
type ValueMaps struct {
	// Commodity maps product codes to "electricity" or "gas".
	Commodity map[string]string `json:"commodity"`
	// Use maps use categories to Use values.
	Use map[string]string `json:"use"`
	// UseByCommodity overrides Use for one commodity, because the same word
	// ("domestico") names a dwelling for electricity and a civil use for gas.
	UseByCommodity map[string]map[string]string `json:"use_by_commodity"`
	// Kind maps document kinds to DocumentKind values.
	Kind map[string]string `json:"kind"`
	// Bool maps flags to "true" or "false".
	Bool map[string]string `json:"bool"`
}

// Profiles is the table of import profiles and value maps.
type Profiles struct {
	// Profiles are the column profiles.
	Profiles []Profile `json:"profiles"`
	// Values are the cell code maps shared by every profile.
	Values ValueMaps `json:"values"`
}

var (
	defaultProfilesOnce sync.Once
	defaultProfiles     *Profiles
)

// DefaultProfiles returns the embedded import profiles. It panics only if the
// embedded file is invalid, which the tests rule out.
func DefaultProfiles() *Profiles {
	defaultProfilesOnce.Do(func() {
		p, err := LoadProfiles(bytes.NewReader(profilesJSON))
		if err != nil {
			panic(err)
		}
		defaultProfiles = p
	})
	return defaultProfiles
}

// LoadProfiles reads import profiles in the format of the embedded
// data/profiles.json.
func LoadProfiles(r io.Reader) (*Profiles, error) {
	var p Profiles
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("accise: invalid import profiles: %w", err)
	}
	for _, pr := range p.Profiles {
		if pr.Delimiter != "auto" && len([]rune(pr.Delimiter)) != 1 {
			return nil, fmt.Errorf("accise: invalid import profile %q: delimiter %q must be one character or \"auto\"", pr.Name, pr.Delimiter)
		}
	}
	return &p, nil
}

// Profile returns the profile with the given name.
func (p *Profiles) Profile(name string) (Profile, bool) {
	for _, pr := range p.Profiles {
		if pr.Name == name {
			return pr, true
		}
	}
	return Profile{}, false
}

// normalizeHeader lower-cases s, removes accents and keeps letters and digits.
func normalizeHeader(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// columnIndex maps each field to its columns in header, leftmost first;
// fields without a matching column are absent from the map. A field has
// several columns when the header repeats a name or carries two of its
// aliases, such as separate POD and PDR columns.
func (p Profile) columnIndex(header []string) map[Field][]int {
	names := map[string]Field{}
	for f, aliases := range p.Columns {
		for _, a := range aliases {
			names[normalizeHeader(a)] = f
		}
	}
	idx := map[Field][]int{}
	for i, h := range header {
		if f, ok := names[normalizeHeader(h)]; ok {
			idx[f] = append(idx[f], i)
		}
	}
	return idx
}
