-- Technical data of the supply points that billing pushes: the treatment
-- (Trattamento M, F, O or C), the contracted and available power in kW as
-- decimal text, the voltage in volts and the meter type (1G or 2G). An
-- empty text means billing did not send the value.

ALTER TABLE registry_supply_points ADD COLUMN treatment TEXT NOT NULL DEFAULT '';
ALTER TABLE registry_supply_points ADD COLUMN contracted_power TEXT NOT NULL DEFAULT '';
ALTER TABLE registry_supply_points ADD COLUMN available_power TEXT NOT NULL DEFAULT '';
ALTER TABLE registry_supply_points ADD COLUMN voltage TEXT NOT NULL DEFAULT '';
ALTER TABLE registry_supply_points ADD COLUMN meter_type TEXT NOT NULL DEFAULT '';
