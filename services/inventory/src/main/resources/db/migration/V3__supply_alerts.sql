-- The region's level per component and group, one row per day it was evaluated (the persistence rule reads it),
-- and the supply alerts declared from it.
create table level_day (
    scope      varchar(10) not null,
    component  varchar(10) not null,
    abo        varchar(2)  not null,
    rhd        varchar(3)  not null,
    day        date        not null,
    level      varchar(6),
    days_of_supply double precision,
    primary key (scope, component, abo, rhd, day)
);

create table supply_alert (
    id             uuid primary key,
    scope          varchar(10) not null,
    component      varchar(10) not null,
    abo            varchar(2)  not null,
    rhd            varchar(3)  not null,
    level          varchar(6)  not null,
    days_of_supply double precision,
    since          timestamptz not null,
    cleared_at     timestamptz
);
-- at most one open alert per scope and key
create unique index supply_alert_open on supply_alert (scope, component, abo, rhd) where cleared_at is null;
