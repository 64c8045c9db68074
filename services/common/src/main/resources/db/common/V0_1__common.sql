-- Shared tables every service has (services/common). Service migrations start at V1.

-- Transactional outbox: written in the same transaction as the change that causes the event,
-- published by the relay in seq order, marked sent afterwards.
create table outbox_event (
    seq          bigserial primary key,
    id           uuid        not null unique,
    topic        varchar(200) not null,
    message_key  varchar(200) not null,
    ce_type      varchar(200) not null,
    ce_source    varchar(200) not null,
    ce_subject   varchar(200),
    payload      text        not null,
    occurred_at  timestamptz not null,
    sent_at      timestamptz
);
create index outbox_event_unsent on outbox_event (seq) where sent_at is null;
create index outbox_event_sent_at on outbox_event (sent_at) where sent_at is not null;

-- Idempotent consumers: an event id recorded here in the same transaction as its effect.
create table processed_event (
    consumer     varchar(100) not null,
    event_id     varchar(200) not null,
    processed_at timestamptz  not null default now(),
    primary key (consumer, event_id)
);
create index processed_event_at on processed_event (processed_at);

-- Idempotency-Key of creating POSTs: the first response, replayed for the same key and body.
create table idempotency_record (
    scope         varchar(300) not null,
    idem_key      varchar(64)  not null,
    request_hash  varchar(64)  not null,
    status        integer      not null,
    response_body text,
    location      varchar(500),
    created_at    timestamptz  not null default now(),
    primary key (scope, idem_key)
);
create index idempotency_record_created on idempotency_record (created_at);
