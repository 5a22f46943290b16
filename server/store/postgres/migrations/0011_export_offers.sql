-- The offer of an export item: its position in the pending list. NULL
-- means the item's sequence; a re-export sets a new offer, taken from the
-- identity sequence of seq so that every later item gets a sequence above
-- it.
ALTER TABLE export_items ADD COLUMN offer BIGINT;
DROP INDEX export_items_pending;
CREATE INDEX export_items_pending ON export_items (company_id, taken_at, (COALESCE(offer, seq)));
