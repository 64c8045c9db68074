-- Webhook subscriptions: a location's (a hospital's, or STATION's, which receives every location's events of its
-- kinds) URL, the event kinds it asked for, and its signing secret sealed with AES-256-GCM (the key is in
-- configuration, never here). next_delivery_seq numbers its deliveries, so they are sent in order.
create table subscription (
    id                uuid          primary key,
    seq               bigserial     not null unique,
    location_id       varchar(40)   not null,
    url               varchar(2000) not null,
    events            text[]        not null,
    secret_sealed     text          not null,
    created_at        timestamptz   not null,
    created_by        varchar(200)  not null,
    next_delivery_seq bigint        not null default 0
);
create index subscription_location on subscription (location_id, seq);

-- One event for one subscription: the CloudEvent as it is sent (the same bytes on every attempt), where it stands
-- and what the last attempt answered. PENDING ones are sent in seq order per subscription (head of line); a claim
-- (lease_until, lease_token) keeps another instance from sending the same one at once. DELIVERED and FAILED rows
-- are the delivery log, deleted after the retention (ClusterJobs job delivery-retention). traceparent/tracestate: the
-- trace of the consumer's work on the event (ADR 0031), sent on with every attempt.
create table delivery (
    id              bigserial    primary key,
    subscription_id uuid         not null references subscription (id) on delete cascade,
    seq             bigint       not null,
    event_id        varchar(200) not null,
    event           varchar(20)  not null,
    ce_type         varchar(200) not null,
    body            text         not null,
    status          varchar(10)  not null default 'PENDING',
    attempts        integer      not null default 0,
    last_status     varchar(500),
    created_at      timestamptz  not null default now(),
    next_attempt_at timestamptz,
    delivered_at    timestamptz,
    finished_at     timestamptz,
    lease_until     timestamptz,
    lease_token     uuid,
    traceparent     text,
    tracestate      text,
    constraint delivery_status check (status in ('PENDING', 'DELIVERED', 'FAILED')),
    constraint delivery_once unique (subscription_id, event_id),
    constraint delivery_order unique (subscription_id, seq)
);
create index delivery_pending_head on delivery (subscription_id, seq) where status = 'PENDING';
create index delivery_due on delivery (next_attempt_at) where status = 'PENDING';
create index delivery_finished on delivery (finished_at) where status <> 'PENDING';
