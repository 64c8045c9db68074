-- the trace a consumer's effect ran in (TracesTest)
alter table thing_effect add column trace_id varchar(32);
