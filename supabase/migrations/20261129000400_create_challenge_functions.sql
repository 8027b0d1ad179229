-- A school reports a mistake through the link in its email, or DfE support does it on the school's
-- behalf. Each call locks the partnership row, so of many simultaneous calls exactly one records
-- the challenge; the others find it already challenged.

-- The partnership behind the plain token from a link. Only the sha256 of a token is stored.
create function app.partnership_id_for_token(token text) returns uuid
  language sql stable security definer set search_path = ''
as $$
  select t.partnership_id
  from public.link_tokens t
  where t.token_hash = extensions.digest(convert_to(token, 'UTF8'), 'sha256')
$$;

-- Records the challenge of a partnership the caller has locked and found active: the partnership
-- stops being active (another provider may recruit the school), school emails not yet sent are
-- cancelled, the event is written and every user of the lead provider is emailed.
create function app.record_challenge(
  partnership_id uuid,
  reason text,
  channel text,
  actor_user_id uuid,
  note text
) returns void
  language plpgsql security definer set search_path = ''
as $$
declare
  challenged public.partnerships;
begin
  update public.partnerships p
  set
    challenged_at = now(),
    challenge_reason = record_challenge.reason,
    challenge_channel = record_challenge.channel,
    challenged_by = record_challenge.actor_user_id,
    challenge_note = record_challenge.note
  where p.partnership_id = record_challenge.partnership_id
  returning p.* into challenged;

  update public.notifications n
  set status = 'cancelled'
  where n.partnership_id = challenged.partnership_id
    and n.status = 'queued'
    and n.kind in ('school_first', 'tutor_first', 'school_reminder', 'tutor_reminder');

  -- The details keep what MI needs even after a re-report changes the partnership. The note
  -- stays on the partnership only: it is free text and may name people.
  insert into public.partnership_events (partnership_id, kind, channel, actor_user_id, details)
  values (
    challenged.partnership_id, 'challenged', record_challenge.channel,
    record_challenge.actor_user_id,
    jsonb_build_object(
      'reason', challenged.challenge_reason,
      'delivery_partner_id', challenged.delivery_partner_id,
      'reported_at', challenged.reported_at,
      'school_notified_at', challenged.school_notified_at
    )
  );

  insert into public.notifications (kind, partnership_id, recipient_email, recipient_kind)
  select 'provider_challenged', challenged.partnership_id, pu.email, 'provider_user'
  from public.provider_users pu
  where pu.lead_provider_id = challenged.lead_provider_id;
end
$$;

-- What the page behind a link shows: open (with everything the school needs to decide),
-- challenged, expired or not found. `deadline` is the date people are shown (YYYY-MM-DD, London).
create function app.challenge_link_status(token text) returns jsonb
  language plpgsql stable security definer set search_path = ''
as $$
declare
  linked record;
  deadline date;
begin
  select
    p.partnership_id, p.challenged_at, s.name as school_name, s.urn,
    lp.name as lead_provider_name, dp.name as delivery_partner_name, c.start_year
  into linked
  from public.partnerships p
  join public.schools s on s.school_id = p.school_id
  join public.lead_providers lp on lp.lead_provider_id = p.lead_provider_id
  join public.delivery_partners dp on dp.delivery_partner_id = p.delivery_partner_id
  join public.cohorts c on c.cohort_id = p.cohort_id
  where p.partnership_id = app.partnership_id_for_token(token);

  if linked.partnership_id is null then
    return jsonb_build_object('status', 'not_found');
  end if;
  if linked.challenged_at is not null then
    return jsonb_build_object('status', 'challenged', 'school_name', linked.school_name);
  end if;

  deadline := app.partnership_deadline_date(linked.partnership_id);
  if now() >= app.challenge_window_closes_at(deadline) then
    return jsonb_build_object(
      'status', 'expired', 'school_name', linked.school_name, 'deadline', deadline
    );
  end if;

  return jsonb_build_object(
    'status', 'open',
    'school_name', linked.school_name,
    'urn', linked.urn,
    'lead_provider_name', linked.lead_provider_name,
    'delivery_partner_name', linked.delivery_partner_name,
    'cohort', app.cohort_label(linked.start_year),
    'deadline', deadline,
    'reasons', (
      select jsonb_agg(jsonb_build_object('code', r.code, 'label', r.label) order by r.position)
      from public.challenge_reasons r
    )
  );
end
$$;

-- The school reports a mistake through its link: status challenged, already_challenged, expired,
-- not_found or invalid_reason, with the school's name once the link is known.
create function app.challenge_by_token(token text, reason text) returns jsonb
  language plpgsql security definer set search_path = ''
as $$
declare
  linked_id uuid := app.partnership_id_for_token(token);
  locked record;
begin
  if linked_id is null then
    return jsonb_build_object('status', 'not_found');
  end if;
  if not exists (select from public.challenge_reasons r where r.code = challenge_by_token.reason)
  then
    return jsonb_build_object('status', 'invalid_reason');
  end if;

  -- Simultaneous calls queue here; each sees the row as the one before it left it.
  select p.challenged_at, s.name as school_name
  into locked
  from public.partnerships p
  join public.schools s on s.school_id = p.school_id
  where p.partnership_id = linked_id
  for update of p;

  if locked.challenged_at is not null then
    return jsonb_build_object('status', 'already_challenged', 'school_name', locked.school_name);
  end if;
  if now() >= app.challenge_window_closes_at(app.partnership_deadline_date(linked_id)) then
    return jsonb_build_object('status', 'expired', 'school_name', locked.school_name);
  end if;

  perform app.record_challenge(linked_id, reason, 'email_link', null, null);
  return jsonb_build_object('status', 'challenged', 'school_name', locked.school_name);
end
$$;

-- DfE support reports a mistake on a school's behalf: the window does not apply, but a
-- partnership is never challenged twice. Status challenged, already_challenged, not_found,
-- invalid_reason or invalid_note (over 2,000 characters).
create function app.challenge_by_support(partnership_id uuid, reason text, note text)
  returns jsonb
  language plpgsql security definer set search_path = ''
as $$
declare
  support_user_id uuid := auth.uid();
  cleaned_note text := nullif(btrim(note), '');
  locked record;
begin
  if not app.is_support_user() then
    raise exception 'not_a_support_user'
      using hint = 'Only DfE support users can report a mistake for a school.';
  end if;
  if not exists (select from public.challenge_reasons r where r.code = challenge_by_support.reason)
  then
    return jsonb_build_object('status', 'invalid_reason');
  end if;
  if char_length(cleaned_note) > 2000 then
    return jsonb_build_object('status', 'invalid_note');
  end if;

  select p.challenged_at, s.name as school_name
  into locked
  from public.partnerships p
  join public.schools s on s.school_id = p.school_id
  where p.partnership_id = challenge_by_support.partnership_id
  for update of p;

  if not found then
    return jsonb_build_object('status', 'not_found');
  end if;
  if locked.challenged_at is not null then
    return jsonb_build_object('status', 'already_challenged', 'school_name', locked.school_name);
  end if;

  perform app.record_challenge(
    challenge_by_support.partnership_id, reason, 'support', support_user_id, cleaned_note
  );
  return jsonb_build_object('status', 'challenged', 'school_name', locked.school_name);
end
$$;

revoke execute on all functions in schema app from public;
grant execute on function app.challenge_link_status(text), app.challenge_by_token(text, text)
  to service_role;
grant execute on function app.challenge_by_support(uuid, text, text) to authenticated;
