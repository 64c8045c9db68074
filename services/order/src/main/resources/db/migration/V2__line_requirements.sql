-- Order lines gain the remaining special requirements of api.md's Additions (irradiated and cmvNegative exist).
alter table order_line
    add column low_titre        boolean not null default false,
    add column antigen_negative text[]  not null default '{}';
