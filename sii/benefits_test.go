package sii

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/bludispatcher/dispatcher/internal/civil"
)

func TestBonusActive(t *testing.T) {
	b := BonusDates{Start: date(2025, time.January, 1), End: date(2025, time.December, 31)}
	tests := []struct {
		name  string
		dates BonusDates
		at    civil.Date
		want  bool
	}{
		{"before start", b, date(2024, time.December, 31), false},
		{"first day", b, date(2025, time.January, 1), true},
		{"last day", b, date(2025, time.December, 31), true},
		{"after end", b, date(2026, time.January, 1), false},
		{"open-ended", BonusDates{Start: date(2025, time.January, 1)}, date(2030, time.June, 1), true},
		{"no start", BonusDates{End: date(2025, time.December, 31)}, date(2025, time.June, 1), false},
		{"ceased", BonusDates{Start: b.Start, End: b.End, Cessation: date(2025, time.June, 1)}, date(2025, time.June, 1), false},
		{"before cessation", BonusDates{Start: b.Start, End: b.End, Cessation: date(2025, time.June, 1)}, date(2025, time.May, 31), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, BonusActive(tt.dates, tt.at))
		})
	}
}

// benefitsFixture has four points: A with the economic bonus, B with the
// physical bonus and a site in Norcia, C without bonus in Spoleto, and D
// without bonus and without a known site.
func benefitsFixture(t *testing.T) []*RCURecord {
	a := samplePoint("IT001E00000001")
	b := samplePoint("IT001E00000002")
	b[ColEconomicBonusStart], b[ColEconomicBonusEnd] = "", ""
	b[ColPhysicalBonusStart] = "01/02/2020"
	b[ColBonusCommunication] = "2"
	c := samplePoint("IT001E00000003")
	c[ColEconomicBonusStart], c[ColEconomicBonusEnd] = "", ""
	d := samplePoint("IT001E00000004")
	d[ColEconomicBonusEnd] = "31/12/2024"
	d[ColEconomicBonusStart] = "01/01/2024"
	_, recs := readRCU(t, buildRCU(columnOrder, []rcuRow{a, b, c, d}, ";"), RCUOptions{})
	return recs
}

var fixtureSites = StaticSites{
	"IT001E00000001": {Name: "Roma", Province: "RM"},
	"IT001E00000002": {Name: "NORCIA", Province: "pg", ISTATCode: "054035"},
	"IT001E00000003": {Name: "Spoleto", Province: "PG"},
}

func TestBonusesAt(t *testing.T) {
	got := BonusesAt(benefitsFixture(t), date(2025, time.March, 1))
	require.Len(t, got, 2)
	assert.Equal(t, "IT001E00000001", got[0].POD)
	assert.True(t, got[0].Economic)
	assert.False(t, got[0].Physical)
	assert.Equal(t, "1", got[0].Communication)
	assert.Equal(t, "IT001E00000002", got[1].POD)
	assert.False(t, got[1].Economic)
	assert.True(t, got[1].Physical)
	assert.Equal(t, "2", got[1].Communication)
}

func TestEarthquakeRelief2016List(t *testing.T) {
	l := EarthquakeRelief2016()
	assert.False(t, l.Complete, "annex texts were not opened")
	assert.NotEmpty(t, l.Unknown)

	perAnnex := map[string]int{}
	codes := map[string]string{}
	for _, m := range l.Municipalities {
		perAnnex[m.Annex]++
		assert.Regexp(t, `^\d{6}$`, m.ISTATCode, m.Name)
		assert.Regexp(t, `^[A-Z]\d{3}$`, m.CadastralCode, m.Name)
		if other, dup := codes[m.ISTATCode]; dup {
			t.Errorf("%s and %s share ISTAT code %s", m.Name, other, m.ISTATCode)
		}
		codes[m.ISTATCode] = m.Name
		assert.NotEmpty(t, m.Source, m.Name)
		assert.Len(t, m.Province, 2, m.Name)
		assert.NotEmpty(t, m.ValidFrom, m.Name)
	}
	assert.Equal(t, map[string]int{"1": 62, "2": 69, "2-bis": 9, "Ischia": 3}, perAnnex)

	assert.True(t, l.ActiveOn(date(2016, time.August, 24)))
	assert.True(t, l.ActiveOn(date(2026, time.December, 31)))
	assert.False(t, l.ActiveOn(date(2027, time.January, 1)))
	assert.False(t, l.ActiveOn(date(2016, time.August, 23)))
}

