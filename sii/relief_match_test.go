package sii

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReliefMatchSiteForms(t *testing.T) {
	l := EarthquakeRelief2016()
	tests := []struct {
		name string
		site Municipality
		want string // entry name, empty for no match
	}{
		{"typographic apostrophe", Municipality{Name: "Sant\u2019Anatolia di Narco", Province: "PG"}, "Sant'Anatolia di Narco"},
		{"modifier letter apostrophe", Municipality{Name: "Sant\u02bcAnatolia di Narco", Province: "PG"}, "Sant'Anatolia di Narco"},
		{"acute accent as apostrophe", Municipality{Name: "SANT\u00b4ANATOLIA DI NARCO", Province: "PG"}, "Sant'Anatolia di Narco"},
		{"grave accent as apostrophe", Municipality{Name: "CASTEL SANT`ANGELO", Province: "RI"}, "Castel Sant'Angelo"},
		{"hyphen and double space", Municipality{Name: "Sant'Anatolia  di-Narco", Province: "PG"}, "Sant'Anatolia di Narco"},
		{"province in lower case with spaces", Municipality{Name: "norcia", Province: " pg "}, "Norcia"},
		{"no-break space", Municipality{Name: "Norcia\u00a0", Province: "PG"}, "Norcia"},
		{"zero-width space", Municipality{Name: "Nor\u200bcia", Province: "PG"}, "Norcia"},
		{"soft hyphen", Municipality{Name: "Castel\u00adsantangelo sul Nera", Province: "MC"}, "Castelsantangelo sul Nera"},
		{"decomposed accent", Municipality{Name: "Cerreto D\u0301esi", Province: "AN"}, "Cerreto d'Esi"},
		{"composed accent in upper case", Municipality{Name: "ACQUASANTA TÈRME", Province: "AP"}, "Acquasanta Terme"},
		{"one word where the list has two", Municipality{Name: "Castelsant'angelo", Province: "RI"}, ""},
		{"abbreviated Sant'", Municipality{Name: "S. Anatolia di Narco", Province: "PG"}, ""},
		{"shortened name", Municipality{Name: "Isola del Gran Sasso", Province: "TE"}, ""},
		{"province name instead of code", Municipality{Name: "Norcia", Province: "Perugia"}, ""},
		{"same name in the wrong province", Municipality{Name: "Castel Sant'Angelo", Province: "MC"}, ""},
		{"listed code without name", Municipality{ISTATCode: "054035"}, "Norcia"},
		{"successor code without name", Municipality{ISTATCode: "043058", Province: "MC"}, "Fiordimonte"},
		{"unlisted code without name", Municipality{ISTATCode: "058091", Province: "RM"}, ""},
		{"punctuation for a name", Municipality{Name: "'", Province: "MC"}, ""},
		{"nothing", Municipality{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, ok := l.Match(tt.site)
			if tt.want == "" {
				assert.False(t, ok, "matched %q", m.Name)
				return
			}
			require.True(t, ok)
			assert.Equal(t, tt.want, m.Name)
		})
	}
}

// reliefDoc returns a relief list valid from 2020 with the given
// municipalities, written as JSON objects.
func reliefDoc(municipalities string) string {
	return `{"measure":"test","legalSource":"test","validFrom":"2020-01-01","municipalities":[` + municipalities + `]}`
}

func TestLoadReliefListRejectsBlankNames(t *testing.T) {
	tests := []struct{ name, doc string }{
		{"name of punctuation only", reliefDoc(`{"name":"' -","province":"AA","source":"s"}`)},
		{"name of spaces only", reliefDoc(`{"name":"   ","province":"AA","source":"s"}`)},
		{"name of invisible marks only", reliefDoc(`{"name":"\u200b\u00ad","province":"AA","source":"s"}`)},
		{"alias of punctuation only", reliefDoc(`{"name":"Alfa","province":"AA","aliases":["'"],"source":"s"}`)},
		{"successor name of punctuation only", reliefDoc(`{"name":"Alfa","province":"AA","source":"s","successor":{"name":"-","istatCode":"001001"}}`)},
		{"province of spaces", reliefDoc(`{"name":"Alfa","province":"  ","source":"s"}`)},
		{"province of one letter", reliefDoc(`{"name":"Alfa","province":"A","source":"s"}`)},
		{"province written out", reliefDoc(`{"name":"Alfa","province":"Macerata","source":"s"}`)},
		{"province with a digit", reliefDoc(`{"name":"Alfa","province":"A1","source":"s"}`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadReliefList(strings.NewReader(tt.doc))
			assert.ErrorIs(t, err, ErrInvalidReliefList)
		})
	}

	l, err := LoadReliefList(strings.NewReader(reliefDoc(`{"name":"Alfa","province":" aa ","source":"s"}`)))
	require.NoError(t, err, "a province in lower case with spaces is accepted")
	_, ok := l.Match(Municipality{Name: "ALFA", Province: "AA"})
	assert.True(t, ok)
}

