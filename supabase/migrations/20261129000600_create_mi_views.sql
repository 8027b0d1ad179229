-- Management information for analysts, read in the Supabase SQL editor as role `analyst`.
-- The views are built from the append-only partnership events, so a challenge still counts after
-- the school is re-reported. They run with their owner's rights (security_invoker = false, the
-- Postgres default, kept on purpose): that is what lets analysts read them without any grant on
-- the tables, and without seeing anything the views leave out (no email addresses, no notes).
-- They call no functions: functions in a view run with the reader's rights, not the owner's.
-- Weeks are ISO weeks (Monday to Sunday) of the date in London.

create view mi.reports with (security_invoker = false) as
with reports_and_challenges as (
  select
    e.event_id,
    e.partnership_id,
    e.kind,
    e.created_at,
    e.details,
    lead(e.kind) over by_partnership as next_kind,
    lead(e.created_at) over by_partnership as next_created_at,
    lead(e.details) over by_partnership as next_details
  from public.partnership_events e
  where e.kind in ('reported', 're_reported', 'challenged')
  window by_partnership as (partition by e.partnership_id order by e.created_at, e.event_id)
)
select
  rc.event_id as report_event_id,
  rc.partnership_id,
  c.start_year as cohort_start_year,
  lp.name as lead_provider_name,
  dp.name as delivery_partner_name,
  s.urn,
  s.name as school_name,
  s.trust_name,
  case s.trust_type
    when 'multi_academy_trust' then 'Multi-academy trust'
    when 'single_academy_trust' then 'Single-academy trust'
    else 'Not in a trust'
  end as trust_category,
  rc.kind = 're_reported' as is_re_report,
  rc.created_at as reported_at,
  date_trunc('week', rc.created_at at time zone 'Europe/London')::date as report_week_starting,
  to_char(rc.created_at at time zone 'Europe/London', 'IYYY-"W"IW') as report_iso_week,
  case when rc.next_kind = 'challenged' then rc.next_created_at end as challenged_at,
  case when rc.next_kind = 'challenged' then rc.next_details ->> 'reason' end as challenge_reason
from reports_and_challenges rc
join public.partnerships p on p.partnership_id = rc.partnership_id
join public.cohorts c on c.cohort_id = p.cohort_id
join public.lead_providers lp on lp.lead_provider_id = p.lead_provider_id
join public.delivery_partners dp
  on dp.delivery_partner_id = (rc.details ->> 'delivery_partner_id')::uuid
join public.schools s on s.school_id = p.school_id
where rc.kind in ('reported', 're_reported');
comment on view mi.reports is
  'One row per school reported by a lead provider (a re-report after a challenge is a new row), '
  'with the challenge that ended it, if any. challenged_at is null while the report stands.';

create view mi.challenges with (security_invoker = false) as
select
  e.event_id as challenge_event_id,
  e.partnership_id,
  c.start_year as cohort_start_year,
  e.created_at as challenged_at,
  date_trunc('week', e.created_at at time zone 'Europe/London')::date as challenge_week_starting,
  to_char(e.created_at at time zone 'Europe/London', 'IYYY-"W"IW') as challenge_iso_week,
  e.details ->> 'reason' as reason_code,
  r.label as reason_label,
  e.channel,
  lp.name as lead_provider_name,
  dp.name as delivery_partner_name,
  s.urn,
  s.name as school_name,
  s.trust_name,
  case s.trust_type
    when 'multi_academy_trust' then 'Multi-academy trust'
    when 'single_academy_trust' then 'Single-academy trust'
    else 'Not in a trust'
  end as trust_category,
  (e.details ->> 'reported_at')::timestamptz as reported_at,
  (e.details ->> 'school_notified_at')::timestamptz as emailed_at,
  round(
    (extract(epoch from e.created_at - (e.details ->> 'school_notified_at')::timestamptz)
      / 86400)::numeric,
    1
  ) as days_from_email_to_challenge
from public.partnership_events e
join public.partnerships p on p.partnership_id = e.partnership_id
join public.cohorts c on c.cohort_id = p.cohort_id
join public.lead_providers lp on lp.lead_provider_id = p.lead_provider_id
join public.delivery_partners dp
  on dp.delivery_partner_id = (e.details ->> 'delivery_partner_id')::uuid
join public.schools s on s.school_id = p.school_id
left join public.challenge_reasons r on r.code = e.details ->> 'reason'
where e.kind = 'challenged';
comment on view mi.challenges is
  'One row per challenge ("report a mistake"), by the school through its email link (channel '
  'email_link) or by DfE support on its behalf (channel support). emailed_at is when Notify '
  'accepted the school email the window ran from; days_from_email_to_challenge is null when no '
  'email had been accepted.';

create view mi.challenge_rates_by_lead_provider with (security_invoker = false) as
select
  cohort_start_year,
  lead_provider_name,
  count(*) as schools_reported,
  count(challenged_at) as schools_challenged,
  round(count(challenged_at)::numeric / count(*), 4) as challenge_rate
from mi.reports
group by cohort_start_year, lead_provider_name;
comment on view mi.challenge_rates_by_lead_provider is
  'Reports and challenges per lead provider and cohort. challenge_rate = challenged / reported '
  '(0.0250 is 2.5%). A school reported again after a challenge counts as a second report.';

create view mi.challenge_rates_by_delivery_partner with (security_invoker = false) as
select
  cohort_start_year,
  delivery_partner_name,
  count(*) as schools_reported,
  count(challenged_at) as schools_challenged,
  round(count(challenged_at)::numeric / count(*), 4) as challenge_rate
