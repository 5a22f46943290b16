-- Initial schema: companies and tokens, originals, load log, the metering
-- data of each load, claims and the POD registry skeleton. Instants are
-- BIGINT microseconds since the Unix epoch (UTC); civil dates are TEXT
-- yyyy-mm-dd; values read from files are TEXT exactly as read, NULL when
-- the element was absent.

CREATE TABLE companies (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    vat TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);

-- token_hash is the hex SHA-256 of the token; the token itself is never stored.
CREATE TABLE api_tokens (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies (id),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);

-- Originals are gzip-compressed and addressed by the SHA-256 of the
-- uncompressed bytes, once per company.
CREATE TABLE originals (
    company_id BIGINT NOT NULL REFERENCES companies (id),
    sha256 TEXT NOT NULL,
    size BIGINT NOT NULL,
    encoding TEXT NOT NULL,
    data BYTEA NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (company_id, sha256)
);

-- status 'loading' exists only inside the load's own transaction.
CREATE TABLE loads (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies (id),
    name TEXT NOT NULL,
    path TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    flow_code TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('loading', 'loaded', 'loaded_with_anomalies', 'rejected', 'duplicate')),
    duplicate_of BIGINT,
    seller_vat TEXT NOT NULL DEFAULT '',
    distributor_vat TEXT NOT NULL DEFAULT '',
    dispatching_contract TEXT NOT NULL DEFAULT '',
    started_at BIGINT NOT NULL,
    finished_at BIGINT NOT NULL DEFAULT 0,
    records_loaded INTEGER NOT NULL DEFAULT 0,
    records_rejected INTEGER NOT NULL DEFAULT 0,
    anomaly_count INTEGER NOT NULL DEFAULT 0,
    blocking_count INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX loads_company_started ON loads (company_id, started_at);
CREATE INDEX loads_company_sha ON loads (company_id, sha256);

CREATE TABLE load_anomalies (
    load_id BIGINT NOT NULL REFERENCES loads (id),
    seq INTEGER NOT NULL,
    company_id BIGINT NOT NULL,
    code TEXT NOT NULL,
    rule TEXT NOT NULL,
    blocking INTEGER NOT NULL,
    level TEXT NOT NULL,
    file TEXT NOT NULL,
    line INTEGER NOT NULL,
    record_key TEXT NOT NULL,
    field TEXT NOT NULL,
    value TEXT NOT NULL,
    message TEXT NOT NULL,
    PRIMARY KEY (load_id, seq)
);

-- One row per stored DatiPod; (load_id, seq) is its key everywhere else.
CREATE TABLE records (
    load_id BIGINT NOT NULL REFERENCES loads (id),
    seq INTEGER NOT NULL,
    company_id BIGINT NOT NULL,
    flow_code TEXT NOT NULL,
    family TEXT NOT NULL,
    pod TEXT NOT NULL,
    competence TEXT NOT NULL,
    date TEXT NOT NULL,
    month TEXT NOT NULL,
    month_year TEXT,
    measure_date TEXT,
    correction_type TEXT,
    detection_date TEXT,
    reason TEXT,
    service_date TEXT,
    practice_code TEXT,
    start_date TEXT,
    line INTEGER NOT NULL,
    extra TEXT,
    PRIMARY KEY (load_id, seq)
);
CREATE INDEX records_company_pod ON records (company_id, pod, competence);
CREATE INDEX records_company_month ON records (company_id, month);
CREATE INDEX records_company_date ON records (company_id, date);