func TestEarthquakeRelief2016Codes(t *testing.T) {
	l := EarthquakeRelief2016()
	tests := []struct {
		name, province, code, cadastral, annex string
	}{
		{"Amatrice", "RI", "057002", "A258", "1"},
		{"Accumoli", "RI", "057001", "A019", "1"},
		{"Norcia", "PG", "054035", "F935", "1"},
		{"Arquata del Tronto", "AP", "044006", "A437", "1"},
		{"Camerino", "MC", "043007", "B474", "2"},
		{"Teramo", "TE", "067041", "L103", "2"},
		{"Farindola", "PE", "068019", "D501", "2-bis"},
		{"Casamicciola Terme", "NA", "063019", "B924", "Ischia"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, ok := l.Match(Municipality{Name: tt.name, Province: tt.province})
			require.True(t, ok)
			assert.Equal(t, tt.code, m.ISTATCode)
			assert.Equal(t, tt.cadastral, m.CadastralCode)
			assert.Equal(t, tt.annex, m.Annex)
		})
	}
}

func TestEarthquakeRelief2016Match(t *testing.T) {
	l := EarthquakeRelief2016()
	tests := []struct {
		name  string
		site  Municipality
		want  string // entry name, empty for no match
		match ReliefMatch
	}{
		{"code", Municipality{ISTATCode: "057002", Name: "wrong name", Province: "XX"}, "Amatrice", MatchISTATCode},
		{"code with spaces", Municipality{ISTATCode: " 054035 "}, "Norcia", MatchISTATCode},
		{"successor code", Municipality{ISTATCode: "043058", Name: "Valfornace", Province: "MC"}, "Fiordimonte", MatchSuccessorCode},
		{"merged into a listed one", Municipality{ISTATCode: "043017", Name: "Fiastra", Province: "MC"}, "Fiastra", MatchISTATCode},
		{"2016 code of a merged one", Municipality{ISTATCode: "043001"}, "Acquacanina", MatchISTATCode},
		{"name without code", Municipality{Name: "SANT ANATOLIA DI NARCO", Province: "pg"}, "Sant'Anatolia di Narco", MatchName},
		{"annex spelling", Municipality{Name: "Montecavallo", Province: "MC"}, "Monte Cavallo", MatchName},
		{"successor name", Municipality{Name: "Valfornace", Province: "MC"}, "Fiordimonte", MatchName},
		{"name in another province", Municipality{Name: "Norcia", Province: "TR"}, "", ""},
		{"name with a code not listed", Municipality{ISTATCode: "999999", Name: "Norcia", Province: "PG"}, "", ""},
		{"code of an unlisted municipality", Municipality{ISTATCode: "058091", Name: "Roma", Province: "RM"}, "", ""},
		{"Spinetoli is not listed", Municipality{Name: "Spinetoli", Province: "AP"}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			i, matchedBy := l.match(tt.site)
			m, ok := l.Match(tt.site)
			if tt.want == "" {
				assert.False(t, ok)
				assert.Equal(t, -1, i)
				return
			}
			require.True(t, ok)
			assert.Equal(t, tt.want, m.Name)
			assert.Equal(t, tt.match, matchedBy)
		})
	}
}

func TestReliefCoversOn(t *testing.T) {
	l := EarthquakeRelief2016()
	tests := []struct {
		name string
		site Municipality
		at   civil.Date
		want bool
	}{
		{"annex 1 on the first day", Municipality{ISTATCode: "057002"}, date(2016, time.August, 24), true},
		{"annex 2 before its event", Municipality{ISTATCode: "043007"}, date(2016, time.October, 25), false},
		{"annex 2 on its event", Municipality{ISTATCode: "043007"}, date(2016, time.October, 26), true},
		{"annex 2-bis before its event", Municipality{ISTATCode: "068019"}, date(2017, time.January, 17), false},
		{"Ischia before its event", Municipality{ISTATCode: "063019"}, date(2017, time.August, 20), false},
		{"Ischia after its event", Municipality{ISTATCode: "063019"}, date(2017, time.August, 21), true},
		{"after the list ends", Municipality{ISTATCode: "057002"}, date(2027, time.January, 1), false},
		{"unlisted", Municipality{ISTATCode: "058091"}, date(2020, time.January, 1), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, l.CoversOn(tt.site, tt.at))
		})
	}
}

