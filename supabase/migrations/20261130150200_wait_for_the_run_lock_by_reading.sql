-- A successor waits for the run lock by reading only (issue 16). A run woken to take over waited
-- for its predecessor's lock by trying to take it every 20 ms: `app.begin_notification_run` locks
-- the lock row, which gives the transaction an id and its commit a flush to disk, so each wait
-- cost the disk 50 commits a second while the run it waited for was recording its sends. Now it
-- looks with this between tries, and tries only once the lock is free.

-- Whether no run holds a live lock.
create function app.notification_run_free() returns boolean
  language sql stable security definer set search_path = ''
as $$
  select not exists (select from app.notification_runs r where r.lease_expires_at > now())
$$;

revoke execute on function app.notification_run_free() from public;
grant execute on function app.notification_run_free() to service_role;
