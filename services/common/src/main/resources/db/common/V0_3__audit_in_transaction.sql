-- An audit entry is written inside the transaction of the change it records, before the call is answered; its
-- status is then null ("committed, answer not yet recorded") until the answer is known. The table stays append-only
-- but for that one step: the status of an entry that has none may be set, once, with the call's final events.
alter table audit_entry alter column status drop not null;

create or replace function audit_entry_append_only() returns trigger language plpgsql as $$
begin
    if tg_op = 'UPDATE' and old.status is null and new.status is not null
            and new.seq = old.seq and new.at = old.at and new.actor = old.actor
            and new.location_id is not distinct from old.location_id and new.roles = old.roles
            and new.method = old.method and new.path = old.path and new.request_id = old.request_id then
        return new;
    end if;
    raise exception 'audit_entry is append-only';
end
$$;
