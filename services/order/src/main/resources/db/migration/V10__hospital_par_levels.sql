-- Hospital par levels (api.md, "Hospital stock: par levels and suggested orders"), as storage points have.
create table par_level (
    location_id     varchar(10) not null references location (id),
    component       varchar(10) not null,
    abo             varchar(2)  not null,
    rhd             varchar(3)  not null,
    min_quantity    integer     not null check (min_quantity >= 0),
    target_quantity integer     not null check (target_quantity >= min_quantity),
    primary key (location_id, component, abo, rhd)
);

-- Per location: whether a key below min places a ROUTINE order by itself, and who set the levels.
create table par_setting (
    location_id varchar(10)  primary key references location (id),
    auto_order  boolean      not null,
    updated_at  timestamptz  not null,
    updated_by  varchar(100) not null
);

-- What each location has on hand, as the inventory's stock levels say (topic inventory.stock-levels): the latest
-- level per key, applied only when newer than the one kept, so a redelivered or reordered event changes nothing.
create table location_stock (
    location_id varchar(10) not null,
    component   varchar(10) not null,
    abo         varchar(2)  not null,
    rhd         varchar(3)  not null,
    quantity    integer     not null,
    as_of       timestamptz not null,
    primary key (location_id, component, abo, rhd)
);
