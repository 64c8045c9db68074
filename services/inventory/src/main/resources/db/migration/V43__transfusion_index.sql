-- The FHIR facade's BiologicallyDerivedProductDispense search (ADR 0032): the ledger's transfusions, per location
-- (a hospital's or storage point's own) and for the station, in ledger order, without scanning every movement.
create index unit_movement_transfused on unit_movement (to_location_id, id) where type = 'TRANSFUSED';
create index unit_movement_transfused_all on unit_movement (id) where type = 'TRANSFUSED';
