-- Recalls (lookback): station QA recalls a donation; every unit of it is listed with who held it and what it was,
-- the active ones quarantined through the ledger; each holder acknowledges its own units.
create table recall (
    id          uuid         primary key,
    seq         bigserial    not null unique,
    din         char(14)     not null,
    reason      varchar(500) not null,
    created_by  varchar(200) not null,
    created_at  timestamptz  not null
);
create index recall_din on recall (din);

create table recall_unit (
    recall_id       uuid         not null references recall (id),
    unit_id         bigint       not null references unit (id),
    location_id     varchar(10)  not null,
    status_before   varchar(20)  not null,
    acknowledged_at timestamptz,
    acknowledged_by varchar(200),
    primary key (recall_id, unit_id)
);
-- a holder's recalls: the ones naming units it held
create index recall_unit_location on recall_unit (location_id, recall_id);
