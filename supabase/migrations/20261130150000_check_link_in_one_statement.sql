-- A link check in one statement (issue 16). `app.challenge_link_status` ran up to five queries,
-- each through a helper with its own `set search_path` (the token's partnership, whether the link
-- is superseded, the deadline, the window's end, the cohort's label). Postgres cannot inline a
-- function with a `set` clause, and runs a SQL function's body through a plan made afresh for
-- each call, so a check planned four or five small queries every time: about 1.1 ms of
-- Postgres's time against 0.1 ms for `select 1`. Now one query finds the token by its hash (the
-- primary key) and the partnership and names by theirs, and works out the answer in one `case`;
-- plpgsql keeps its plan for the session. About 0.3 to 0.5 ms (docs/performance.md, section 1).
--
-- A `language sql` function would not help here: Postgres 17 plans a SQL function's body on every
-- call it is not inlined into, and a `security definer` function never is.
--
-- The three rules it needs are restated inline rather than called, for the reason above; they are
-- the bodies of `app.challenge_deadline_date` (14 days from the email that reached the school, in
-- London, or the cohort's earliest deadline if later), `app.challenge_window_closes_at` (the end
-- of the deadline's day in London) and `app.cohort_label`. The answers are the same, in the same
-- order of precedence: not found, superseded, challenged, expired, open.

create or replace function app.challenge_link_status(token text) returns jsonb
  language plpgsql stable security definer set search_path = ''
as $$
begin
  return coalesce((
    select case
      when t.created_at < p.reported_at
        then jsonb_build_object('status', 'superseded', 'school_name', s.name)
      when p.challenged_at is not null
        then jsonb_build_object('status', 'challenged', 'school_name', s.name)
      when now() >= ((d.deadline + 1)::timestamp at time zone 'Europe/London')
        then jsonb_build_object('status', 'expired', 'school_name', s.name, 'deadline', d.deadline)
      else jsonb_build_object(
        'status', 'open',
        'school_name', s.name,
        'urn', s.urn,
        'lead_provider_name', lp.name,
        'delivery_partner_name', dp.name,
        'cohort', c.start_year::text || ' to ' || (c.start_year + 1)::text,
        'deadline', d.deadline,
        'reasons', (
          select jsonb_agg(jsonb_build_object('code', r.code, 'label', r.label) order by r.position)
          from public.challenge_reasons r
        )
      )
    end
    from public.link_tokens t
    join public.partnerships p on p.partnership_id = t.partnership_id
    join public.schools s on s.school_id = p.school_id
    join public.lead_providers lp on lp.lead_provider_id = p.lead_provider_id
    join public.delivery_partners dp on dp.delivery_partner_id = p.delivery_partner_id
    join public.cohorts c on c.cohort_id = p.cohort_id
    cross join lateral (
      select greatest(
        (coalesce(p.school_notified_at, p.reported_at) at time zone 'Europe/London')::date + 14,
        c.earliest_challenge_deadline
      ) as deadline
    ) d
    where t.token_hash = extensions.digest(convert_to(token, 'UTF8'), 'sha256')
  ), jsonb_build_object('status', 'not_found'));
end
$$;
