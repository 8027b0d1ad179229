-- The email outbox's sending side, used by the `notifications` edge function: one run at a time
-- takes due rows under a lease, sends them and records what Notify said. A row whose lease ran
-- out (the run died mid-send) is due again, so no email is lost; the lease, the run lock and
-- FOR UPDATE SKIP LOCKED keep two runs from sending the same row.

-- One sender at a time. Notify's rate limit is per key, so two runs pacing themselves separately
-- could together exceed it; the lease (not a session lock) survives a connection pooler and frees
-- itself if the run dies.
create table app.notification_runs (
  singleton boolean primary key default true check (singleton),
  run_id uuid not null,
  lease_expires_at timestamptz not null
);
alter table app.notification_runs enable row level security;
revoke all on app.notification_runs from public, anon, authenticated, service_role;
comment on table app.notification_runs is
  'The notifications run that may send now; its lease frees itself if the run dies.';

-- Takes the run lock, or renews it for the run holding it. False: another live run holds it.
create function app.begin_notification_run(run_id uuid, lease_seconds integer) returns boolean
  language sql security definer set search_path = ''
as $$
  with taken as (
    insert into app.notification_runs as held (singleton, run_id, lease_expires_at)
    values (true, begin_notification_run.run_id, now() + make_interval(secs => lease_seconds))
    on conflict (singleton) do update
      set run_id = excluded.run_id, lease_expires_at = excluded.lease_expires_at
      where held.run_id = excluded.run_id or held.lease_expires_at <= now()
    returning true
  )
  select exists (select from taken)
$$;

create function app.end_notification_run(run_id uuid) returns void
  language sql security definer set search_path = ''
as $$
  delete from app.notification_runs held where held.run_id = end_notification_run.run_id
$$;

-- Whether anything is due now: queued and due, or claimed by a run whose lease ran out.
create function app.notifications_due() returns boolean
  language sql stable security definer set search_path = ''
as $$
  select exists (
    select from public.notifications n
    where (n.status = 'queued' and n.due_at <= now())
      or (n.status = 'sending' and n.lease_expires_at <= now())
  )
$$;

-- The earliest time a queued row falls due, so a run can wait for a retry due within its budget.
create function app.next_notification_due_at() returns timestamptz
  language sql stable security definer set search_path = ''
as $$
  select min(n.due_at) from public.notifications n where n.status = 'queued'
$$;

-- A link token: 32 random bytes, base64url without padding (43 characters). Only its sha256 is
-- stored; the plain token leaves the database once, in the claim's answer, for the email.
create function app.new_link_token() returns text
  language sql volatile set search_path = ''
as $$
  select rtrim(translate(encode(extensions.gen_random_bytes(32), 'base64'), '+/', '-_'), '=')
$$;

-- "Monday 12 October 2026", the form GOV.UK writes dates in.
create function app.london_long_date(day date) returns text
  language sql immutable set search_path = ''
as $$
  select to_char(day, 'FMDay FMDD FMMonth YYYY')
$$;

-- Claims up to max_rows due emails for lease_seconds and returns each with its personalisation,
-- built here so the email says what the database holds at the moment it is sent:
-- * the deadline of a first email is the one the rule gives if Notify accepts it now (the window
--   restarts from that email); a reminder repeats the deadline as it stands;
-- * every school or tutor email gets a fresh link token;
-- * an email to the provider names the reason given in the challenge it reports.
-- School emails for a partnership that has been challenged meanwhile are cancelled, not sent.
-- outcome_unknown: an earlier try may have reached Notify (its run died, or Notify did not
-- answer), so the sender asks Notify for the reference before sending again.
create function app.claim_notifications(max_rows integer, lease_seconds integer)
  returns table (
    notification_id uuid,
    kind text,
    recipient_email text,
    personalisation jsonb,
    attempts integer,
    outcome_unknown boolean
  )
  language plpgsql security definer set search_path = ''
