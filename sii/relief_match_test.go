package sii

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReliefMatchNameForms(t *testing.T) {
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
