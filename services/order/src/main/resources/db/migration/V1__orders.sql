-- The order service's own tables (shared outbox/inbox/idempotency tables come from db/common).

-- Locations registry: the station, hospitals and storage points (a point is hosted by a hospital).
create table location (
    id               varchar(10)  primary key,
    name             varchar(200) not null,
    kind             varchar(16)  not null check (kind in ('STATION', 'HOSPITAL', 'STORAGE_POINT')),
    host_hospital_id varchar(10)  references location (id),
    created_at       timestamptz  not null default now(),
    updated_at       timestamptz  not null default now(),
    check ((kind = 'STORAGE_POINT') = (host_hospital_id is not null))
);
insert into location (id, name, kind) values ('STATION', '市中心血站', 'STATION');

-- Orders: seq orders the lists (cursor), id is the public id (and the Kafka key of its events).
create table blood_order (
    seq                bigserial    primary key,
    id                 varchar(40)  not null unique,
    location_id        varchar(10)  not null references location (id),
    priority           varchar(10)  not null,
    status             varchar(20)  not null,
    created_at         timestamptz  not null,
    needed_by          timestamptz,
    due_by             timestamptz  not null,
    allow_substitution boolean      not null,
    notes              varchar(1000),
    standing_order_id  varchar(40),
    breached_at        timestamptz,
    allocation_at      timestamptz,
    created_by         varchar(100) not null,
    version            bigint       not null default 0
);
create index blood_order_location on blood_order (location_id, seq);
create index blood_order_status on blood_order (status, seq);
-- the service-level check looks only at open, not yet breached orders by due time
create index blood_order_due on blood_order (due_by)
    where breached_at is null and status in ('SUBMITTED', 'ALLOCATED', 'PARTIALLY_ALLOCATED', 'BACKORDERED');

create table order_line (
    id                 bigserial   primary key,
    order_seq          bigint      not null references blood_order (seq),
    line_no            integer     not null,
    component          varchar(10) not null,
    abo                varchar(2)  not null,
    rhd                varchar(3)  not null,
    quantity           integer     not null check (quantity > 0),
    irradiated         boolean     not null,
    cmv_negative       boolean     not null,
    allocated_quantity integer     not null default 0,
    unique (order_seq, line_no)
);

-- The bags allocated to a line (the inventory's latest AllocationMade), and their receipt.
create table order_line_unit (
    id            bigserial   primary key,
    line_id       bigint      not null references order_line (id),
    din           char(14)    not null,
    component     varchar(10) not null,
    division      varchar(6),
    abo           varchar(2)  not null,
    rhd           varchar(3)  not null,
    quantity      integer     not null,
    expires_at    timestamptz,
    accepted      boolean,
    reject_reason varchar(500)
);
create index order_line_unit_line on order_line_unit (line_id);

-- Every status change of an order, with who and when.
create table order_history (
    id        bigserial    primary key,
    order_seq bigint       not null references blood_order (seq),
    status    varchar(20)  not null,
    at        timestamptz  not null,
    actor     varchar(100) not null,
    detail    varchar(500)
);
create index order_history_order on order_history (order_seq, id);

-- Issue notes (出库单): one per dispatched order, numbered per day.
create sequence issue_note_no;
create table issue_note (
    no          varchar(30)  primary key,
    order_id    varchar(40)  not null unique references blood_order (id),
    location_id varchar(10)  not null,
    issued_at   timestamptz  not null,
    issued_by   varchar(100) not null
);

-- Returns (退血): the evidence, and the inventory's decision once it arrives.
create table unit_return (
    id                    varchar(40)  primary key,
    location_id           varchar(10)  not null,
    din                   char(14)     not null,
    component             varchar(10)  not null,
    seal_intact           boolean      not null,
    segment_attached      boolean      not null,
    minutes_out_of_storage integer     not null,
    reason                varchar(500) not null,
    requested_by          varchar(100) not null,
    requested_at          timestamptz  not null,
    decision              varchar(20),
    decision_reason       varchar(500),
    decided_at            timestamptz
);

-- Standing orders and the occurrences placed from them: the primary key makes each occurrence happen once.
create table standing_order (
    id                 varchar(40)  primary key,
    location_id        varchar(10)  not null references location (id),
    days_of_week       varchar(80)  not null,
    time_of_day        time         not null,
    priority           varchar(10)  not null,
    allow_substitution boolean      not null,
    lines              text         not null,
    notes              varchar(1000),
    created_by         varchar(100) not null,
    created_at         timestamptz  not null,
    deleted_at         timestamptz
);
create index standing_order_location on standing_order (location_id);

create table standing_order_occurrence (
    standing_order_id varchar(40) not null references standing_order (id),
    occurrence_date   date        not null,
    order_id          varchar(40) not null,
    placed_at         timestamptz not null default now(),
    primary key (standing_order_id, occurrence_date)
);

-- Per-day demand forecast per location, component and group.
create table demand_forecast (
    location_id varchar(10)  not null references location (id),
    day         date         not null,
    component   varchar(10)  not null,
    abo         varchar(2)   not null,
    rhd         varchar(3)   not null,
    quantity    integer      not null check (quantity >= 0),
    updated_by  varchar(100) not null,
    updated_at  timestamptz  not null,
    primary key (location_id, day, component, abo, rhd)
);
