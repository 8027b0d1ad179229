-- The link check calls the rules instead of restating them (issue 16). 20261130150000 wrote the
-- deadline (`app.challenge_deadline_date`), the end of its day (`app.challenge_window_closes_at`)
-- and the cohort's label (`app.cohort_label`) inline in `app.challenge_link_status`, because a
-- helper with `set search_path` was a call per check and a plan per call. Those helpers are now
-- inlined into the query that calls them (20261130221000): their bodies become part of this
-- query's plan, which plpgsql keeps for the session, so calling them costs nothing at run time
-- (measured: docs/performance.md, section 5), and a change to a rule is made in one place. Which
-- email starts the 14 days is as `app.partnership_deadline_date` says: the one that reached the
-- school, else the report. Same answers, in the same order of precedence: not found, superseded,
-- challenged, expired, open.

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
      when now() >= app.challenge_window_closes_at(d.deadline)
        then jsonb_build_object('status', 'expired', 'school_name', s.name, 'deadline', d.deadline)
      else jsonb_build_object(
        'status', 'open',
        'school_name', s.name,
        'urn', s.urn,
        'lead_provider_name', lp.name,
        'delivery_partner_name', dp.name,
        'cohort', app.cohort_label(c.start_year),
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
      select app.challenge_deadline_date(
        coalesce(p.school_notified_at, p.reported_at), c.earliest_challenge_deadline
      ) as deadline
    ) d
    where t.token_hash = extensions.digest(convert_to(token, 'UTF8'), 'sha256')
  ), jsonb_build_object('status', 'not_found'));
end
$$;