func TestReliefPoints(t *testing.T) {
	recs := benefitsFixture(t)
	res, err := ReliefPoints(context.Background(), recs, fixtureSites, EarthquakeRelief2016(), date(2018, time.May, 1))
	require.NoError(t, err)
	assert.True(t, res.Active)
	require.Len(t, res.Points, 2)
	assert.Equal(t, "IT001E00000002", res.Points[0].POD)
	assert.Equal(t, "Norcia", res.Points[0].Entry.Name)
	assert.Equal(t, MatchISTATCode, res.Points[0].MatchedBy)
	assert.Equal(t, "054035", res.Points[0].Municipality.ISTATCode)
	assert.Equal(t, "IT001E00000003", res.Points[1].POD)
	assert.Equal(t, MatchName, res.Points[1].MatchedBy)
	assert.True(t, res.Points[1].Entry.SelfDeclarationOnly)
	assert.Equal(t, []string{"IT001E00000004"}, res.Unlocated)

	beforeOctober, err := ReliefPoints(context.Background(), recs, fixtureSites, EarthquakeRelief2016(), date(2016, time.September, 1))
	require.NoError(t, err)
	require.Len(t, beforeOctober.Points, 1, "Spoleto joined with the events of 26 October 2016")
	assert.Equal(t, "IT001E00000002", beforeOctober.Points[0].POD)

	expired, err := ReliefPoints(context.Background(), recs, fixtureSites, EarthquakeRelief2016(), date(2027, time.May, 1))
	require.NoError(t, err)
	assert.False(t, expired.Active)
	assert.Empty(t, expired.Points)
}

type brokenSites struct{}

var errSitesDown = errors.New("sites down")

func (brokenSites) SiteMunicipality(context.Context, string) (Municipality, bool, error) {
	return Municipality{}, false, errSitesDown
}

func TestReliefPointsRegistryError(t *testing.T) {
	_, err := ReliefPoints(context.Background(), benefitsFixture(t), brokenSites{}, EarthquakeRelief2016(), date(2018, time.May, 1))
	assert.ErrorIs(t, err, errSitesDown)
}

