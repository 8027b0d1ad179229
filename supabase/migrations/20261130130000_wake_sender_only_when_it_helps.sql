-- Wake the sender only when it helps (issue 16). Every committed report, challenge or fallback woke
-- the sender through pg_net, even while a run was sending: one more request into the functions and
-- one more transaction per report, each answering `busy`. Now the outbox trigger wakes it only when
-- * no run holds a live lock: a live run claims again and again, so it picks up what was queued
--   after it started; and its row is held `for key share` until this transaction ends, so a run
--   that is letting go (deleting the row) waits for this commit and then, looking once more
--   (dispatcher.ts), sees these rows;
-- * and no wake is already on its way: one asked for in the last few seconds that no run has
--   answered yet (any call of `app.begin_notification_run` answers it), or one another
--   transaction is asking for now (its row lock, skipped rather than waited for).
-- If that other transaction rolls back, or pg_net loses the request, the 5-second sweep wakes
-- the sender, as before. The sweep and the runs' own hand-overs do not go through this.

create table app.notification_wake (
  singleton boolean primary key default true check (singleton),
  -- When a wake-up was last asked for that no run has answered yet; null: none on its way.
  requested_at timestamptz
);
alter table app.notification_wake enable row level security;
revoke all on app.notification_wake from public, anon, authenticated, service_role;
insert into app.notification_wake (singleton) values (true);
comment on table app.notification_wake is
  'A wake-up of the notifications function on its way: later commits need not ask for another.';

-- Wakes the sender unless a live run or a wake on its way will send what was just queued.
-- Returns pg_net's request id, or null when it did not ask.
create function app.wake_notifications_if_needed() returns bigint
  language plpgsql security definer set search_path = ''
as $$
declare
  request bigint;
begin
  -- Key share: not in the way of the run's renewals (no key update), but its end waits for us.
  perform from app.notification_runs r where r.lease_expires_at > now() for key share;
  if found then
    return null;
  end if;
  -- Whoever holds this row is asking now; one that asked within 5 s has a wake-up on its way
  -- (pg_net sends within a second; past that it is taken as lost).
  update app.notification_wake w
  set requested_at = now()
  where w.singleton in (
    select o.singleton from app.notification_wake o
    where o.requested_at is null or o.requested_at < now() - interval '5 seconds'
    for update skip locked
  );
  if not found then
    return null;
  end if;
  request := app.wake_notifications();
  return request;
end
$$;

create or replace function app.wake_notifications_after_insert() returns trigger
  language plpgsql security definer set search_path = ''
as $$
begin
  if exists (select from inserted_rows r where r.status = 'queued' and r.due_at <= now()) then
    perform app.wake_notifications_if_needed();
  end if;
  return null;
end
$$;

-- As in 20261130050000, with two changes: the lock row is taken `for no key update`, so the
-- outbox trigger's key share never holds a renewal up; and any call, renewal or `busy`, answers
-- the wake-up on its way (a run is going, so the next commit need not wait for one).
create or replace function app.begin_notification_run(
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

  -- Skipped if a transaction is asking for a wake-up now: its request then finds this run.
  update app.notification_wake w
  set requested_at = null
  where w.singleton in (
    select o.singleton from app.notification_wake o
    where o.requested_at is not null
    for update skip locked
  );

  select * into held from app.notification_runs for no key update;
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
    -- Taken over from a run that stopped renewing (it died): see 20261130050000.
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

revoke execute on function app.wake_notifications_if_needed() from public;
