-- The trace context of the work that committed an event (ADR 0031): W3C traceparent and tracestate, sent by the
-- relay as the record's headers of the same names. Null for events committed outside any trace (and before this).
-- (V0_40, not V0_4: common's migrations are applied out of order after a service's own; a high number keeps clear
-- of versions other branches may add meanwhile.)
alter table outbox_event add column traceparent text;
alter table outbox_event add column tracestate text;
