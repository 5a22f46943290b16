package sqlstore

import (
	"context"
	"fmt"

	"github.com/bludispatcher/dispatcher/server/store"
)

// PutRegistryEntry inserts or replaces a registry entry; see store.Registry.
func (s *Store) PutRegistryEntry(ctx context.Context, e store.RegistryEntry) error {
	if e.Company <= 0 || e.POD == "" || e.ValidFrom.IsZero() {
		return s.wrap("put registry entry", fmt.Errorf("%w: company, POD and ValidFrom are required", store.ErrInvalid))
	}
	if _, err := s.Company(ctx, e.Company); err != nil {
		return err
	}
	if e.UpdatedAt.IsZero() {
		e.UpdatedAt = s.now()
	}
	_, err := s.write.Exec(ctx, s.q(`INSERT INTO pod_registry (company_id, pod, valid_from, valid_to,
		site_code, site_name, customer_code, customer_name, customer_tax_code, billing_customer_key,
		billing_contract_key, billing_site_key, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (company_id, pod, valid_from) DO UPDATE SET valid_to = excluded.valid_to,
		site_code = excluded.site_code, site_name = excluded.site_name,
		customer_code = excluded.customer_code, customer_name = excluded.customer_name,
		customer_tax_code = excluded.customer_tax_code, billing_customer_key = excluded.billing_customer_key,
		billing_contract_key = excluded.billing_contract_key, billing_site_key = excluded.billing_site_key,
		updated_at = excluded.updated_at`),
		int64(e.Company), e.POD, e.ValidFrom.String(), dateText(e.ValidTo), e.SiteCode, e.SiteName,
		e.CustomerCode, e.CustomerName, e.CustomerTaxCode, e.BillingCustomerKey, e.BillingContractKey,
		e.BillingSiteKey, micros(e.UpdatedAt))
	return s.wrap("put registry entry "+e.POD, err)
}

// RegistryEntries returns a POD's registry entries; see store.Registry.
func (s *Store) RegistryEntries(ctx context.Context, company store.CompanyID, pod string) ([]store.RegistryEntry, error) {
	rows, err := s.read.Query(ctx, s.q(`SELECT valid_from, valid_to, site_code, site_name, customer_code,
		customer_name, customer_tax_code, billing_customer_key, billing_contract_key, billing_site_key,
		updated_at FROM pod_registry WHERE company_id = ? AND pod = ? ORDER BY valid_from`), int64(company), pod)
	if err != nil {
		return nil, s.wrap("registry entries", err)
	}
	defer rows.Close()
	var out []store.RegistryEntry
	for rows.Next() {
		e := store.RegistryEntry{Company: company, POD: pod}
		var from, to string
		var updated int64
		if err := rows.Scan(&from, &to, &e.SiteCode, &e.SiteName, &e.CustomerCode, &e.CustomerName,
			&e.CustomerTaxCode, &e.BillingCustomerKey, &e.BillingContractKey, &e.BillingSiteKey, &updated); err != nil {
			return nil, s.wrap("registry entries", err)
		}
		if e.ValidFrom, err = parseStoredDate(from); err != nil {
			return nil, s.wrap("registry entries", err)
		}
		if e.ValidTo, err = parseStoredDate(to); err != nil {
			return nil, s.wrap("registry entries", err)
		}
		e.UpdatedAt = fromMicros(updated)
		out = append(out, e)
	}
	return out, s.wrap("registry entries", rows.Err())
}
