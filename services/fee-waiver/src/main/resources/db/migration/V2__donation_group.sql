-- A donation's ABO and RhD group where the waiver administration or the donor system gives it (ADR 0038): what
-- counts it towards a recruitment appeal in the inventory. Null for donations recorded without it.
alter table donation add column abo varchar(2) check (abo in ('O', 'A', 'B', 'AB'));
alter table donation add column rhd varchar(3) check (rhd in ('POS', 'NEG'));