as $$
#variable_conflict use_column
begin
  return query
  with due as (
    select
      n.notification_id,
      n.status = 'sending' or coalesce(n.last_error like 'Outcome unknown:%', false)
        as outcome_unknown,
      n.kind <> 'provider_challenged' and p.challenged_at is not null as overtaken
    from public.notifications n
    join public.partnerships p using (partnership_id)
    where (n.status = 'queued' and n.due_at <= now())
      or (n.status = 'sending' and n.lease_expires_at <= now())
    order by n.due_at, n.created_at
    limit max_rows
    for update of n skip locked
  ),
  claimed as (
    update public.notifications n
    set
      status = case when due.overtaken then 'cancelled' else 'sending' end,
      lease_expires_at = case
        when due.overtaken then null
        else now() + make_interval(secs => lease_seconds)
      end,
      attempts = n.attempts + case when due.overtaken then 0 else 1 end
    from due
    where n.notification_id = due.notification_id
    returning n.notification_id, n.kind, n.partnership_id, n.recipient_email, n.attempts,
      n.created_at, due.outcome_unknown, due.overtaken
  ),
  sending as (
    select
      claimed.*,
      case when claimed.kind <> 'provider_challenged' then app.new_link_token() end as token
    from claimed
    where not claimed.overtaken
  ),
  tokens as (
    insert into public.link_tokens (token_hash, partnership_id, notification_id)
    select
      extensions.digest(convert_to(sending.token, 'UTF8'), 'sha256'),
      sending.partnership_id,
      sending.notification_id
    from sending
    where sending.token is not null
  )
  select
    sending.notification_id,
    sending.kind,
    sending.recipient_email,
    jsonb_strip_nulls(jsonb_build_object(
      'school_name', s.name,
      'urn', s.urn,
      'lead_provider_name', lp.name,
      'delivery_partner_name', dp.name,
      'cohort', app.cohort_label(c.start_year),
      'deadline', case
        when sending.kind in ('school_first', 'tutor_first') then
          app.london_long_date(app.challenge_deadline_date(now(), c.earliest_challenge_deadline))
        when sending.kind in ('school_reminder', 'tutor_reminder') then
          app.london_long_date(app.partnership_deadline_date(p.partnership_id))
      end,
      'tutor_name', case
        when sending.kind in ('tutor_first', 'tutor_reminder') then
          coalesce(t.full_name, 'induction tutor')
      end,
      'reason_label', case when sending.kind = 'provider_challenged' then r.label end,
      'token', sending.token
    )),
    sending.attempts,
    sending.outcome_unknown
  from sending
  join public.partnerships p using (partnership_id)
  join public.schools s using (school_id)
  join public.lead_providers lp using (lead_provider_id)
  join public.delivery_partners dp using (delivery_partner_id)
  join public.cohorts c using (cohort_id)
  left join public.induction_tutors t on t.school_id = p.school_id
  -- The reason given in the challenge this email reports, even if the school has since been
  -- reported again (which clears the partnership's own reason).
  left join lateral (
    select e.details ->> 'reason' as code
    from public.partnership_events e
    where e.partnership_id = p.partnership_id
      and e.kind = 'challenged'
      and e.created_at <= sending.created_at
    order by e.created_at desc
    limit 1
  ) challenge on sending.kind = 'provider_challenged'
  left join public.challenge_reasons r on r.code = challenge.code;
end
$$;

-- Marks an email as accepted by Notify, once. A first email (or a resend, or a fallback to the
-- GIAS address) restarts the school's window, so the deadline it printed holds. Shared by the
-- sender and by delivery receipts, which can arrive before the sender has recorded the send.
create function app.mark_notification_sent(notification_id uuid, notify_id text)
  returns boolean
  language plpgsql security definer set search_path = ''
as $$
declare
  sent public.notifications;
begin
  -- Lock the partnership before the outbox row, the order a challenge, a re-report and a delete
  -- take them in, so recording a send can never deadlock with them.
  perform from public.partnerships p
  where p.partnership_id = (
    select n.partnership_id from public.notifications n
    where n.notification_id = mark_notification_sent.notification_id
  )
  for no key update;

  update public.notifications n
  set status = 'sent', notify_id = mark_notification_sent.notify_id,
    sent_at = coalesce(n.sent_at, now()), lease_expires_at = null, last_error = null
  where n.notification_id = mark_notification_sent.notification_id
    -- A receipt proves Notify has it, even if the sender gave up waiting for its answer.
    and n.status in ('queued', 'sending', 'failed')
  returning n.* into sent;
  if not found then
    return false;
  end if;
  if sent.kind in ('school_first', 'tutor_first') then
    update public.partnerships p set school_notified_at = sent.sent_at
    where p.partnership_id = sent.partnership_id;
  end if;
  if sent.kind <> 'provider_challenged' then
    insert into public.partnership_events (partnership_id, kind, channel, details)
    values (
      sent.partnership_id,
      case when sent.kind in ('school_first', 'tutor_first') then 'notified' else 'reminded' end,
      'notify',
      -- No address here: providers can read their partnerships' events.
      jsonb_build_object(
        'notification_id', sent.notification_id, 'kind', sent.kind,
        'recipient_kind', sent.recipient_kind
      )
    );
  end if;
  return true;
end
$$;

create function app.record_notification_sent(notification_id uuid, notify_id text) returns void
  language sql security definer set search_path = ''
as $$
  select app.mark_notification_sent(notification_id, notify_id)
$$;

-- A try that failed: due again at retry_at, or (retry_at null) failed for good with the reason.
create function app.record_notification_failure(
  notification_id uuid, error text, retry_at timestamptz
) returns void
  language sql security definer set search_path = ''
as $$
  update public.notifications n
  set
    status = case when retry_at is null then 'failed' else 'queued' end,
    due_at = coalesce(retry_at, n.due_at),
    lease_expires_at = null,
    last_error = error
  where n.notification_id = record_notification_failure.notification_id
    and n.status = 'sending'
$$;

-- Gives a claimed row back untried (Notify refused the key): the attempt is not counted.
create function app.release_notification(notification_id uuid) returns void
  language sql security definer set search_path = ''
as $$
  update public.notifications n
  set status = 'queued', lease_expires_at = null, attempts = greatest(n.attempts - 1, 0)
  where n.notification_id = release_notification.notification_id
    and n.status = 'sending'
$$;

revoke execute on function
  app.begin_notification_run(uuid, integer),
  app.end_notification_run(uuid),
  app.notifications_due(),
  app.next_notification_due_at(),
  app.new_link_token(),
  app.claim_notifications(integer, integer),
  app.london_long_date(date),
  app.mark_notification_sent(uuid, text),
  app.record_notification_sent(uuid, text),
  app.record_notification_failure(uuid, text, timestamptz),
  app.release_notification(uuid)
from public;
grant execute on function
  app.begin_notification_run(uuid, integer),
  app.end_notification_run(uuid),
  app.notifications_due(),
  app.next_notification_due_at(),
  app.claim_notifications(integer, integer),
  app.record_notification_sent(uuid, text),
  app.record_notification_failure(uuid, text, timestamptz),
  app.release_notification(uuid)
to service_role;
