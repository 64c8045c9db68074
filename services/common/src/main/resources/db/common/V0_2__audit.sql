-- Audit trail: every state-changing call (POST, PUT, PATCH, DELETE) with who, for which location, when, what it
-- called, how it ended and the events it committed. Append-only: rows can be added, never changed or removed.
create table audit_entry (
    seq          bigserial primary key,
    at           timestamptz  not null,
    actor        varchar(200) not null,
    location_id  varchar(40),
    roles        varchar(300) not null,
    method       varchar(10)  not null,
    path         varchar(500) not null,
    status       integer      not null,
    replayed     boolean      not null default false,
    request_id   varchar(100) not null,
    changes      text         not null
);
create index audit_entry_at on audit_entry (at);
create index audit_entry_actor on audit_entry (actor, seq);
create index audit_entry_location on audit_entry (location_id, seq);

create function audit_entry_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'audit_entry is append-only';
end
$$;
create trigger audit_entry_no_update before update or delete on audit_entry
    for each row execute function audit_entry_append_only();
create trigger audit_entry_no_truncate before truncate on audit_entry
    for each statement execute function audit_entry_append_only();
