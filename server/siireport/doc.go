// Package siireport builds the reports on the SII registry extract (RCU)
// that the JSON API and the SOAP service both serve: the comparison of
// the extract with the billing registry, and the points entitled to the
// social bonus or covered by earthquake relief. Both read the stored
// extract of one month and the registry that billing pushed to the store,
// so the two services return the same data.
package siireport

import (
	"context"
	"fmt"
	"slices"

	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/server/store"
)

// Store is the part of the store the reports read: the stored extracts
// and the billing registry.
type Store interface {
	store.DomainStore
	store.RegistryStore
}

// ErrNoExtract is returned when the company has no stored RCU extract
// for the month requested. It wraps store.ErrNotFound.
var ErrNoExtract = fmt.Errorf("%w: no RCU extract loaded", store.ErrNotFound)

// HasExtract reports whether the company has a stored extract of month.
func HasExtract(ctx context.Context, st Store, company store.CompanyID, month civil.Month) (bool, error) {
	months, err := st.RCUMonths(ctx, company)
	if err != nil {
		return false, err
	}
	return slices.Contains(months, month), nil
}

// ExtractMonthAt returns the newest extract month of the company that is
// not after the month of day at, the extract in force on that day. It
// fails with ErrNoExtract when there is none.
func ExtractMonthAt(ctx context.Context, st Store, company store.CompanyID, at civil.Date) (civil.Month, error) {
	months, err := st.RCUMonths(ctx, company)
	if err != nil {
		return civil.Month{}, err
	}
	limit := at.MonthOf()
	for _, m := range months {
		if m.Index() <= limit.Index() {
			return m, nil
		}
	}
	return civil.Month{}, fmt.Errorf("%w on or before %s", ErrNoExtract, limit)
}
