-- Issue 16: a link check does only the work that is the link's. Two things it did on every call
-- were not:
-- - It built the list of reasons a mistake can be reported for (read, sorted and made into JSON
--   afresh on each of the thousands of checks a second under load), although the list changes
--   only by migration. The challenge function now keeps the list for a minute
--   (supabase/functions/challenge/reason_list.ts) and adds it to an open link's answer; the report
--   still checks the reason given against the table.
-- - It joined the school for its name and URN, which the partnership now carries, kept equal to
--   the school's by trigger (20261130220000).
-- Measured on one connection: about a third of the statement's time (docs/performance.md,
-- section 1). Otherwise the same answers, in the same order of precedence: not found, superseded,
-- challenged, expired, open.

create or replace function app.challenge_link_status(token text) returns jsonb
  language plpgsql stable security definer set search_path = ''
as $$
begin
  return coalesce((
    select case
      when t.created_at < p.reported_at
        then jsonb_build_object('status', 'superseded', 'school_name', p.school_name)
      when p.challenged_at is not null
        then jsonb_build_object('status', 'challenged', 'school_name', p.school_name)
      when now() >= app.challenge_window_closes_at(d.deadline)
        then jsonb_build_object('status', 'expired', 'school_name', p.school_name, 'deadline', d.deadline)
      else jsonb_build_object(
        'status', 'open',
        'school_name', p.school_name,
        'urn', p.school_urn,
        'lead_provider_name', lp.name,
        'delivery_partner_name', dp.name,
        'cohort', app.cohort_label(c.start_year),
        'deadline', d.deadline
      )
    end
    from public.link_tokens t
    join public.partnerships p on p.partnership_id = t.partnership_id
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