-- Measures, consumptions and meter changes with their band registers.
CREATE TABLE readings (
    load_id BIGINT NOT NULL,
    record_seq INTEGER NOT NULL,
    kind TEXT NOT NULL,
    company_id BIGINT NOT NULL,
    pod TEXT NOT NULL,
    flow_code TEXT NOT NULL,
    date TEXT NOT NULL,
    xsi_type TEXT,
    period_start TEXT,
    collection TEXT,
    data_type TEXT,
    obstacle_cause TEXT,
    validated TEXT,
    pot_max TEXT,
    ea_f1 TEXT,
    ea_f2 TEXT,
    ea_f3 TEXT,
    ea_f4 TEXT,
    ea_f5 TEXT,
    ea_f6 TEXT,
    er_f1 TEXT,
    er_f2 TEXT,
    er_f3 TEXT,
    er_f4 TEXT,
    er_f5 TEXT,
    er_f6 TEXT,
    pot_f1 TEXT,
    pot_f2 TEXT,
    pot_f3 TEXT,
    pot_f4 TEXT,
    pot_f5 TEXT,
    pot_f6 TEXT,
    erc_f1 TEXT,
    erc_f2 TEXT,
    erc_f3 TEXT,
    erc_f4 TEXT,
    erc_f5 TEXT,
    erc_f6 TEXT,
    eri_f1 TEXT,
    eri_f2 TEXT,
    eri_f3 TEXT,
    eri_f4 TEXT,
    eri_f5 TEXT,
    eri_f6 TEXT,
    ea_m TEXT,
    er_m TEXT,
    pot_m TEXT,
    erc_m TEXT,
    eri_m TEXT,
    meter TEXT,
    PRIMARY KEY (load_id, record_seq, kind)
);
CREATE INDEX readings_company_pod ON readings (company_id, pod, date);

-- One row per curve element: slots packs E1..En as length-prefixed texts
-- with presence (see sqlstore/pack.go), s packs S1..S4.
CREATE TABLE curves (
    load_id BIGINT NOT NULL,
    record_seq INTEGER NOT NULL,
    idx INTEGER NOT NULL,
    company_id BIGINT NOT NULL,
    pod TEXT NOT NULL,
    flow_code TEXT NOT NULL,
    day TEXT NOT NULL,
    day_text TEXT,
    kind INTEGER NOT NULL,
    dst TEXT,
    slot_count INTEGER NOT NULL,
    slots BYTEA NOT NULL,
    s BYTEA,
    extra TEXT,
    PRIMARY KEY (load_id, record_seq, idx)
);
CREATE INDEX curves_company_pod ON curves (company_id, pod, day);

CREATE TABLE technical (
    load_id BIGINT NOT NULL,
    record_seq INTEGER NOT NULL,
    company_id BIGINT NOT NULL,
    pod TEXT NOT NULL,
    date TEXT NOT NULL,
    fields TEXT NOT NULL,
    PRIMARY KEY (load_id, record_seq)
);
CREATE INDEX technical_company_pod ON technical (company_id, pod);

CREATE TABLE switching (
    load_id BIGINT NOT NULL,
    record_seq INTEGER NOT NULL,
    company_id BIGINT NOT NULL,
    pod TEXT NOT NULL,
    kind TEXT NOT NULL,
    PRIMARY KEY (load_id, record_seq)
);
CREATE INDEX switching_company_pod ON switching (company_id, pod);

-- Corrections keep every version; the current one of a key is the one with
-- no later row of the same (company_id, pod, competence, correction_type).
CREATE TABLE corrections (
    load_id BIGINT NOT NULL,
    record_seq INTEGER NOT NULL,
    company_id BIGINT NOT NULL,
    pod TEXT NOT NULL,
    competence TEXT NOT NULL,
    correction_type TEXT NOT NULL,
    replaces_load BIGINT,
    replaces_seq INTEGER,
    PRIMARY KEY (load_id, record_seq)
);
CREATE INDEX corrections_key ON corrections (company_id, pod, competence, correction_type, load_id, record_seq);

CREATE VIEW corrections_current AS
SELECT c.* FROM corrections c
WHERE NOT EXISTS (
    SELECT 1 FROM corrections n
    WHERE n.company_id = c.company_id AND n.pod = c.pod
      AND n.competence = c.competence AND n.correction_type = c.correction_type
      AND (n.load_id > c.load_id OR (n.load_id = c.load_id AND n.record_seq > c.record_seq))
);

CREATE TABLE claims (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    company_id BIGINT NOT NULL,
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    owner TEXT NOT NULL,
    token BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    done_load BIGINT,
    UNIQUE (company_id, path, sha256)
);

CREATE TABLE pod_registry (
    company_id BIGINT NOT NULL REFERENCES companies (id),
    pod TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_to TEXT NOT NULL,
    site_code TEXT NOT NULL,
    site_name TEXT NOT NULL,
    customer_code TEXT NOT NULL,
    customer_name TEXT NOT NULL,
    customer_tax_code TEXT NOT NULL,
    billing_customer_key TEXT NOT NULL,
    billing_contract_key TEXT NOT NULL,
    billing_site_key TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (company_id, pod, valid_from)
);
CREATE INDEX pod_registry_site ON pod_registry (company_id, site_code);
