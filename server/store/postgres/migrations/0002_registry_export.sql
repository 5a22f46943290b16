-- Registry pushed by the billing system and the billing export queue.
-- Dates are TEXT yyyy-mm-dd ('' for an open end); instants are BIGINT
-- microseconds since the Unix epoch (UTC).

CREATE TABLE registry_companies (
    company_id BIGINT PRIMARY KEY REFERENCES companies (id),
    billing_key TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_to TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE registry_customers (
    company_id BIGINT NOT NULL REFERENCES companies (id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    tax_code TEXT NOT NULL,
    vat TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_to TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (company_id, code)
);

CREATE TABLE registry_sites (
    company_id BIGINT NOT NULL REFERENCES companies (id),
    code TEXT NOT NULL,
    customer_code TEXT NOT NULL,
    name TEXT NOT NULL,
    address TEXT NOT NULL,
    municipality TEXT NOT NULL,
    province TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_to TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (company_id, code)
);
CREATE INDEX registry_sites_customer ON registry_sites (company_id, customer_code);

CREATE TABLE registry_supply_points (
    company_id BIGINT NOT NULL REFERENCES companies (id),
    code TEXT NOT NULL,
    commodity TEXT NOT NULL CHECK (commodity IN ('electricity', 'gas')),
    site_code TEXT NOT NULL,
    distributor_vat TEXT NOT NULL,
    distributor_name TEXT NOT NULL,
    billing_contract_key TEXT NOT NULL,
    billing_supply_key TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_to TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (company_id, code)
);
CREATE INDEX registry_supply_points_site ON registry_supply_points (company_id, site_code);

-- One row per exported entity; seq is the stable export order. A row is
-- pending while taken_at is NULL.
CREATE TABLE export_items (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies (id),
    kind TEXT NOT NULL,
    load_id BIGINT NOT NULL,
    record_seq INTEGER NOT NULL,
    pod TEXT NOT NULL,
    flow_code TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    taken_at BIGINT,
    taken_by TEXT NOT NULL DEFAULT '',
    exports INTEGER NOT NULL DEFAULT 0,
    UNIQUE (company_id, load_id, record_seq, kind)
);
CREATE INDEX export_items_pending ON export_items (company_id, taken_at, seq);

-- The loads whose records are already in export_items.
CREATE TABLE export_loads (
    company_id BIGINT NOT NULL REFERENCES companies (id),
    load_id BIGINT NOT NULL,
    fed_at BIGINT NOT NULL,
    PRIMARY KEY (company_id, load_id)
);

CREATE TABLE export_log (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies (id),
    item_seq BIGINT NOT NULL,
    kind TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('acknowledge', 'reexport')),
    at BIGINT NOT NULL,
    caller TEXT NOT NULL
);
CREATE INDEX export_log_company ON export_log (company_id, id);
