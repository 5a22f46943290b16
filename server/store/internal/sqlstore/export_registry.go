package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/bludispatcher/dispatcher/server/store"
)

// invalid returns an ErrInvalid error naming the field and its value.
func (s *Store) invalid(op, field, value, why string) error {
	return s.wrap(op, fmt.Errorf("%w: %s %q %s", store.ErrInvalid, field, value, why))
}

// checkValidity rejects a missing start and an end before the start.
func (s *Store) checkValidity(op string, v store.Validity) error {
	if v.From.IsZero() {
		return s.invalid(op, "ValidFrom", "", "is required")
	}
	if !v.To.IsZero() && v.To.Before(v.From) {
		return s.invalid(op, "ValidTo", v.To.String(), "is before ValidFrom "+v.From.String())
	}
	return nil
}

// UpdateCompanyDetails replaces a company's registry fields; see
// store.RegistryStore.
func (s *Store) UpdateCompanyDetails(ctx context.Context, d store.CompanyDetails) error {
	const op = "update company details"
	if d.Name == "" {
		return s.invalid(op, "Name", d.Name, "is required")
	}
	if err := s.checkValidity(op, d.Validity); err != nil {
		return err
	}
	if d.UpdatedAt.IsZero() {
		d.UpdatedAt = s.now()
	}
	err := s.inTx(ctx, func(conn Conn) error {
		n, err := conn.Exec(ctx, s.q("UPDATE companies SET name = ?, vat = ? WHERE id = ?"), d.Name, d.VAT, int64(d.Company))
		if err != nil {
			return err
		}
		if n == 0 {
			return store.ErrNotFound
		}
		_, err = conn.Exec(ctx, s.q(`INSERT INTO registry_companies (company_id, billing_key, valid_from, valid_to, updated_at)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT (company_id) DO UPDATE SET billing_key = excluded.billing_key,
			valid_from = excluded.valid_from, valid_to = excluded.valid_to, updated_at = excluded.updated_at`),
			int64(d.Company), d.BillingKey, d.Validity.From.String(), dateText(d.Validity.To), micros(d.UpdatedAt))
		return err
	})
	return s.wrap(op, err)
}

// CompanyDetails returns a company's registry fields; see store.RegistryStore.
func (s *Store) CompanyDetails(ctx context.Context, company store.CompanyID) (store.CompanyDetails, error) {
	d := store.CompanyDetails{Company: company}
	var key, from, to sql.NullString
	var updated sql.NullInt64
	err := s.read.QueryRow(ctx, s.q(`SELECT c.name, c.vat, rc.billing_key, rc.valid_from, rc.valid_to, rc.updated_at
		FROM companies c LEFT JOIN registry_companies rc ON rc.company_id = c.id WHERE c.id = ?`), int64(company)).
		Scan(&d.Name, &d.VAT, &key, &from, &to, &updated)
	if err != nil {
		return d, s.notFound("company details", err)
	}
	d.BillingKey = key.String
	if d.Validity, err = validityOf(from.String, to.String); err != nil {
		return d, s.wrap("company details", err)
	}
	if updated.Valid {
		d.UpdatedAt = fromMicros(updated.Int64)
	}
	return d, nil
}

func validityOf(from, to string) (store.Validity, error) {
	var v store.Validity
	var err error
	if v.From, err = parseStoredDate(from); err != nil {
		return v, err
	}
	v.To, err = parseStoredDate(to)
	return v, err
}

// PutCustomer creates or replaces a customer; see store.RegistryStore.
func (s *Store) PutCustomer(ctx context.Context, c store.Customer) error {
	const op = "put customer"
	if c.Code == "" {
		return s.invalid(op, "Code", c.Code, "is required")
	}
	if c.Name == "" {
		return s.invalid(op, "Name", c.Name, "is required")
	}
	if err := s.checkValidity(op, c.Validity); err != nil {
		return err
	}
	if c.UpdatedAt.IsZero() {
		c.UpdatedAt = s.now()
	}
	err := s.inTx(ctx, func(conn Conn) error {
		if err := s.companyExists(ctx, conn, c.Company); err != nil {
			return err
		}
		_, err := conn.Exec(ctx, s.q(`INSERT INTO registry_customers (company_id, code, name, tax_code, vat,
			valid_from, valid_to, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (company_id, code) DO UPDATE SET name = excluded.name, tax_code = excluded.tax_code,
			vat = excluded.vat, valid_from = excluded.valid_from, valid_to = excluded.valid_to,
			updated_at = excluded.updated_at`),
			int64(c.Company), c.Code, c.Name, c.TaxCode, c.VAT, c.Validity.From.String(), dateText(c.Validity.To),
			micros(c.UpdatedAt))
		if err != nil {
			return err
		}
		_, err = conn.Exec(ctx, s.q(`UPDATE pod_registry SET customer_name = ?, customer_tax_code = ?, updated_at = ?
			WHERE company_id = ? AND customer_code = ?`),
			c.Name, customerTaxCode(c), micros(c.UpdatedAt), int64(c.Company), c.Code)
		return err
	})
	return s.wrap(op+" "+c.Code, err)
}

