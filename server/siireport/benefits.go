package siireport

import (
	"context"

	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/server/store"
	"github.com/bludispatcher/dispatcher/sii"
)

// Benefits is the social bonus and relief report of one extract month.
type Benefits struct {
	// Month is the extract month the report reads.
	Month civil.Month
	// At is the day the bonuses and the relief measure are checked on.
	At civil.Date
	// Bonuses are the points with a social bonus active on At.
	Bonuses []sii.BonusEntitlement
	// Relief are the points covered by the embedded earthquake relief
	// list on at least one day of the period of Relief.From and
	// Relief.To, with the first and last covered day of each.
	Relief *sii.ReliefResult
}

// ComputeBenefits returns the points of the company's stored extract of
// month with a social bonus active on day at, and those whose site lies
// in a municipality of sii.EarthquakeRelief2016 on that day.
func ComputeBenefits(ctx context.Context, st Store, company store.CompanyID, month civil.Month, at civil.Date) (*Benefits, error) {
	return ComputeBenefitsIn(ctx, st, company, month, at, at, at)
}

// ComputeBenefitsIn is ComputeBenefits with relief checked over the days
// from from to to, both included, rather than on at alone.
func ComputeBenefitsIn(ctx context.Context, st Store, company store.CompanyID, month civil.Month, at, from, to civil.Date) (*Benefits, error) {
	records, err := st.RCURecords(ctx, company, month)
	if err != nil {
		return nil, err
	}
	relief, err := sii.ReliefPointsIn(ctx, records, SiteRegistry{Store: st, Company: company}, sii.EarthquakeRelief2016(), from, to)
	if err != nil {
		return nil, err
	}
	return &Benefits{Month: month, At: at, Bonuses: sii.BonusesAt(records, at), Relief: relief}, nil
}
