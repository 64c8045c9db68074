-- The special attributes of a unit at a point, from the inventory's UnitMoved events, so that an issue to a patient
-- checks the patient's requirements and the compatibility table's low-titre rule.
alter table point_unit
    add column irradiated       boolean not null default false,
    add column cmv_negative     boolean not null default false,
    add column low_titre        boolean not null default false,
    add column antigen_negative text[]  not null default '{}';
