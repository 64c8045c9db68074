-- Special attributes of a bag (api.md Additions, "Special requirements"): given at release, changed only through
-- recorded movements (IRRADIATED), and the requirements of every open demand line, which a bag must meet to be given.
alter table unit
    add column irradiated       boolean    not null default false,
    add column cmv_negative     boolean    not null default false,
    add column low_titre        boolean    not null default false,
    add column antigen_negative text[]     not null default '{}',
    add column product_code     varchar(5);

alter table demand_line
    add column irradiated       boolean not null default false,
    add column cmv_negative     boolean not null default false,
    add column low_titre        boolean not null default false,
    add column antigen_negative text[]  not null default '{}';
