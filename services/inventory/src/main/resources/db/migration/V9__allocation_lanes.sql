-- Allocation lanes (ADR 0025): the consumer records a submitted order's lines as pending and commits; the lanes
-- allocate pending lines by priority (EMERGENCY, URGENT before ROUTINE), so a backlog of ROUTINE orders is a queue
-- in this table that priority passes, not a queue in a Kafka partition that it waits behind.
alter table demand_line add column pending boolean not null default false;
create index demand_line_pending on demand_line (priority, submitted_at, order_id, line_no) where pending;

-- Orders that were cancelled or dispatched, even before their submission was seen: a submission arriving after its
-- order closed (whatever lane either event travelled) is recorded closed and never allocated.
create table order_closed (
    order_id  varchar(40) primary key,
    reason    varchar(20) not null,
    closed_at timestamptz not null default now()
);
