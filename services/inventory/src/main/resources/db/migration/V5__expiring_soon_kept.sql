-- Bags expiring within 72 h, kept on the level row (by the ledger on every movement, recounted by the expiry sweep
-- as time passes), so GET /stock reads it instead of counting units: its cost stays flat as stock grows.
alter table stock_level add column expiring_soon integer not null default 0 check (expiring_soon >= 0);
update stock_level s set expiring_soon = (
    select count(*) from unit u where u.location_id = s.location_id and u.component = s.component and u.abo = s.abo
    and u.rhd = s.rhd and u.status = 'AVAILABLE' and u.expires_at < now() + interval '72 hours');