// customerTaxCode is the identifier kept in RegistryEntry.CustomerTaxCode:
// the codice fiscale, else the partita IVA.
func customerTaxCode(c store.Customer) string {
	if c.TaxCode != "" {
		return c.TaxCode
	}
	return c.VAT
}

func (s *Store) companyExists(ctx context.Context, conn Conn, company store.CompanyID) error {
	var n int
	if err := conn.QueryRow(ctx, s.q("SELECT COUNT(*) FROM companies WHERE id = ?"), int64(company)).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("company %d: %w", company, store.ErrNotFound)
	}
	return nil
}

// Customer returns one customer; see store.RegistryStore.
func (s *Store) Customer(ctx context.Context, company store.CompanyID, code string) (store.Customer, error) {
	c, err := s.customer(ctx, s.read, company, code)
	return c, s.notFound("customer "+code, err)
}

func (s *Store) customer(ctx context.Context, q Querier, company store.CompanyID, code string) (store.Customer, error) {
	c := store.Customer{Company: company, Code: code}
	var from, to string
	var updated int64
	err := q.QueryRow(ctx, s.q(`SELECT name, tax_code, vat, valid_from, valid_to, updated_at FROM registry_customers
		WHERE company_id = ? AND code = ?`), int64(company), code).
		Scan(&c.Name, &c.TaxCode, &c.VAT, &from, &to, &updated)
	if err != nil {
		return c, err
	}
	c.UpdatedAt = fromMicros(updated)
	c.Validity, err = validityOf(from, to)
	return c, err
}

// PutSite creates or replaces a site; see store.RegistryStore.
func (s *Store) PutSite(ctx context.Context, site store.Site) error {
	const op = "put site"
	if site.Code == "" {
		return s.invalid(op, "Code", site.Code, "is required")
	}
	if site.Customer == "" {
		return s.invalid(op, "Customer", site.Customer, "is required")
	}
	if err := s.checkValidity(op, site.Validity); err != nil {
		return err
	}
	if site.UpdatedAt.IsZero() {
		site.UpdatedAt = s.now()
	}
	err := s.inTx(ctx, func(conn Conn) error {
		cust, err := s.customer(ctx, conn, site.Company, site.Customer)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("customer %q: %w", site.Customer, store.ErrNotFound)
		}
		if err != nil {
			return err
		}
		_, err = conn.Exec(ctx, s.q(`INSERT INTO registry_sites (company_id, code, customer_code, name, address,
			municipality, province, municipality_code, valid_from, valid_to, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (company_id, code) DO UPDATE SET customer_code = excluded.customer_code,
			name = excluded.name, address = excluded.address, municipality = excluded.municipality,
			province = excluded.province, municipality_code = excluded.municipality_code,
			valid_from = excluded.valid_from, valid_to = excluded.valid_to, updated_at = excluded.updated_at`),
			int64(site.Company), site.Code, site.Customer, site.Name, site.Address, site.Municipality,
			site.Province, site.MunicipalityCode, site.Validity.From.String(), dateText(site.Validity.To),
			micros(site.UpdatedAt))
		if err != nil {
			return err
		}
		_, err = conn.Exec(ctx, s.q(`UPDATE pod_registry SET site_name = ?, customer_code = ?, customer_name = ?,
			customer_tax_code = ?, billing_customer_key = ?, updated_at = ? WHERE company_id = ? AND site_code = ?`),
			site.Name, cust.Code, cust.Name, customerTaxCode(cust), cust.Code, micros(site.UpdatedAt),
			int64(site.Company), site.Code)
		return err
	})
	return s.wrap(op+" "+site.Code, err)
}

// Site returns one site; see store.RegistryStore.
func (s *Store) Site(ctx context.Context, company store.CompanyID, code string) (store.Site, error) {
	site, err := s.site(ctx, s.read, company, code)
	return site, s.notFound("site "+code, err)
}

func (s *Store) site(ctx context.Context, q Querier, company store.CompanyID, code string) (store.Site, error) {
	site := store.Site{Company: company, Code: code}
	var from, to string
	var updated int64
	err := q.QueryRow(ctx, s.q(`SELECT customer_code, name, address, municipality, province, municipality_code,
		valid_from, valid_to, updated_at FROM registry_sites WHERE company_id = ? AND code = ?`), int64(company), code).
		Scan(&site.Customer, &site.Name, &site.Address, &site.Municipality, &site.Province, &site.MunicipalityCode,
			&from, &to, &updated)
	if err != nil {
		return site, err
	}
	site.UpdatedAt = fromMicros(updated)
	site.Validity, err = validityOf(from, to)
	return site, err
}
