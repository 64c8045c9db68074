-- First-expiry-first-out for a line that asks for irradiated, CMV-negative or low-titre bags reads these partial
-- indexes (the allocator writes the attribute into its query), so it stops after a few entries however rare such
-- bags are among a key's stock, instead of reading the key's whole FEFO index and filtering.
create index unit_available_irradiated on unit (location_id, component, abo, rhd, expires_at)
    where status = 'AVAILABLE' and irradiated;
create index unit_available_cmv_negative on unit (location_id, component, abo, rhd, expires_at)
    where status = 'AVAILABLE' and cmv_negative;
create index unit_available_low_titre on unit (location_id, component, abo, rhd, expires_at)
    where status = 'AVAILABLE' and low_titre;
