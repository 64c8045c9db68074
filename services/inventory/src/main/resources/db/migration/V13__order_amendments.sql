-- Orders amended before dispatch (ADR 0034): the revision of the order a line describes; the allocation published
-- for an order carries it, so the order service ignores a picture computed for an earlier revision.
alter table demand_line add column revision integer not null default 0;