func TestLoadReliefListWithCodes(t *testing.T) {
	doc := `{"measure":"test","legalSource":"test","validFrom":"2020-01-01","complete":true,
	"municipalities":[{"name":"Alfa","province":"AA","istatCode":"001001","source":"test"}]}`
	l, err := LoadReliefList(strings.NewReader(doc))
	require.NoError(t, err)
	_, ok := l.Match(Municipality{ISTATCode: "001001", Name: "renamed", Province: "ZZ"})
	assert.True(t, ok, "code wins over name")
	_, ok = l.Match(Municipality{ISTATCode: "009999", Name: "Alfa", Province: "AA"})
	assert.False(t, ok, "conflicting codes do not match")

	uncoded, err := LoadReliefList(strings.NewReader(`{"measure":"test","legalSource":"test","validFrom":"2020-01-01",
	"municipalities":[{"name":"Beta","province":"BB","istatCode":"","source":"test"}]}`))
	require.NoError(t, err)
	_, ok = uncoded.Match(Municipality{ISTATCode: "002002", Name: "BETA", Province: "bb"})
	assert.True(t, ok, "an entry without code falls back to the name")
	assert.True(t, l.ActiveOn(date(2099, time.January, 1)), "no end date")

	tests := []struct{ name, doc string }{
		{"bad validFrom", `{"measure":"x","validFrom":"2020-13-01","municipalities":[]}`},
		{"no source", `{"measure":"x","validFrom":"2020-01-01","municipalities":[{"name":"A","province":"AA"}]}`},
		{"unknown field", `{"measure":"x","validFrom":"2020-01-01","municipalities":[],"extra":1}`},
		{"short code", `{"measure":"x","validFrom":"2020-01-01","municipalities":[{"name":"A","province":"AA","istatCode":"12345","source":"s"}]}`},
		{"letters in code", `{"measure":"x","validFrom":"2020-01-01","municipalities":[{"name":"A","province":"AA","istatCode":"12345X","source":"s"}]}`},
		{"duplicate code", `{"measure":"x","validFrom":"2020-01-01","municipalities":[{"name":"A","province":"AA","istatCode":"001001","source":"s"},{"name":"B","province":"AA","istatCode":"001001","source":"s"}]}`},
		{"duplicate name", `{"measure":"x","validFrom":"2020-01-01","municipalities":[{"name":"A","province":"AA","source":"s"},{"name":"a","province":"aa","source":"s"}]}`},
		{"alias of another entry", `{"measure":"x","validFrom":"2020-01-01","municipalities":[{"name":"A","province":"AA","source":"s"},{"name":"B","province":"AA","aliases":["A"],"source":"s"}]}`},
		{"bad successor code", `{"measure":"x","validFrom":"2020-01-01","municipalities":[{"name":"A","province":"AA","source":"s","successor":{"name":"B","istatCode":"1"}}]}`},
		{"successor without name", `{"measure":"x","validFrom":"2020-01-01","municipalities":[{"name":"A","province":"AA","source":"s","successor":{"istatCode":"001002"}}]}`},
		{"bad entry validFrom", `{"measure":"x","validFrom":"2020-01-01","municipalities":[{"name":"A","province":"AA","source":"s","validFrom":"2020-02-30"}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadReliefList(strings.NewReader(tt.doc))
			assert.ErrorIs(t, err, ErrInvalidReliefList)
		})
	}
}

func TestWriteBenefitsXLSX(t *testing.T) {
	recs := benefitsFixture(t)
	at := date(2018, time.May, 1)
	relief, err := ReliefPoints(context.Background(), recs, fixtureSites, EarthquakeRelief2016(), at)
	require.NoError(t, err)
	bonuses := BonusesAt(recs, date(2025, time.March, 1))
	var buf bytes.Buffer
	require.NoError(t, WriteBenefitsXLSX(&buf, at, bonuses, relief))

	f, err := excelize.OpenReader(&buf)
	require.NoError(t, err)
	defer f.Close()
	assert.Equal(t, []string{SheetSocialBonus, SheetRelief, SheetReliefList}, f.GetSheetList())
	rows, err := f.GetRows(SheetSocialBonus)
	require.NoError(t, err)
	assert.Len(t, rows, 3)
	assert.Equal(t, "IT001E00000002", rows[2][1])
	assert.Equal(t, "yes", rows[2][4])
	rows, err = f.GetRows(SheetRelief)
	require.NoError(t, err)
	assert.Len(t, rows, 4, "header, two points, one unlocated")
	assert.Equal(t, "Norcia", rows[1][3])
	assert.Equal(t, "054035", rows[1][5], "the list's code")
	assert.Equal(t, string(MatchISTATCode), rows[1][8])
	assert.Equal(t, "Spoleto", rows[2][3])
	assert.Equal(t, "054051", rows[2][5], "the list's code, found through the name")
	assert.Equal(t, string(MatchName), rows[2][8])
	assert.Equal(t, []string{"Covered from", "Covered to"}, rows[0][10:])
	assert.Equal(t, []string{"01/05/2018", "01/05/2018"}, rows[1][10:], "a report of one day covers that day")
	rows, err = f.GetRows(SheetReliefList)
	require.NoError(t, err)
	assert.Equal(t, []string{"Applies on 01/05/2018", "yes"}, rows[5])
	assert.Equal(t, []string{"List complete", "no"}, rows[6])

	month, err := ReliefPointsIn(context.Background(), recs, fixtureSites, EarthquakeRelief2016(),
		date(2018, time.May, 1), date(2018, time.May, 31))
	require.NoError(t, err)
	var monthBuf bytes.Buffer
	require.NoError(t, WriteBenefitsXLSX(&monthBuf, at, bonuses, month))
	fm, err := excelize.OpenReader(&monthBuf)
	require.NoError(t, err)
	defer fm.Close()
	rows, err = fm.GetRows(SheetRelief)
	require.NoError(t, err)
	assert.Equal(t, []string{"01/05/2018", "31/05/2018"}, rows[1][10:], "a month report covers the month")
	rows, err = fm.GetRows(SheetReliefList)
	require.NoError(t, err)
	assert.Equal(t, []string{"Applies from 01/05/2018 to 31/05/2018", "yes"}, rows[5])

	var noRelief bytes.Buffer
	require.NoError(t, WriteBenefitsXLSX(&noRelief, at, nil, nil))
	f2, err := excelize.OpenReader(&noRelief)
	require.NoError(t, err)
	defer f2.Close()
	assert.Equal(t, []string{SheetSocialBonus}, f2.GetSheetList())
}
