-- ISTAT code of the municipality of a site (codice ISTAT del comune), six
-- digits, which billing may push with the municipality's name and
-- province. Relief lists match a site on it before its name. An empty
-- text means billing did not send the code.

ALTER TABLE registry_sites ADD COLUMN municipality_code TEXT NOT NULL DEFAULT '';
