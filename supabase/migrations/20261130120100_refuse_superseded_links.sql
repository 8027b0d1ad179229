-- A link from a report that is no longer current says so and changes nothing. When a lead
-- provider re-reports a school that reported a mistake, the partnership row is reused (its
-- `reported_at` moves on) and new emails with new links go out; the first email's link pointed at
-- the same row, so until now it answered as open again and could end the new report, although
-- that email named another delivery partner. A link is current only if it was made for this
-- report: its token was created (when its email was claimed for sending) at or after the
-- report's `reported_at`.

create function app.link_token_superseded(token text) returns boolean
  language sql stable security definer set search_path = ''
as $$
  select exists (
    select
    from public.link_tokens t
    join public.partnerships p on p.partnership_id = t.partnership_id
    where t.token_hash = extensions.digest(convert_to(token, 'UTF8'), 'sha256')
      and t.created_at < p.reported_at
  )
$$;

-- As in 20261129000400, with `superseded` (and the school's name) before any other answer.
create or replace function app.challenge_link_status(token text) returns jsonb
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
  if app.link_token_superseded(token) then
    return jsonb_build_object('status', 'superseded', 'school_name', linked.school_name);
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

-- As in 20261129000400, refusing a superseded link after taking the partnership's lock, so a
-- re-report committed while this call waited is seen.
create or replace function app.challenge_by_token(token text, reason text) returns jsonb
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

  if app.link_token_superseded(token) then
    return jsonb_build_object('status', 'superseded', 'school_name', locked.school_name);
  end if;
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

revoke execute on function app.link_token_superseded(text) from public;
