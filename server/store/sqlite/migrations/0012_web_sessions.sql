-- Sessions of the web pages, kept so that a restart does not log every
-- browser out. id_hash is the hex SHA-256 of the session cookie value and
-- token_hash the hex SHA-256 of the API token the browser logged in with:
-- neither secret is stored. Instants are microseconds since the Unix epoch.
CREATE TABLE web_sessions (
    id_hash TEXT PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies (id),
    token_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX web_sessions_expires ON web_sessions (expires_at);
