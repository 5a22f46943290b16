package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/bludispatcher/dispatcher/server/store"
	"github.com/bludispatcher/dispatcher/sii"
)

// PutSupplyPoint creates or replaces a supply point and its POD registry
// entry (see store.RegistryStore). It stores the code upper-cased.
func (s *Store) PutSupplyPoint(ctx context.Context, p store.SupplyPoint) error {
	const op = "put supply point"
	p.Code = store.CanonicalPOD(p.Code)
	if p.Code == "" {
		return s.invalid(op, "Code", p.Code, "is required")
	}
	if p.Commodity != store.Electricity && p.Commodity != store.Gas {
		return s.invalid(op, "Commodity", string(p.Commodity), "is not electricity or gas")
	}
	if p.Site == "" {
		return s.invalid(op, "Site", p.Site, "is required")
	}
	if err := s.checkValidity(op, p.Validity); err != nil {
		return err
	}
	if p.UpdatedAt.IsZero() {
		p.UpdatedAt = s.now()
	}
	err := s.inTx(ctx, func(conn Conn) error {
		site, err := s.site(ctx, conn, p.Company, p.Site)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("site %q: %w", p.Site, store.ErrNotFound)
		}
		if err != nil {
			return err
		}
		cust, err := s.customer(ctx, conn, p.Company, site.Customer)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		prev, err := s.supplyPoint(ctx, conn, p.Company, p.Code)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return err
		case prev.Validity.From != p.Validity.From:
			// The entry is keyed by ValidFrom, so the old start's entry goes.
			if _, err := conn.Exec(ctx, s.q("DELETE FROM pod_registry WHERE company_id = ? AND pod = ? AND valid_from = ?"),
				int64(p.Company), p.Code, prev.Validity.From.String()); err != nil {
				return err
			}
		}
		if err := s.upsertSupplyPoint(ctx, conn, p); err != nil {
			return err
		}
		return s.putPODEntry(ctx, conn, p, site, cust)
	})
	return s.wrap(op+" "+p.Code, err)
}

func (s *Store) upsertSupplyPoint(ctx context.Context, conn Conn, p store.SupplyPoint) error {
	t := p.Technical
	_, err := conn.Exec(ctx, s.q(`INSERT INTO registry_supply_points (company_id, code, commodity, site_code,
		distributor_vat, distributor_name, billing_contract_key, billing_supply_key, valid_from, valid_to, updated_at,
		treatment, contracted_power, available_power, voltage, meter_type,
		udd_vat, counterparty_vat, dispatching_contract)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (company_id, code) DO UPDATE SET commodity = excluded.commodity, site_code = excluded.site_code,
		distributor_vat = excluded.distributor_vat, distributor_name = excluded.distributor_name,
		billing_contract_key = excluded.billing_contract_key, billing_supply_key = excluded.billing_supply_key,
		valid_from = excluded.valid_from, valid_to = excluded.valid_to, updated_at = excluded.updated_at,
		treatment = excluded.treatment, contracted_power = excluded.contracted_power,
		available_power = excluded.available_power, voltage = excluded.voltage, meter_type = excluded.meter_type,
		udd_vat = excluded.udd_vat, counterparty_vat = excluded.counterparty_vat,
		dispatching_contract = excluded.dispatching_contract`),
		int64(p.Company), p.Code, string(p.Commodity), p.Site, p.DistributorVAT, p.DistributorName,
		p.BillingContractKey, p.BillingSupplyKey, p.Validity.From.String(), dateText(p.Validity.To), micros(p.UpdatedAt),
		t.Treatment, t.ContractedPower, t.AvailablePower, t.Voltage, t.MeterType,
		p.UdDVAT, p.CounterpartyVAT, p.DispatchingContract)
	return err
}

