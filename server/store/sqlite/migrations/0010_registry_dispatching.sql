-- Dispatching data of the supply points that billing pushes: the VAT
-- number of the dispatching user (utente del dispacciamento, PIVA_UDD in
-- the SII registry extract), the VAT number of the commercial
-- counterparty (controparte commerciale, PIVA_CC) and the Terna
-- dispatching contract (CodContrDisp, such as DP0001). An empty text
-- means billing did not send the value.

ALTER TABLE registry_supply_points ADD COLUMN udd_vat TEXT NOT NULL DEFAULT '';
ALTER TABLE registry_supply_points ADD COLUMN counterparty_vat TEXT NOT NULL DEFAULT '';
ALTER TABLE registry_supply_points ADD COLUMN dispatching_contract TEXT NOT NULL DEFAULT '';
