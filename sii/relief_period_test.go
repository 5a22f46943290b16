package sii

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/internal/civil"
)

// TestReliefPointsInCoveredDays checks the first and last covered day of
// each point over a period: from the entry's own start, to the list's
// end, and none when the period lies outside either.
func TestReliefPointsInCoveredDays(t *testing.T) {
	list, err := LoadReliefList(strings.NewReader(`{"measure":"test","legalSource":"test",
	"validFrom":"2020-01-01","validTo":"2020-06-15","municipalities":[
	{"name":"Alfa","province":"AA","istatCode":"001001","source":"s"},
	{"name":"Beta","province":"AA","istatCode":"001002","validFrom":"2020-03-10","source":"s"},
	{"name":"Gamma","province":"AA","istatCode":"001003","validFrom":"2020-06-10","source":"s"}]}`))
	require.NoError(t, err)
	sites := StaticSites{
		"IT001E00000001": {ISTATCode: "001001"},
		"IT001E00000002": {ISTATCode: "001002"},
		"IT001E00000003": {ISTATCode: "001003"},
	}
	records := []*RCURecord{{POD: "IT001E00000001"}, {POD: "IT001E00000002"}, {POD: "IT001E00000003"}}

	type covered struct{ pod, from, to string }
	tests := []struct {
		name     string
		from, to string
		active   bool
		want     []covered
	}{
		{"entry starts mid-month", "2020-03-01", "2020-03-31", true, []covered{
			{"IT001E00000001", "2020-03-01", "2020-03-31"},
			{"IT001E00000002", "2020-03-10", "2020-03-31"},
		}},
		{"list ends mid-month", "2020-06-01", "2020-06-30", true, []covered{
			{"IT001E00000001", "2020-06-01", "2020-06-15"},
			{"IT001E00000002", "2020-06-01", "2020-06-15"},
			{"IT001E00000003", "2020-06-10", "2020-06-15"},
		}},
		{"entry starts after the period", "2020-02-01", "2020-02-29", true, []covered{
			{"IT001E00000001", "2020-02-01", "2020-02-29"},
		}},
		{"list starts mid-period", "2019-12-15", "2020-01-10", true, []covered{
			{"IT001E00000001", "2020-01-01", "2020-01-10"},
		}},
		{"one day", "2020-03-10", "2020-03-10", true, []covered{
			{"IT001E00000001", "2020-03-10", "2020-03-10"},
			{"IT001E00000002", "2020-03-10", "2020-03-10"},
		}},
		{"after the list ends", "2020-07-01", "2020-07-31", false, nil},
		{"before the list starts", "2019-12-01", "2019-12-31", false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			from, to := isoDate(t, tt.from), isoDate(t, tt.to)
			res, err := ReliefPointsIn(context.Background(), records, sites, list, from, to)
			require.NoError(t, err)
			assert.Equal(t, tt.active, res.Active)
			assert.Equal(t, from, res.From)
			assert.Equal(t, to, res.To)
			assert.Equal(t, to, res.At, "At is the last day of the period")
			var got []covered
			for _, p := range res.Points {
				got = append(got, covered{p.POD, p.CoveredFrom.String(), p.CoveredTo.String()})
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

// TestReliefPointsInInvalidPeriod checks that a period ending before it
// starts is rejected.
func TestReliefPointsInInvalidPeriod(t *testing.T) {
	_, err := ReliefPointsIn(context.Background(), nil, StaticSites{}, EarthquakeRelief2016(),
		date(2020, time.March, 2), date(2020, time.March, 1))
	assert.ErrorContains(t, err, "ends on 2020-03-01, before its start 2020-03-02")
}

// TestReliefAnnexTwoOctober2016 checks that Camerino, listed in annex 2
// and covered from 26 October 2016, is covered for six days of October
// 2016, while an annex 1 municipality is covered for the whole month.
func TestReliefAnnexTwoOctober2016(t *testing.T) {
	sites := StaticSites{
		"IT001E00000006": {ISTATCode: "043007", Name: "Camerino", Province: "MC"},
		"IT001E00000007": {ISTATCode: "043017", Name: "Fiastra", Province: "MC"},
	}
	records := []*RCURecord{{POD: "IT001E00000006"}, {POD: "IT001E00000007"}}
	res, err := ReliefPointsIn(context.Background(), records, sites, EarthquakeRelief2016(),
		date(2016, time.October, 1), date(2016, time.October, 31))
	require.NoError(t, err)
	require.Len(t, res.Points, 2)
	assert.Equal(t, "2", res.Points[0].Entry.Annex)
	assert.Equal(t, date(2016, time.October, 26), res.Points[0].CoveredFrom)
	assert.Equal(t, date(2016, time.October, 31), res.Points[0].CoveredTo)
	assert.Equal(t, date(2016, time.October, 1), res.Points[1].CoveredFrom)
	assert.Equal(t, date(2016, time.October, 31), res.Points[1].CoveredTo)
}

func isoDate(t *testing.T, s string) civil.Date {
	t.Helper()
	d, err := civil.ParseISODate(s)
	require.NoError(t, err)
	return d
}
