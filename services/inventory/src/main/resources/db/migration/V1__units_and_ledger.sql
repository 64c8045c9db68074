-- Every bag (a unit: DIN + component + division) and where it is.
create table unit (
    id            bigserial primary key,
    din           char(14)     not null,
    component     varchar(10)  not null,
    division      varchar(6)   not null default '',
    abo           varchar(2)   not null,
    rhd           varchar(3)   not null,
    volume_ml     integer      not null check (volume_ml > 0),
    quantity      integer      not null check (quantity > 0),
    uom           varchar(4)   not null,
    collected_at  timestamptz  not null,
    expires_at    timestamptz  not null,
    status        varchar(12)  not null,
    location_id   varchar(10)  not null,
    equipment_id  varchar(20),
    order_id      varchar(40),
    version       bigint       not null default 0,
    created_at    timestamptz  not null default now(),
    constraint unit_identity unique (din, component, division)
);
-- FEFO among available bags of one stock key, and the expiry sweep / expiring-soon counts
create index unit_available_fefo on unit (location_id, component, abo, rhd, expires_at) where status = 'AVAILABLE';
create index unit_location on unit (location_id, status);

-- The stock ledger: a unit changes only through these movements.
create table unit_movement (
    id               bigserial primary key,
    unit_id          bigint       not null references unit (id),
    type             varchar(24)  not null,
    from_location_id varchar(10),
    to_location_id   varchar(10),
    status_after     varchar(12)  not null,
    order_id         varchar(40),
    reason           varchar(500),
    patient_ref      varchar(100),
    actor            varchar(100) not null,
    occurred_at      timestamptz  not null,
    recorded_at      timestamptz  not null default now()
);
create index unit_movement_unit on unit_movement (unit_id, id);

-- Stock levels derived from the ledger in the same transaction: available bags and quantity per
-- location x component x ABO x RhD. The row is also the lock that serialises changes of one stock key.
create table stock_level (
    location_id varchar(10) not null,
    component   varchar(10) not null,
    abo         varchar(2)  not null,
    rhd         varchar(3)  not null,
    bags        integer     not null check (bags >= 0),
    quantity    integer     not null check (quantity >= 0),
    updated_at  timestamptz not null default now(),
    primary key (location_id, component, abo, rhd)
);
