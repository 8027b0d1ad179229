-- A hand-over without a pause in sending (issue 16). A sender run that spends its budget with work
-- left wakes its successor, which waits for the lock. Two things made each hand-over cost about
-- 0.75 s of sending: the run kept its lock until its last sends were answered, and the successor
-- started a bucket of its own with one token, so the time the lock changed hands was lost for
-- good. Now a run that stops cleanly gives its lock up as soon as it starts no more sends (those
-- in flight were started while it held it, and their emails stay claimed under their own lease),
-- and leaves its pacing here: the tokens in its bucket and when. The run that takes the lock next
-- carries that bucket on, so a chain of runs paces as one bucket would, a short pause made up
-- from its burst, and no rolling minute goes over Notify's limit.
--
-- Only a run that ended cleanly leaves its pacing, and the next run to take the lock takes it
-- away, so a run that takes over from one that died finds none and starts afresh with one token,
-- as before.

create table app.notification_pacing (
  singleton boolean primary key default true check (singleton),
  -- Tokens left in the bucket of the run that ended, at `left_at`.
  tokens double precision not null check (tokens >= 0),
  left_at timestamptz not null
);
alter table app.notification_pacing enable row level security;
revoke all on app.notification_pacing from public, anon, authenticated, service_role;
comment on table app.notification_pacing is
  'The pacing a notifications run left as it ended cleanly, for the next run to carry on.';

-- Ends the run's lock, as app.end_notification_run(uuid) does, and leaves its pacing for the next
-- run; neither if the lock is no longer this run's.
create function app.end_notification_run(run_id uuid, pacing_tokens double precision)
returns void
  language sql security definer set search_path = ''
as $$
  with ended as (
    delete from app.notification_runs held where held.run_id = end_notification_run.run_id
    returning held.run_id
  )
  insert into app.notification_pacing (singleton, tokens, left_at)
  select true, greatest(pacing_tokens, 0), now() from ended
  on conflict (singleton) do update set tokens = excluded.tokens, left_at = excluded.left_at
$$;

-- Takes the run lock as app.begin_notification_run does (false: another live run holds it) and,
-- when it is taken, the pacing the last run left, if it ended cleanly: its tokens and how long
-- ago, by the database's clock, in milliseconds.
create function app.take_notification_run(
  run_id uuid, lease_seconds integer, in_flight_seconds integer
) returns table (began boolean, pacing_tokens double precision, pacing_age_ms double precision)
  language plpgsql security definer set search_path = ''
as $$
begin
  began := app.begin_notification_run(run_id, lease_seconds, in_flight_seconds);
  if began then
    delete from app.notification_pacing p
    returning p.tokens, extract(epoch from now() - p.left_at) * 1000
    into pacing_tokens, pacing_age_ms;
  end if;
  return next;
end
$$;

revoke execute on function
  app.end_notification_run(uuid, double precision),
  app.take_notification_run(uuid, integer, integer)
from public;
grant execute on function
  app.end_notification_run(uuid, double precision),
  app.take_notification_run(uuid, integer, integer)
to service_role;
