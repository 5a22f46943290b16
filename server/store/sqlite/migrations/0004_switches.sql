-- Validated switch-ins and the operators' decisions on them. reasons and
-- data are JSON; instants are BIGINT microseconds since the Unix epoch
-- (UTC); switch_date is TEXT yyyy-mm-dd.

CREATE TABLE switches (
    id INTEGER PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies (id),
    practice_code TEXT NOT NULL,
    pod TEXT NOT NULL,
    switch_date TEXT NOT NULL,
    is_2g INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('incomplete', 'valid', 'to_review', 'invalid')),
    reasons TEXT NOT NULL,
    data TEXT NOT NULL,
    inputs TEXT NOT NULL,
    decision TEXT NOT NULL DEFAULT '',
    exported_inputs TEXT NOT NULL DEFAULT '',
    first_seen BIGINT NOT NULL,
    validated_at BIGINT NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL,
    UNIQUE (company_id, practice_code)
);
CREATE INDEX switches_company_status ON switches (company_id, status, first_seen);
CREATE INDEX switches_company_pod ON switches (company_id, pod);

CREATE TABLE switch_decisions (
    id INTEGER PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies (id),
    switch_id BIGINT NOT NULL REFERENCES switches (id),
    decision TEXT NOT NULL CHECK (decision IN ('accept', 'reject')),
    actor TEXT NOT NULL,
    reason TEXT NOT NULL,
    from_status TEXT NOT NULL,
    to_status TEXT NOT NULL,
    inputs TEXT NOT NULL,
    decided_at BIGINT NOT NULL
);
CREATE INDEX switch_decisions_switch ON switch_decisions (company_id, switch_id, id);
