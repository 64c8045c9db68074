-- Issues per day and stock key, kept by the ledger in the same transaction as the movement: transfusions where
-- they happen, dispatches from the location that sent them. Days of supply divide usable stock by their rolling
-- average, so nothing is recomputed by scanning movements.
create table daily_issue (
    location_id varchar(10) not null,
    component   varchar(10) not null,
    abo         varchar(2)  not null,
    rhd         varchar(3)  not null,
    day         date        not null,
    quantity    integer     not null check (quantity >= 0),
    primary key (location_id, component, abo, rhd, day)
);
create index daily_issue_day on daily_issue (day);
