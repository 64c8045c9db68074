-- Coded discards (api.md, "Discards and wastage"): every DISCARDED and EXPIRED movement carries why the unit was
-- wasted. Rows from before keep their free text; their code is inferred only where the text the system itself wrote
-- makes it certain, otherwise OTHER.
alter table unit_movement add column reason_code varchar(24);

update unit_movement set reason_code = 'EXPIRED' where type = 'EXPIRED';
update unit_movement set reason_code = case
        when reason like 'returned-not-reusable:%' then 'RETURN_NOT_REUSABLE'
        when reason like 'station QA discard after quarantine at %' then 'TEMPERATURE'
        else 'OTHER' end
    where type = 'DISCARDED';

alter table unit_movement add constraint unit_movement_reason_code check (
    (type in ('DISCARDED', 'EXPIRED')) = (reason_code is not null));

-- The wastage report reads only receipts at hospitals and storage points (what was issued to them) and the wasting
-- movements, by time: this partial index holds exactly those rows, with what the report groups by, so a report
-- over a period reads an index range instead of the whole ledger.
create index unit_movement_wastage on unit_movement (occurred_at)
    include (unit_id, type, from_location_id, to_location_id, reason_code)
    where type in ('RECEIVED_AT_HOSPITAL', 'DISCARDED', 'EXPIRED');
