-- The trace of an order's submission (ADR 0031), kept with its lines: a lane allocates the order after the
-- consumer's commit, on a thread of its own, and publishes its AllocationMade in this trace. Null before this.
alter table demand_line add column traceparent text;
alter table demand_line add column tracestate text;
