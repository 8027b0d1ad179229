-- Claiming emails took the email rows and only later, for the link token's foreign key, a share
-- lock on their partnership: the opposite order to a challenge, which locks the partnership and
-- then cancels its queued emails. Under load the two deadlocked. The claim now locks both up front
-- and skips an email whose partnership is held; the next run picks it up.

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
    -- Hold each email's partnership too, and pass over one a challenge, re-report or delete holds:
    -- waiting for it while holding the email (the link token below needs it) would deadlock with
    -- those, which take the partnership first and then its emails.
    for update of n skip locked
    for key share of p skip locked
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
