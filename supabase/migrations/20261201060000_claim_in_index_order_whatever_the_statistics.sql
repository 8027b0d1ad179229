-- A claim walks the due emails in its index's order whatever the statistics say (issue 16).
-- Autovacuum analyzes `notifications` at most once a minute, so for up to a minute after a burst
-- of reports (each queues an email) the statistics still say almost nothing is queued. Planned
-- for that guess, the claim's first statement read every due email and its partnership, sorted
-- them and kept the first `max_rows`: the cost that grows with the backlog, back for that minute.
-- With 2,000 emails due and statistics from before them, that statement read 8,153 blocks in
-- 9.6 ms; planned as intended, 246 blocks in 1.2 ms (EXPLAIN ANALYZE). In a drain of 1,360
-- emails just after their reports, a whole claim read 5,115 blocks before and 3,681 after
-- (pg_stat_statements; what is left is the second statement; docs/performance.md, section 1).
--
-- The first statement is planned at each call, so for that statement alone sorting is made the
-- planner's last resort: an ordered walk of `notifications_queued_due_idx` (and of the lease
-- index for expired claims) that stops at `max_rows` is then always the cheaper plan, as it is
-- whenever the statistics are current. The union of the two branches still sorts its few rows.
-- The setting is put back before the second statement, whose plan plpgsql keeps for the session.
-- Otherwise as 20261130221100 made it.

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
declare
  picked_ids uuid[];
  unknown_ids uuid[];
  overtaken_ids uuid[];
  enable_sort_before text := pg_catalog.current_setting('enable_sort');
begin
  -- 1. Which emails: each kind of due email from its own index, in that index's order, so a claim
  -- reads about as many rows as it takes, whatever the backlog or the reminders waiting. A branch
  -- may lock a few rows the claim then leaves (held until this short transaction ends). Planned
  -- for its `max_rows` at each call (cheap: two small joins), as the limit shapes its plan;
  -- with sorting as the last resort, so that statistics older than the backlog cannot make it
  -- read every due email to sort them (see this migration's header).
  perform pg_catalog.set_config('enable_sort', 'off', true);
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
  )
  select coalesce(array_agg(due.notification_id), '{}'),
    coalesce(array_agg(due.notification_id) filter (where due.outcome_unknown), '{}'),
    coalesce(array_agg(due.notification_id) filter (where due.overtaken), '{}')
  into picked_ids, unknown_ids, overtaken_ids
  from due;
  perform pg_catalog.set_config('enable_sort', enable_sort_before, true);
  if cardinality(picked_ids) = 0 then
    return;
  end if;

  -- 2. Claim them and say what each email carries. Its plan does not depend on how many were
  -- picked, so plpgsql plans it for the first calls of a session and then keeps one plan.
  return query
  with claimed as (
    update public.notifications n
    set
      status = case when n.notification_id = any(overtaken_ids) then 'cancelled' else 'sending' end,
      lease_expires_at = case
        when n.notification_id = any(overtaken_ids) then null
        else now() + make_interval(secs => lease_seconds)
      end,
      attempts = n.attempts + case when n.notification_id = any(overtaken_ids) then 0 else 1 end
    where n.notification_id = any(picked_ids)
    returning n.notification_id, n.kind, n.partnership_id, n.recipient_email, n.attempts,
      n.created_at, n.notification_id = any(unknown_ids) as outcome_unknown,
      n.notification_id = any(overtaken_ids) as overtaken
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
