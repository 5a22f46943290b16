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
	"IT001E00000002": {Name: "NORCIA", Province: "pg", ISTATCode: "999999"}, // fictitious code
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
	assert.False(t, l.Complete, "the embedded list is known to be partial")
	assert.NotEmpty(t, l.Unknown)
	assert.Len(t, l.Municipalities, 127)
	for _, m := range l.Municipalities {
		assert.Empty(t, m.ISTATCode, "%s: no code is sourced", m.Name)
		assert.NotEmpty(t, m.Source, m.Name)
		assert.Len(t, m.Province, 2, m.Name)
	}
	assert.True(t, l.ActiveOn(date(2016, time.August, 24)))
	assert.True(t, l.ActiveOn(date(2022, time.December, 31)))
	assert.False(t, l.ActiveOn(date(2023, time.January, 1)))
	assert.False(t, l.ActiveOn(date(2016, time.August, 23)))

	m, ok := l.Match(Municipality{Name: "SANT ANATOLIA DI NARCO", Province: "pg"})
	require.True(t, ok, "name matched without case and apostrophes")
	assert.Equal(t, "1", m.Annex)
	_, ok = l.Match(Municipality{Name: "Norcia", Province: "TR"})
	assert.False(t, ok, "same name in another province")
}

func TestReliefPoints(t *testing.T) {
	recs := benefitsFixture(t)
	res, err := ReliefPoints(context.Background(), recs, fixtureSites, EarthquakeRelief2016(), date(2018, time.May, 1))
	require.NoError(t, err)
	assert.True(t, res.Active)
	require.Len(t, res.Points, 2)
	assert.Equal(t, "IT001E00000002", res.Points[0].POD)
	assert.Equal(t, "Norcia", res.Points[0].Entry.Name)
	assert.Equal(t, "999999", res.Points[0].Municipality.ISTATCode)
	assert.Equal(t, "IT001E00000003", res.Points[1].POD)
	assert.True(t, res.Points[1].Entry.SelfDeclarationOnly)
	assert.Equal(t, []string{"IT001E00000004"}, res.Unlocated)

	expired, err := ReliefPoints(context.Background(), recs, fixtureSites, EarthquakeRelief2016(), date(2024, time.May, 1))
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
	assert.True(t, l.ActiveOn(date(2099, time.January, 1)), "no end date")

	for _, bad := range []string{
		`{"measure":"x","validFrom":"2020-13-01","municipalities":[]}`,
		`{"measure":"x","validFrom":"2020-01-01","municipalities":[{"name":"A","province":"AA"}]}`,
		`{"measure":"x","validFrom":"2020-01-01","municipalities":[],"extra":1}`,
	} {
		_, err := LoadReliefList(strings.NewReader(bad))
		assert.ErrorIs(t, err, ErrInvalidReliefList, bad)
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
	rows, err = f.GetRows(SheetReliefList)
	require.NoError(t, err)
	assert.Equal(t, []string{"List complete", "no"}, rows[6])

	var noRelief bytes.Buffer
	require.NoError(t, WriteBenefitsXLSX(&noRelief, at, nil, nil))
	f2, err := excelize.OpenReader(&noRelief)
	require.NoError(t, err)
	defer f2.Close()
	assert.Equal(t, []string{SheetSocialBonus}, f2.GetSheetList())
}