// putPODEntry writes the RegistryEntry that SearchRecords joins on.
func (s *Store) putPODEntry(ctx context.Context, conn Conn, p store.SupplyPoint, site store.Site, cust store.Customer) error {
	_, err := conn.Exec(ctx, s.q(`INSERT INTO pod_registry (company_id, pod, valid_from, valid_to,
		site_code, site_name, customer_code, customer_name, customer_tax_code, billing_customer_key,
		billing_contract_key, billing_site_key, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (company_id, pod, valid_from) DO UPDATE SET valid_to = excluded.valid_to,
		site_code = excluded.site_code, site_name = excluded.site_name,
		customer_code = excluded.customer_code, customer_name = excluded.customer_name,
		customer_tax_code = excluded.customer_tax_code, billing_customer_key = excluded.billing_customer_key,
		billing_contract_key = excluded.billing_contract_key, billing_site_key = excluded.billing_site_key,
		updated_at = excluded.updated_at`),
		int64(p.Company), p.Code, p.Validity.From.String(), dateText(p.Validity.To), site.Code, site.Name,
		cust.Code, cust.Name, customerTaxCode(cust), cust.Code, p.BillingContractKey, site.Code, micros(p.UpdatedAt))
	return err
}

// SupplyPoint returns one supply point; see store.RegistryStore.
func (s *Store) SupplyPoint(ctx context.Context, company store.CompanyID, code string) (store.SupplyPoint, error) {
	code = store.CanonicalPOD(code)
	p, err := s.supplyPoint(ctx, s.read, company, code)
	return p, s.notFound("supply point "+code, err)
}

// SupplyPointByPODKey returns the one supply point whose code begins with
// key (see store.RegistryStore). The query repeats the expression of the
// index registry_supply_points_pod_key so that the database searches it.
// Unlike a range on code, the expression finds the prefix whatever the
// collation of the PostgreSQL database.
func (s *Store) SupplyPointByPODKey(ctx context.Context, company store.CompanyID, key string) (store.SupplyPoint, error) {
	const op = "supply point by POD key"
	key = store.CanonicalPOD(key)
	if utf8.RuneCountInString(key) != sii.PODKeyLength {
		return store.SupplyPoint{}, s.invalid(op, "key", key, fmt.Sprintf("is not %d characters", sii.PODKeyLength))
	}
	// Reading only code would let SQLite prefer the primary key as a
	// covering index and scan every point of the company.
	rows, err := s.read.Query(ctx, s.q(`SELECT code, site_code FROM registry_supply_points
		WHERE company_id = ? AND substr(code, 1, 14) = ?`), int64(company), key)
	if err != nil {
		return store.SupplyPoint{}, s.wrap(op+" "+key, err)
	}
	var codes []string
	for rows.Next() {
		var code, site string
		if err := rows.Scan(&code, &site); err != nil {
			rows.Close()
			return store.SupplyPoint{}, s.wrap(op+" "+key, err)
		}
		codes = append(codes, code)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return store.SupplyPoint{}, s.wrap(op+" "+key, err)
	}
	slices.Sort(codes)
	switch len(codes) {
	case 0:
		return store.SupplyPoint{}, s.notFound("supply point with POD key "+key, sql.ErrNoRows)
	case 1:
		return s.SupplyPoint(ctx, company, codes[0])
	}
	return store.SupplyPoint{}, s.wrap(op, fmt.Errorf("%w: supply points %s all begin with POD key %s: "+
		"keep one of them in billing", store.ErrAmbiguous, strings.Join(codes, ", "), key))
}

func (s *Store) supplyPoint(ctx context.Context, q Querier, company store.CompanyID, code string) (store.SupplyPoint, error) {
	p := store.SupplyPoint{Company: company, Code: code}
	var commodity, from, to string
	var updated int64
	t := &p.Technical
	err := q.QueryRow(ctx, s.q(`SELECT commodity, site_code, distributor_vat, distributor_name, billing_contract_key,
		billing_supply_key, valid_from, valid_to, updated_at,
		treatment, contracted_power, available_power, voltage, meter_type,
		udd_vat, counterparty_vat, dispatching_contract FROM registry_supply_points
		WHERE company_id = ? AND code = ?`), int64(company), code).
		Scan(&commodity, &p.Site, &p.DistributorVAT, &p.DistributorName, &p.BillingContractKey,
			&p.BillingSupplyKey, &from, &to, &updated,
			&t.Treatment, &t.ContractedPower, &t.AvailablePower, &t.Voltage, &t.MeterType,
			&p.UdDVAT, &p.CounterpartyVAT, &p.DispatchingContract)
	if err != nil {
		return p, err
	}
	p.Commodity = store.Commodity(commodity)
	p.UpdatedAt = fromMicros(updated)
	p.Validity, err = validityOf(from, to)
	return p, err
}
