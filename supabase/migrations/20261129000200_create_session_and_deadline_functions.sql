-- Who the caller is, and when a school's window to report a mistake closes. Small functions that
-- the rules, the RLS policies and the email sender share, so each rule is written once.

-- The caller's lead provider, from the signed-in user; null for anyone else. Security definer so
-- that RLS policies can call it without recursing into provider_users' own policies.
create function app.current_lead_provider_id() returns uuid
  language sql stable security definer set search_path = ''
as $$
  select pu.lead_provider_id
  from public.provider_users pu
  where pu.user_id = (select auth.uid())
$$;

create function app.is_support_user() returns boolean
  language sql stable security definer set search_path = ''
as $$
  select exists (select from public.support_users su where su.user_id = (select auth.uid()))
$$;

-- The date shown to people: 14 days after the London date of the anchor (the school email Notify
-- accepted, else the report), or the cohort's earliest deadline if that is later. Pure, with the
-- time passed in, so tests can pin it around clock changes.
create function app.challenge_deadline_date(anchor_at timestamptz, earliest_deadline date)
  returns date
  language sql stable set search_path = ''
as $$
  select greatest((anchor_at at time zone 'Europe/London')::date + 14, earliest_deadline)
$$;

-- The first instant a challenge is refused: the London midnight that ends the deadline date, so
-- the window is honoured to the end of the day people are shown (the anchor cut it a day short).
create function app.challenge_window_closes_at(deadline date) returns timestamptz
  language sql stable set search_path = ''
as $$
  select ((deadline + 1)::timestamp at time zone 'Europe/London')
$$;

-- The deadline date of one partnership as things stand.
create function app.partnership_deadline_date(partnership_id uuid) returns date
  language sql stable security definer set search_path = ''
as $$
  select app.challenge_deadline_date(
    coalesce(p.school_notified_at, p.reported_at), c.earliest_challenge_deadline
  )
  from public.partnerships p
  join public.cohorts c using (cohort_id)
  where p.partnership_id = partnership_deadline_date.partnership_id
$$;

-- "2026 to 2027", as the service names cohorts.
create function app.cohort_label(start_year integer) returns text
  language sql immutable set search_path = ''
as $$
  select start_year::text || ' to ' || (start_year + 1)::text
$$;

revoke execute on all functions in schema app from public;
-- RLS policies call the session helpers as the signed-in user.
grant execute on function app.current_lead_provider_id(), app.is_support_user()
  to authenticated, service_role;
grant execute on function
  app.challenge_deadline_date(timestamptz, date),
  app.challenge_window_closes_at(date),
  app.partnership_deadline_date(uuid),
  app.cohort_label(integer)
to service_role;
