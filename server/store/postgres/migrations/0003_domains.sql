-- Data of the SII, GME and PRA files: RCU registry extract points per
-- extract month, GME market prices per market, day, period and zone, and
-- PRA values per area and period. Every row keeps the load it came from;
-- (load_id, seq) is its key, as for the metering records. Civil dates are
-- TEXT yyyy-mm-dd, months TEXT yyyy-mm, instants BIGINT microseconds since
-- the Unix epoch (UTC), and numbers TEXT as exact decimals.

-- raw is a JSON object of every column of the extract line, by header
-- name, exactly as read; the typed columns are derived from it.
CREATE TABLE rcu_points (
    load_id BIGINT NOT NULL REFERENCES loads (id),
    seq INTEGER NOT NULL,
    company_id BIGINT NOT NULL,
    month TEXT NOT NULL,
    line INTEGER NOT NULL,
    pod TEXT NOT NULL,
    pod_key TEXT NOT NULL,
    distributor_vat TEXT NOT NULL,
    distributor_name TEXT NOT NULL,
    udd_vat TEXT NOT NULL,
    counterparty_vat TEXT NOT NULL,
    supply_start TEXT NOT NULL,
    supply_end TEXT NOT NULL,
    treatment TEXT NOT NULL,
    voltage TEXT NOT NULL,
    meter_type TEXT NOT NULL,
    committed_power TEXT NOT NULL,
    annual_consumption TEXT NOT NULL,
    raw TEXT NOT NULL,
    PRIMARY KEY (load_id, seq)
);
CREATE INDEX rcu_points_company_month ON rcu_points (company_id, month, load_id);
CREATE INDEX rcu_points_company_pod ON rcu_points (company_id, pod_key);

-- One row per value of a GME row: zone is the element name (PUN, NAT,
-- NORD …); text is exactly as read and value is empty unless text is a
-- valid decimal-comma number.
CREATE TABLE gme_prices (
    load_id BIGINT NOT NULL REFERENCES loads (id),
    seq INTEGER NOT NULL,
    field_seq INTEGER NOT NULL,
    company_id BIGINT NOT NULL,
    market TEXT NOT NULL,
    kind TEXT NOT NULL,
    day TEXT NOT NULL,
    period INTEGER NOT NULL,
    start_at BIGINT NOT NULL,
    end_at BIGINT NOT NULL,
    zone TEXT NOT NULL,
    text TEXT NOT NULL,
    value TEXT NOT NULL,
    line INTEGER NOT NULL,
    PRIMARY KEY (load_id, seq, field_seq)
);
CREATE INDEX gme_prices_company_day ON gme_prices (company_id, day, market);

CREATE TABLE pra_values (
    load_id BIGINT NOT NULL REFERENCES loads (id),
    seq INTEGER NOT NULL,
    company_id BIGINT NOT NULL,
    line INTEGER NOT NULL,
    area TEXT NOT NULL,
    distributor_vat TEXT NOT NULL,
    day TEXT NOT NULL,
    resolution TEXT NOT NULL,
    period INTEGER NOT NULL,
    start_at BIGINT NOT NULL,
    end_at BIGINT NOT NULL,
    energy_kwh TEXT NOT NULL,
    energy_text TEXT NOT NULL,
    PRIMARY KEY (load_id, seq)
);
CREATE INDEX pra_values_company_day ON pra_values (company_id, day, area);
