-- Sending `new_link` emails, and naming a school's multi-academy trust in its emails.
--
-- claim_notifications: a `new_link` email shows the report's own deadline (it never restarts the
-- 14 days), and every school email gets `trust_sentence`, which names the school's multi-academy
-- trust (empty for a school in no trust): the research found mistakes cluster in trusts, where
-- the provider agreed with the trust and the school did not know.
-- mark_notification_sent: a sent `new_link` is recorded as `new_link_sent`, not as a reminder,
-- and leaves `school_notified_at` (so the deadline) alone.

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

create or replace function app.mark_notification_sent(notification_id uuid, notify_id text)
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
      case
        when sent.kind in ('school_first', 'tutor_first') then 'notified'
        when sent.kind = 'new_link' then 'new_link_sent'
        else 'reminded'
      end,
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
