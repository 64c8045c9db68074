-- The special attributes of each allocated bag, from the inventory's AllocationMade, shown on the order and printed on
-- the issue note (api.md Additions: "Allocated units in an Order show their attributes; the issue note prints them").
alter table order_line_unit
    add column irradiated       boolean    not null default false,
    add column cmv_negative     boolean    not null default false,
    add column low_titre        boolean    not null default false,
    add column antigen_negative text[]     not null default '{}',
    add column product_code     varchar(5);
