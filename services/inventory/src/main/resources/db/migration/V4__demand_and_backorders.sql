-- Every order line the inventory has been asked to fill, as long as it is open: the queue that backorders are
-- topped up from (EMERGENCY first; under a shortage ROUTINE lines are cut and shared by need) and the open demand
-- of the balance board. A line closes when its order is dispatched or cancelled.
create table demand_line (
    order_id           varchar(40)  not null,
    line_no            integer      not null,
    location_id        varchar(10)  not null,
    priority           varchar(10)  not null,
    component          varchar(10)  not null,
    abo                varchar(2)   not null,
    rhd                varchar(3)   not null,
    quantity           integer      not null check (quantity > 0),
    allocated          integer      not null default 0 check (allocated >= 0),
    allow_substitution boolean      not null,
    due_by             timestamptz,
    submitted_at       timestamptz  not null,
    closed_at          timestamptz,
    primary key (order_id, line_no)
);
-- the open queue of one stock key, in the order lines are served
create index demand_line_open on demand_line (component, abo, rhd, submitted_at) where closed_at is null;

-- The bag a reservation belongs to, by order line (the full picture of an order is rebuilt from its bags).
alter table unit add column order_line integer;
create index unit_order on unit (order_id) where order_id is not null;
create index unit_in_transit on unit (component, abo, rhd) where status = 'IN_TRANSIT';

-- Each location's latest per-day demand forecast (replaced as a whole by every DemandForecastUpdated).
create table demand_forecast (
    location_id varchar(10) not null,
    day         date        not null,
    component   varchar(10) not null,
    abo         varchar(2)  not null,
    rhd         varchar(3)  not null,
    quantity    integer     not null check (quantity >= 0),
    primary key (location_id, day, component, abo, rhd)
);
create index demand_forecast_day on demand_forecast (day);
-- when each location's forecast was made: an older forecast arriving late does not replace a newer one
create table demand_forecast_made (
    location_id varchar(10) primary key,
    made_at     timestamptz not null
);
