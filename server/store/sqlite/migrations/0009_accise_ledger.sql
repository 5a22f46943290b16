-- The excise ledger of each company: dated movements per tax account, in
-- batches (one per request, with the SHA-256 of its body, so the same
-- body posted twice is caught), refund claims with their status history,
-- and the bank-transfer settings of the regional taxes. Amounts are TEXT
-- decimals with a dot, exact as given; dates TEXT yyyy-mm-dd, periods
-- TEXT yyyy-mm or empty for yearly amounts. Instants are BIGINT microseconds since the Unix epoch (UTC).

CREATE TABLE accise_movement_batches (
    id INTEGER PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies (id),
    sha256 TEXT NOT NULL,
    movements INTEGER NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX accise_movement_batches_sha ON accise_movement_batches (company_id, sha256);

CREATE TABLE accise_movements (
    id INTEGER PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies (id),
    batch_id BIGINT NOT NULL REFERENCES accise_movement_batches (id),
    excise_code TEXT NOT NULL,
    tax TEXT NOT NULL,
    area TEXT NOT NULL,
    move_date TEXT NOT NULL,
    period TEXT NOT NULL,
    kind TEXT NOT NULL,
    amount TEXT NOT NULL,
    source_kind TEXT NOT NULL,
    source_ref TEXT NOT NULL,
    note TEXT NOT NULL
);
CREATE INDEX accise_movements_company ON accise_movements (company_id, id);

CREATE TABLE accise_refund_claims (
    id INTEGER PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies (id),
    claim_id TEXT NOT NULL,
    status TEXT NOT NULL,
    claim_json TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (company_id, claim_id)
);

CREATE TABLE accise_transfer_settings (
    company_id BIGINT PRIMARY KEY REFERENCES companies (id),
    config_json TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
