-- The region's real storage point (not test data): 县人民医院储血点, hosted by H003, with its three pieces of equipment.
insert into storage_point (id, name, host_hospital_id) values ('SP01', '县人民医院储血点', 'H003');
insert into equipment (id, storage_point_id, kind) values
    ('SP01-F1', 'SP01', 'RBC_FRIDGE'),
    ('SP01-P1', 'SP01', 'PLT_AGITATOR'),
    ('SP01-Z1', 'SP01', 'PLASMA_FREEZER');
