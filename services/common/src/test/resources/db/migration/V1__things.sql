create table thing (
    id          uuid primary key,
    location_id varchar(20) not null,
    name        varchar(100) not null,
    kind        varchar(20) not null
);
create table thing_effect (
    seq       bigserial primary key,
    event_id  varchar(100) not null,
    thing_key varchar(100) not null,
    position  integer not null
);
