-- Finds a supply point by the first 14 characters of its code, the POD
-- without its optional 15th character, so that a 14-character POD from
-- the SII finds a point billing stored with 15. Queries must repeat the
-- expression exactly for the database to search this index.

CREATE INDEX registry_supply_points_pod_key ON registry_supply_points (company_id, substr(code, 1, 14));
