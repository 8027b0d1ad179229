-- A shorter stall after the sender dies. The run lock was a 200 s lease (a whole run and then
-- some), renewed only between batches, so a run whose process died held every later run off for
-- up to 200 s, and the emails it had claimed waited out their own 120 s lease. Now:
-- * a run renews its lock every second on a lease of a few seconds (the caller chooses both), so
--   the lock of a dead run frees itself within seconds;
-- * the run that takes the lock over from a dead one makes that run's claimed emails due again as
--   soon as any send it had in flight has surely ended: the Notify timeout (`in_flight_seconds`)
--   after the dead run's lock ran out. A live run never starts a send once its lock may have run
--   out, so no send of it can still be waiting for Notify then. The claim marks those emails
--   "outcome unknown", so the sender asks Notify by reference before sending any again, as before.
-- * the sweep runs every 5 seconds instead of every minute, and wakes the sender only when no run
--   holds a live lock and something is due or a dead run's lock is there to take over.
-- Lock order stays as it was: this takes the run lock, then (skipping any that are held) the
-- emails, and never waits for a partnership.

drop function app.begin_notification_run(uuid, integer);

-- Takes the run lock, or renews it for the run holding it. False: another live run holds it.
create function app.begin_notification_run(
  run_id uuid, lease_seconds integer, in_flight_seconds integer
) returns boolean
  language plpgsql security definer set search_path = ''
as $$
declare
  held app.notification_runs;
  orphans_due_at timestamptz;
begin
  if coalesce(lease_seconds, 0) < 1 or coalesce(in_flight_seconds, -1) < 0 then
    raise exception 'lease_seconds must be at least 1 and in_flight_seconds at least 0'
      using errcode = '22023';
  end if;

  select * into held from app.notification_runs for update;
  if not found then
    -- The last run ended cleanly: it recorded or gave back every email it claimed.
    insert into app.notification_runs (singleton, run_id, lease_expires_at)
    values (true, begin_notification_run.run_id, now() + make_interval(secs => lease_seconds))
    on conflict (singleton) do nothing;
    return found;
  end if;

  if held.run_id <> begin_notification_run.run_id and held.lease_expires_at > now() then
    return false;
  end if;

  update app.notification_runs r
  set run_id = begin_notification_run.run_id,
    lease_expires_at = now() + make_interval(secs => lease_seconds);

  if held.run_id <> begin_notification_run.run_id then
    -- Taken over from a run that stopped renewing (it died): its claimed emails are due once its
    -- last sends have surely ended, not when their own long lease runs out. One held by a
    -- receipt or a delete just now is skipped, so this never waits; it keeps its own lease.
    orphans_due_at := held.lease_expires_at + make_interval(secs => in_flight_seconds);
    update public.notifications n
    set lease_expires_at = orphans_due_at
    where n.notification_id in (
      select o.notification_id from public.notifications o
      where o.status = 'sending' and o.lease_expires_at > orphans_due_at
      for update skip locked
    );
  end if;
  return true;
end
$$;

-- The earliest time anything queued falls due, or a claimed email of a dead run comes back, so a
-- run that took over from a dead one waits for those within its budget.
create or replace function app.next_notification_due_at() returns timestamptz
  language sql stable security definer set search_path = ''
as $$
  select min(coalesce(case when n.status = 'queued' then n.due_at end, n.lease_expires_at))
  from public.notifications n
  where n.status = 'queued' or n.status = 'sending'
$$;

-- A run that holds a live lock sends what is due itself (and hands over to the next run when it
-- stops with work left), so the sweep only wakes the sender when none does: after a wake-up that
-- pg_net lost (something due), or a run that died (its lock is still there, run out: a run that
-- ends gives its lock up). The run that takes that lock over brings the dead run's emails back.
create or replace function app.sweep_notifications() returns bigint
  language sql security definer set search_path = ''
as $$
  select app.wake_notifications()
  where not exists (select from app.notification_runs r where r.lease_expires_at > now())
    and (app.notifications_due() or exists (select from app.notification_runs))
$$;

revoke execute on function app.begin_notification_run(uuid, integer, integer) from public;
grant execute on function app.begin_notification_run(uuid, integer, integer) to service_role;

-- Every 5 seconds (pg_cron's sub-minute schedule, which Supabase Cron supports): after a crash,
-- the next run starts within the lock's lease and one sweep. Same job name: this reschedules it.
select cron.schedule('notifications-sweep', '5 seconds', 'select app.sweep_notifications()');