from mi.reports
group by cohort_start_year, delivery_partner_name;
comment on view mi.challenge_rates_by_delivery_partner is
  'Reports and challenges per delivery partner named in the report, and cohort. challenge_rate = '
  'challenged / reported.';

create view mi.challenge_rates_by_trust_type with (security_invoker = false) as
select
  cohort_start_year,
  trust_category,
  count(*) as schools_reported,
  count(challenged_at) as schools_challenged,
  round(count(challenged_at)::numeric / count(*), 4) as challenge_rate
from mi.reports
group by cohort_start_year, trust_category;
comment on view mi.challenge_rates_by_trust_type is
  'Reports and challenges for schools in a multi-academy trust, in a single-academy trust, or '
  'not in a trust, per cohort. challenge_rate = challenged / reported.';

create view mi.challenge_rates_by_week with (security_invoker = false) as
select
  cohort_start_year,
  report_week_starting,
  report_iso_week,
  count(*) as schools_reported,
  count(challenged_at) as schools_challenged,
  round(count(challenged_at)::numeric / count(*), 4) as challenge_rate
from mi.reports
group by cohort_start_year, report_week_starting, report_iso_week;
comment on view mi.challenge_rates_by_week is
  'Schools reported in each ISO week (Monday start, London time) and how many of those were '
  'later challenged, per cohort. For challenges counted by the week they happened, group '
  'mi.challenges by challenge_iso_week.';

create view mi.challenges_by_reason with (security_invoker = false) as
with counted as (
  select cohort_start_year, reason_code, count(*) as challenges
  from mi.challenges
  group by cohort_start_year, reason_code
)
select
  c.start_year as cohort_start_year,
  r.code as reason_code,
  r.label as reason_label,
  r.position as reason_position,
  coalesce(n.challenges, 0) as challenges,
  round(
    coalesce(n.challenges, 0)::numeric
      / nullif(sum(coalesce(n.challenges, 0)) over (partition by c.start_year), 0),
    4
  ) as share_of_challenges
from public.cohorts c
cross join public.challenge_reasons r
left join counted n on n.cohort_start_year = c.start_year and n.reason_code = r.code;
comment on view mi.challenges_by_reason is
  'Challenges per reason and cohort, every reason listed (0 when none), in the order schools see '
  'them. share_of_challenges = this reason / all challenges in the cohort (null when none).';

create view mi.time_from_email_to_challenge with (security_invoker = false) as
select
  cohort_start_year,
  count(*) as challenges,
  count(days_from_email_to_challenge) as challenges_after_an_email,
  round(avg(days_from_email_to_challenge), 1) as mean_days,
  round(
    (percentile_cont(0.5) within group (order by days_from_email_to_challenge))::numeric, 1
  ) as median_days,
  round(
    (percentile_cont(0.9) within group (order by days_from_email_to_challenge))::numeric, 1
  ) as p90_days,
  max(days_from_email_to_challenge) as max_days
from mi.challenges
group by cohort_start_year;
comment on view mi.time_from_email_to_challenge is
  'How long schools took to report a mistake after the school email was accepted by Notify, in '
  'days, per cohort. Challenges made before any email was accepted are counted in challenges but '
  'not in the figures.';

create view mi.email_outcomes with (security_invoker = false) as
select
  c.start_year as cohort_start_year,
  n.kind,
  count(*) as emails,
  count(*) filter (where n.status in ('queued', 'sending')) as waiting,
  count(*) filter (where n.status = 'sent') as sent,
  count(*) filter (where n.delivery_status = 'delivered') as delivered,
  count(*) filter (
    where n.status = 'failed' or n.delivery_status in (
      'permanent-failure', 'temporary-failure', 'technical-failure'
    )
  ) as failed,
  count(*) filter (where n.status = 'no_address') as no_address,
  count(*) filter (where n.status = 'cancelled') as cancelled
from public.notifications n
join public.partnerships p on p.partnership_id = n.partnership_id
join public.cohorts c on c.cohort_id = p.cohort_id
group by c.start_year, n.kind;
comment on view mi.email_outcomes is
  'Emails per kind and cohort. sent = accepted by GOV.UK Notify; delivered and failed (never '
  'sent, or Notify could not deliver) come from Notify''s receipts; no_address = the school had '
  'no induction tutor and no GIAS email, so nothing was sent; cancelled = no longer needed '
  '(the school reported a mistake or was re-reported first); waiting = not sent yet.';

create view mi.undelivered_emails with (security_invoker = false) as
select
  n.notification_id,
  c.start_year as cohort_start_year,
  n.kind,
  n.recipient_kind,
  case
    when n.status = 'no_address' then 'No address'
    when n.status = 'failed' then 'Not sent'
    else 'Not delivered'
  end as outcome,
  coalesce(n.delivery_status, n.last_error) as detail,
  s.urn,
  s.name as school_name,
  lp.name as lead_provider_name,
  n.created_at,
  n.delivery_status_at
from public.notifications n
join public.partnerships p on p.partnership_id = n.partnership_id
join public.cohorts c on c.cohort_id = p.cohort_id
join public.schools s on s.school_id = p.school_id
join public.lead_providers lp on lp.lead_provider_id = p.lead_provider_id
where n.status in ('no_address', 'failed')
  or n.delivery_status in ('permanent-failure', 'temporary-failure', 'technical-failure');
comment on view mi.undelivered_emails is
  'Emails that did not reach anyone: no address, not sent after all retries, or not delivered '
  'according to Notify. Addresses are left out; support can look them up for a school.';

revoke all on all tables in schema mi from public, anon, authenticated, service_role;
grant select on all tables in schema mi to analyst;
