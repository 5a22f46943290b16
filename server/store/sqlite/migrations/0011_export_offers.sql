-- The offer of an export item: its position in the pending list. NULL
-- means the item's sequence; a re-export sets a new offer. The table is
-- rebuilt with AUTOINCREMENT so that sqlite_sequence holds the last
-- sequence given: a re-export takes its offer from that counter, and every
-- later item gets a sequence above it.
CREATE TABLE export_items_new (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
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
    offer BIGINT,
    UNIQUE (company_id, load_id, record_seq, kind)
);
INSERT INTO export_items_new (seq, company_id, kind, load_id, record_seq, pod, flow_code, created_at, taken_at,
    taken_by, exports)
SELECT seq, company_id, kind, load_id, record_seq, pod, flow_code, created_at, taken_at, taken_by, exports
FROM export_items;
DROP TABLE export_items;
ALTER TABLE export_items_new RENAME TO export_items;
CREATE INDEX export_items_pending ON export_items (company_id, taken_at, (COALESCE(offer, seq)));
