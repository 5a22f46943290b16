-- Requests to distributors (prestazioni), their state changes and the
-- outcomes read for them. Instants are BIGINT microseconds since the Unix
-- epoch (UTC); deadline 0 means none.

CREATE TABLE distributor_requests (
    id INTEGER PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies (id),
    case_number TEXT NOT NULL,
    profile TEXT NOT NULL,
    service TEXT NOT NULL,
    pod TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL,
    distributor_case TEXT NOT NULL DEFAULT '',
    deadline BIGINT NOT NULL DEFAULT 0,
    file_folder TEXT NOT NULL DEFAULT '',
    file_name TEXT NOT NULL,
    file_inner TEXT NOT NULL DEFAULT '',
    file_seq BIGINT NOT NULL,
    request_json TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (company_id, case_number)
);
CREATE INDEX distributor_requests_due ON distributor_requests (state, deadline);

-- The progressive number of each company's uploads to a profile.
CREATE TABLE distributor_sequences (
    company_id BIGINT NOT NULL REFERENCES companies (id),
    profile TEXT NOT NULL,
    last_seq BIGINT NOT NULL,
    PRIMARY KEY (company_id, profile)
);

-- File names already uploaded: portals reject a name received before.
CREATE TABLE distributor_file_names (
    company_id BIGINT NOT NULL REFERENCES companies (id),
    profile TEXT NOT NULL,
    name TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (company_id, profile, name)
);

-- One row per state change; the rows of a request in seq order are its
-- history. A row is pending for billing while taken_at is NULL.
CREATE TABLE request_updates (
    seq INTEGER PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies (id),
    request_id BIGINT NOT NULL REFERENCES distributor_requests (id),
    distributor_case TEXT NOT NULL DEFAULT '',
    from_state TEXT NOT NULL,
    to_state TEXT NOT NULL,
    event TEXT NOT NULL,
    at BIGINT NOT NULL,
    file TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    load_id BIGINT,
    taken_at BIGINT,
    taken_by TEXT NOT NULL DEFAULT ''
);
CREATE INDEX request_updates_pending ON request_updates (company_id, taken_at, seq);
CREATE INDEX request_updates_request ON request_updates (request_id, seq);

-- Every outcome read from a file. request_id is NULL for an outcome that
-- matched no request; code and message then say why.
CREATE TABLE request_outcomes (
    id INTEGER PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies (id),
    load_id BIGINT NOT NULL REFERENCES loads (id),
    request_id BIGINT REFERENCES distributor_requests (id),
    case_number TEXT NOT NULL,
    matched INTEGER NOT NULL,
    code TEXT NOT NULL DEFAULT '',
    message TEXT NOT NULL DEFAULT '',
    outcome_json TEXT NOT NULL,
    read_at BIGINT NOT NULL
);
CREATE INDEX request_outcomes_company ON request_outcomes (company_id, matched, id);