func TestLoadReliefListValidityOrder(t *testing.T) {
	entry := `{"name":"Alfa","province":"AA","source":"s"%s}`
	tests := []struct {
		name, validTo, entryFrom string
		valid                    bool
	}{
		{"list ends before it begins", "2019-12-31", "", false},
		{"list of one day", "2020-01-01", "", true},
		{"entry begins after the list ends", "2020-12-31", "2021-01-01", false},
		{"entry begins on the list's last day", "2020-12-31", "2020-12-31", true},
		{"entry begins before the list", "2020-12-31", "2019-06-01", true},
		{"list without end", "", "2030-01-01", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			from := ""
			if tt.entryFrom != "" {
				from = `,"validFrom":"` + tt.entryFrom + `"`
			}
			to := ""
			if tt.validTo != "" {
				to = `,"validTo":"` + tt.validTo + `"`
			}
			doc := `{"measure":"test","legalSource":"test","validFrom":"2020-01-01"` + to +
				`,"municipalities":[` + fmt.Sprintf(entry, from) + `]}`
			_, err := LoadReliefList(strings.NewReader(doc))
			if tt.valid {
				assert.NoError(t, err)
			} else {
				assert.ErrorIs(t, err, ErrInvalidReliefList)
			}
		})
	}

	// An entry that begins before the list is covered from the list's
	// first day.
	l, err := LoadReliefList(strings.NewReader(`{"measure":"test","legalSource":"test","validFrom":"2020-01-01",
	"municipalities":[{"name":"Alfa","province":"AA","source":"s","validFrom":"2019-06-01"}]}`))
	require.NoError(t, err)
	alfa := Municipality{Name: "Alfa", Province: "AA"}
	assert.False(t, l.CoversOn(alfa, date(2019, time.December, 31)))
	assert.True(t, l.CoversOn(alfa, date(2020, time.January, 1)))
}

func TestEarthquakeRelief2016ProvincePrefixes(t *testing.T) {
	// ISTAT codes of the provinces in the list. A municipality's code
	// starts with the three digits of its province.
	prefix := map[string]string{"AQ": "066", "TE": "067", "PE": "068", "RI": "057", "AP": "044", "FM": "109",
		"MC": "043", "AN": "042", "PG": "054", "TR": "055", "NA": "063"}
	l := EarthquakeRelief2016()
	byCode := map[string]ReliefMunicipality{}
	for _, m := range l.Municipalities {
		byCode[m.ISTATCode] = m
	}
	for _, m := range l.Municipalities {
		want, ok := prefix[m.Province]
		if !assert.True(t, ok, "%s: province %s has no known ISTAT code", m.Name, m.Province) {
			continue
		}
		assert.Regexp(t, `^\d{6}$`, m.ISTATCode, m.Name)
		assert.Equal(t, want, m.ISTATCode[:3], "%s (%s) %s", m.Name, m.Province, m.ISTATCode)
		if m.Successor == nil {
			continue
		}
		assert.Equal(t, want, m.Successor.ISTATCode[:3], "successor of %s", m.Name)
		if listed, ok := byCode[m.Successor.ISTATCode]; ok {
			assert.Equal(t, listed.Name, m.Successor.Name, "successor of %s is listed under another name", m.Name)
		}
	}
}

func TestLoadReliefListSuccessorTerms(t *testing.T) {
	alfa := `{"name":"Alfa","province":"AA","istatCode":"001001","source":"s","successor":{"name":"Gamma","istatCode":"001009"}%s}`
	beta := `{"name":"Beta","province":"AA","istatCode":"001002","source":"s","successor":{"name":"Gamma","istatCode":"001009"}%s}`
	gamma := `{"name":"Gamma","province":"AA","istatCode":"001009","source":"s"%s}`
	tests := []struct {
		name, doc string
		valid     bool
	}{
		{"two predecessors alike", reliefDoc(fmt.Sprintf(alfa, "") + "," + fmt.Sprintf(beta, "")), true},
		{"two predecessors, one later",
			reliefDoc(fmt.Sprintf(alfa, "") + "," + fmt.Sprintf(beta, `,"validFrom":"2020-06-01"`)), false},
		{"two predecessors, one by self-declaration",
			reliefDoc(fmt.Sprintf(alfa, `,"selfDeclarationOnly":true`) + "," + fmt.Sprintf(beta, "")), false},
		{"validFrom before the list counts as the list's",
			reliefDoc(fmt.Sprintf(alfa, `,"validFrom":"2019-01-01"`) + "," + fmt.Sprintf(beta, "")), true},
		{"listed successor alike", reliefDoc(fmt.Sprintf(alfa, "") + "," + fmt.Sprintf(gamma, "")), true},
		{"listed successor later",
			reliefDoc(fmt.Sprintf(alfa, "") + "," + fmt.Sprintf(gamma, `,"validFrom":"2020-06-01"`)), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := LoadReliefList(strings.NewReader(tt.doc))
			if !tt.valid {
				assert.ErrorIs(t, err, ErrInvalidReliefList)
				return
			}
			require.NoError(t, err)
			_, ok := l.Match(Municipality{ISTATCode: "001009"})
			assert.True(t, ok, "the successor's code matches")
		})
	}
}
