-- Storage points (储血点): station-owned stores hosted by county hospitals, their equipment and par levels.
create table storage_point (
    id               varchar(10)  primary key,
    name             varchar(100) not null,
    host_hospital_id varchar(10)  not null,
    created_at       timestamptz  not null default now()
);

-- Equipment of a point; its temperature range comes from configuration by kind. The last reading (by reading
-- time, not arrival) is kept here; the row is the lock that serialises the evaluation of one piece of equipment.
create table equipment (
    id               varchar(40) primary key,
    storage_point_id varchar(10) not null references storage_point (id),
    kind             varchar(20) not null check (kind in ('RBC_FRIDGE', 'PLT_AGITATOR', 'PLASMA_FREEZER')),
    last_reading_at  timestamptz,
    last_celsius     double precision,
    created_at       timestamptz not null default now()
);
create index equipment_point on equipment (storage_point_id);

-- Par levels in the component's unit of issue: below min, replenish up to target.
create table par_level (
    storage_point_id varchar(10) not null references storage_point (id),
    component        varchar(10) not null,
    abo              varchar(2)  not null,
    rhd              varchar(3)  not null,
    min_quantity     integer     not null check (min_quantity >= 0),
    target_quantity  integer     not null check (target_quantity > 0),
    primary key (storage_point_id, component, abo, rhd),
    check (target_quantity >= min_quantity)
);

-- Every reading once: the key makes a repeated (equipment, time) change nothing.
create table temperature_reading (
    equipment_id varchar(40)      not null references equipment (id),
    at           timestamptz      not null,
    celsius      double precision not null,
    received_at  timestamptz      not null default now(),
    primary key (equipment_id, at)
);

-- Excursions: at most one open per piece of equipment, closed when readings are back in range.
create table excursion (
    id               uuid             primary key,
    storage_point_id varchar(10)      not null references storage_point (id),
    equipment_id     varchar(40)      not null references equipment (id),
    reason           varchar(20)      not null check (reason in ('DURATION', 'HARD_LIMIT')),
    since            timestamptz      not null,
    detected_at      timestamptz      not null,
    min_celsius      double precision not null,
    max_celsius      double precision not null,
    ended_at         timestamptz
);
create unique index excursion_one_open on excursion (equipment_id) where ended_at is null;
create index excursion_point on excursion (storage_point_id, detected_at desc);

create table excursion_unit (
    excursion_id uuid        not null references excursion (id),
    din          char(14)    not null,
    component    varchar(10) not null,
    division     varchar(6)  not null default '',
    primary key (excursion_id, din, component, division)
);

-- Alerts of the equipment other than excursions: NO_DATA when no reading came for the configured gap.
create table equipment_alert (
    id               uuid        primary key,
    storage_point_id varchar(10) not null references storage_point (id),
    equipment_id     varchar(40) not null references equipment (id),
    kind             varchar(20) not null check (kind in ('NO_DATA')),
    since            timestamptz not null,
    raised_at        timestamptz not null,
    cleared_at       timestamptz
);
create unique index equipment_alert_one_open on equipment_alert (equipment_id, kind) where cleared_at is null;
create index equipment_alert_point on equipment_alert (storage_point_id, raised_at desc);

-- The units at the points, projected from the inventory's UnitMoved events (AVAILABLE or QUARANTINED there).
-- hold_excursion_id: quarantined here by an excursion before the inventory has confirmed it, until QA decides.
create table point_unit (
    id                bigserial   primary key,
    din               char(14)    not null,
    component         varchar(10) not null,
    division          varchar(6)  not null default '',
    storage_point_id  varchar(10) not null references storage_point (id),
    equipment_id      varchar(40) references equipment (id),
    abo               varchar(2)  not null,
    rhd               varchar(3)  not null,
    quantity          integer     not null,
    uom               varchar(4)  not null,
    expires_at        timestamptz,
    status            varchar(12) not null check (status in ('AVAILABLE', 'QUARANTINED')),
    hold_excursion_id uuid,
    arrived_at        timestamptz not null,
    updated_at        timestamptz not null,
    unique (din, component, division)
);
create index point_unit_point on point_unit (storage_point_id, component, abo, rhd);
create index point_unit_equipment on point_unit (equipment_id);
create index point_unit_expiry on point_unit (expires_at);

-- Issues to patients at a point (patient_ref is the hospital's reference, never an ID number).
create table issue (
    id               uuid        primary key,
    storage_point_id varchar(10) not null references storage_point (id),
    din              char(14)    not null,
    component        varchar(10) not null,
    division         varchar(6)  not null default '',
    abo              varchar(2)  not null,
    rhd              varchar(3)  not null,
    patient_ref      varchar(64) not null,
    patient_abo      varchar(2)  not null,
    patient_rhd      varchar(3)  not null,
    actor            varchar(100) not null,
    issued_at        timestamptz not null,
    unique (din, component, division)
);
create index issue_point on issue (storage_point_id, issued_at desc);

-- Station QA decisions on quarantined units.
create table quarantine_decision (
    id               uuid        primary key,
    storage_point_id varchar(10) not null references storage_point (id),
    decision         varchar(10) not null check (decision in ('RELEASE', 'DISCARD')),
    actor            varchar(100) not null,
    decided_at       timestamptz not null
);
create table quarantine_decision_unit (
    decision_id uuid        not null references quarantine_decision (id),
    din         char(14)    not null,
    component   varchar(10) not null,
    primary key (decision_id, din, component)
);

-- Transfers the station requested.
create table transfer (
    id               uuid        primary key,
    from_location_id varchar(10) not null,
    to_location_id   varchar(10) not null,
    equipment_id     varchar(40),
    actor            varchar(100) not null,
    requested_at     timestamptz not null
);
create table transfer_unit (
    transfer_id uuid        not null references transfer (id),
    din         char(14)    not null,
    component   varchar(10) not null,
    primary key (transfer_id, din, component)
);

-- Replenishment below par: one open line per point and stock key, never two (the partial unique index).
create table replenishment_line (
    request_id       uuid        not null,
    storage_point_id varchar(10) not null references storage_point (id),
    component        varchar(10) not null,
    abo              varchar(2)  not null,
    rhd              varchar(3)  not null,
    stock_quantity   integer     not null,
    quantity         integer     not null check (quantity > 0),
    requested_at     timestamptz not null,
    closed_at        timestamptz,
    close_reason     varchar(20),
    primary key (request_id, component, abo, rhd)
);
create unique index replenishment_one_open on replenishment_line (storage_point_id, component, abo, rhd)
    where closed_at is null;
create index replenishment_point on replenishment_line (storage_point_id, requested_at desc);

-- Transfusions per day, location and stock key anywhere in the region (from UnitMoved TRANSFUSED), for rotation.
create table daily_transfusion (
    location_id varchar(10) not null,
    component   varchar(10) not null,
    abo         varchar(2)  not null,
    rhd         varchar(3)  not null,
    day         date        not null,
    quantity    integer     not null check (quantity >= 0),
    primary key (location_id, component, abo, rhd, day)
);
create index daily_transfusion_key on daily_transfusion (component, abo, rhd, day);
