-- MI for trusts and for "Get a new link".
--
-- Mistakes in the public beta clustered in multi-academy trusts, where the provider recruited the
-- trust and not every school knew. mi.challenges_by_trust shows, per cohort, lead provider and
-- trust, how many of the trust's schools the provider reported and how many reports were
-- challenged, and whether it reported every school of the trust or only some; and
-- mi.challenge_rates_by_trust_coverage compares the two. A trust's size is its open schools in
-- GIAS now (the schools table holds the current record, as mi.reports' trust columns do).
--
-- mi.new_links_by_lead_provider: how many schools needed a new link, by provider (from the
-- partnership events a matched request records); mi.new_link_requests_by_day: every request,
-- matched or not, and how many a limit refused, to watch for misuse. No URN, no address hash.

create view mi.challenges_by_trust with (security_invoker = false) as
with trust_size as (
  select s.trust_uid, count(*) filter (where s.status in ('open', 'proposed_to_close'))
    as schools_in_trust
  from public.schools s
  where s.trust_type = 'multi_academy_trust'
  group by s.trust_uid
),
by_provider as (
  select
    o.cohort_id,
    o.lead_provider_id,
    s.trust_uid,
    max(s.trust_name) as trust_name,
    count(distinct o.school_id) as schools_reported,
    count(*) as reports,
    count(o.challenged_at) as reports_challenged
  from app.report_outcomes o
  join public.schools s on s.school_id = o.school_id
  where s.trust_type = 'multi_academy_trust'
  group by o.cohort_id, o.lead_provider_id, s.trust_uid
)
select
  c.start_year as cohort_start_year,
  lp.name as lead_provider_name,
  b.trust_uid,
  b.trust_name,
  t.schools_in_trust,
  b.schools_reported,
  case
    when b.schools_reported >= t.schools_in_trust then 'Every school in the trust'
    else 'Some schools in the trust'
  end as trust_coverage,
  b.reports,
  b.reports_challenged,
  round(b.reports_challenged::numeric / b.reports, 4) as challenge_rate
from by_provider b
join trust_size t on t.trust_uid = b.trust_uid
join public.cohorts c on c.cohort_id = b.cohort_id
join public.lead_providers lp on lp.lead_provider_id = b.lead_provider_id;

create view mi.challenge_rates_by_trust_coverage with (security_invoker = false) as
select
  cohort_start_year,
  trust_coverage,
  count(*) as provider_trusts,
  sum(reports) as reports,
  sum(reports_challenged) as reports_challenged,
  round(sum(reports_challenged) / sum(reports), 4) as challenge_rate
from mi.challenges_by_trust
group by cohort_start_year, trust_coverage;

create view mi.new_links_by_lead_provider with (security_invoker = false) as
select
  c.start_year as cohort_start_year,
  lp.name as lead_provider_name,
  count(distinct p.school_id) as schools_needing_new_link,
  count(*) as new_link_requests
from public.partnership_events e
join public.partnerships p on p.partnership_id = e.partnership_id
join public.cohorts c on c.cohort_id = p.cohort_id
join public.lead_providers lp on lp.lead_provider_id = p.lead_provider_id
where e.kind = 'new_link_requested'
group by c.start_year, lp.name;

create view mi.new_link_requests_by_day with (security_invoker = false) as
select
  (r.created_at at time zone 'Europe/London')::date as request_date,
  count(*) as requests,
  count(*) filter (where r.outcome = 'accepted' and r.links_sent > 0) as requests_matched,
  count(*) filter (where r.outcome <> 'accepted') as requests_refused_by_limit
from app.new_link_requests r
group by 1;

grant select on
  mi.challenges_by_trust, mi.challenge_rates_by_trust_coverage, mi.new_links_by_lead_provider,
  mi.new_link_requests_by_day
to analyst;
