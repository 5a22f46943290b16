package siireport

import (
	"context"
	"strings"

	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/server/store"
	"github.com/bludispatcher/dispatcher/sii"
)

// Compare runs sii.Compare on the company's stored extract of month
// against its billing registry, and keeps only the differences that
// Compared accepts. A non-empty distributor (PIVA_DISTR) keeps only that
// distributor's comparison and CRPP points.
func Compare(ctx context.Context, st Store, company store.CompanyID, month civil.Month, distributor string) (*sii.Comparison, error) {
	records, err := st.RCURecords(ctx, company, month)
	if err != nil {
		return nil, err
	}
	cmp, err := sii.Compare(ctx, month, records, BillingRegistry{Store: st, Company: company})
	if err != nil {
		return nil, err
	}
	for i := range cmp.Distributors {
		d := &cmp.Distributors[i]
		shown := d.Differences[:0]
		for _, diff := range d.Differences {
			if Compared(diff) {
				shown = append(shown, diff)
			}
		}
		d.Differences = shown
	}
	if distributor != "" {
		keepDistributor(cmp, distributor)
	}
	return cmp, nil
}

// keepDistributor drops from cmp every distributor but vat.
func keepDistributor(cmp *sii.Comparison, vat string) {
	vat = normalizeVAT(vat)
	var groups []sii.DistributorComparison
	for _, d := range cmp.Distributors {
		if d.DistributorVAT == vat {
			groups = append(groups, d)
		}
	}
	cmp.Distributors = groups
	var crpp []*sii.RCURecord
	for _, rec := range cmp.CRPP {
		if normalizeVAT(rec.DistributorVAT) == vat {
			crpp = append(crpp, rec)
		}
	}
	cmp.CRPP = crpp
}

// normalizeVAT writes a VAT number as sii.Compare groups distributors:
// trimmed, upper case, and a numeric one shorter than 11 digits left-padded
// with the zeros that spreadsheets drop.
func normalizeVAT(s string) string {
	s = strings.ToUpper(strings.TrimSpace(s))
	if s == "" || len(s) >= 11 || strings.Trim(s, "0123456789") != "" {
		return s
	}
	return strings.Repeat("0", 11-len(s)) + s
}
