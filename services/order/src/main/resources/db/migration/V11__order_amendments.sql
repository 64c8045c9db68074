-- Orders amended before dispatch (api.md, "Orders: amend before dispatch"; ADR 0034): how many times, and when last.
-- An allocation computed for an earlier revision no longer describes the order and is ignored.
alter table blood_order add column revision integer not null default 0;
alter table blood_order add column amended_at timestamptz;
