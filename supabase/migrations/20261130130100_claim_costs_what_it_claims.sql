-- A claim costs what it claims (issue 16). The claim's `(queued and due) or (sending and lease
-- expired)` condition could not bound the `due_at` index: each claim read every queued row due
-- (and walked the reminders due later), joined them to their partnerships and sorted them, so
-- draining a backlog was quadratic (748 ms to claim 50 with 300k due). Each kind now comes from a
-- partial index of its own, in the index's order, and stops at the claim's size. The lock order
-- and the skips of 20261129002300 stay: each email with its partnership, both up front, skipping
-- any a challenge, re-report, receipt or delete holds. What an email carries is as
-- 20261130110100 made it (a `new_link` email's deadline, the trust sentence).

create index notifications_queued_due_idx on public.notifications (due_at, created_at)
  where status = 'queued';
create index notifications_sending_lease_idx on public.notifications (lease_expires_at)
  where status = 'sending';

create or replace function app.claim_notifications(max_rows integer, lease_seconds integer)
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
  -- Each kind of due email from its own index, in that index's order, so a claim reads about as
  -- many rows as it takes, whatever the backlog or the reminders waiting. A branch may lock a few
  -- rows the claim then leaves (held until this short transaction ends, then free again).
  with queued as (
    select n.notification_id, n.due_at, n.created_at,
      coalesce(n.last_error like 'Outcome unknown:%', false) as outcome_unknown,
      n.kind <> 'provider_challenged' and p.challenged_at is not null as overtaken
    from public.notifications n
    join public.partnerships p using (partnership_id)
    where n.status = 'queued' and n.due_at <= now()
    order by n.due_at, n.created_at
    limit max_rows
    -- Hold each email's partnership too, and pass over one a challenge, re-report or delete holds:
    -- waiting for it while holding the email (the link token below needs it) would deadlock with
    -- those, which take the partnership first and then its emails.
    for update of n skip locked
    for key share of p skip locked
  ),
  -- Claimed by a run whose lease ran out: perhaps sent, so looked up at Notify first.
  expired as (
    select n.notification_id, n.due_at, n.created_at,
      true as outcome_unknown,
      n.kind <> 'provider_challenged' and p.challenged_at is not null as overtaken
    from public.notifications n
    join public.partnerships p using (partnership_id)
    where n.status = 'sending' and n.lease_expires_at <= now()
    order by n.lease_expires_at
    limit max_rows
    for update of n skip locked
    for key share of p skip locked
  ),
  due as (
    select d.notification_id, d.outcome_unknown, d.overtaken
    from (select * from queued union all select * from expired) d
    order by d.due_at, d.created_at
    limit max_rows
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
        when sending.kind in ('school_reminder', 'tutor_reminder', 'new_link') then
          app.london_long_date(app.partnership_deadline_date(p.partnership_id))
      end,
      'tutor_name', case
        when sending.kind in ('tutor_first', 'tutor_reminder') then
          coalesce(t.full_name, 'induction tutor')
      end,
      'reason_label', case when sending.kind = 'provider_challenged' then r.label end,
      'trust_sentence', case
        when sending.kind = 'provider_challenged' then null
        when s.trust_type = 'multi_academy_trust' then
          s.name || ' is part of ' || coalesce(s.trust_name, 'a multi-academy trust') || '. '
            || lp.name || ' may have agreed this with the trust rather than with your school.'
        else ''
      end,
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

-- The same two indexes answer "when is the next one due" without reading the backlog.
create or replace function app.next_notification_due_at() returns timestamptz
  language sql stable security definer set search_path = ''
as $$
  select least(
    (select min(n.due_at) from public.notifications n where n.status = 'queued'),
    (select min(n.lease_expires_at) from public.notifications n where n.status = 'sending')
  )
$$;

create or replace function app.notifications_due() returns boolean
  language sql stable security definer set search_path = ''
as $$
  select exists (
    select from public.notifications n where n.status = 'queued' and n.due_at <= now()
  ) or exists (
    select from public.notifications n where n.status = 'sending' and n.lease_expires_at <= now()
  )
$$;
