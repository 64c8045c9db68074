-- Donor recruitment (ADR 0038): the request a region alert made when it was raised or worsened (an alert that
-- improved but is still short carries its predecessor's request on), and what it had counted when it was cleared.
alter table supply_alert add column recruitment_requested_at timestamptz;
alter table supply_alert add column recruitment_units_needed integer check (recruitment_units_needed >= 0);
alter table supply_alert add column recruitment_by_date date;
alter table supply_alert add column recruitment_donations bigint;
alter table supply_alert add column recruitment_units double precision;

-- Donations with their group from the fee-waiver service's topic, counted towards open requests of that group.
-- No donor data: not the donor hash, not a name; a donation id counts once.
create table recruitment_donation (
    donation_id varchar(40) primary key,
    donated_at  timestamptz not null,
    kind        varchar(24) not null,
    abo         varchar(2)  not null,
    rhd         varchar(3)  not null,
    volume_ml   integer,
    doses       integer,
    received_at timestamptz not null default now()
);
create index recruitment_donation_group on recruitment_donation (abo, rhd, donated_at);
