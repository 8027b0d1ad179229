-- The MI views answer in about a second at 300,000 partnerships. mi.reports used to work out, on
-- every read, which challenge ended each report: a window over every report and challenge event
-- in partnership order, then joins of 300,000-row sets, on a delivery partner read out of the
-- event's JSON (estimated at a tenth of its rows), with hash tables spilling to disk; and each
-- mi.challenge_rates_* view did all of that again. Now that answer is written once, when the
-- event is: app.report_outcomes holds one row per report event, with the ids it is grouped by and
-- the challenge that ended it, kept by a trigger on partnership_events in the same transaction.
-- So the views stay exact and current (nothing to refresh, no age to show), and read one narrow
-- table instead of a window over the audit trail.
--
-- The trigger relies on what the app functions do: events are appended as they happen (created_at
-- defaults to now()), so a challenge ends the report just before it. The backfill below, for rows
-- already there, uses the window the views used.

create table app.report_outcomes (
  report_event_id bigint primary key references public.partnership_events on delete cascade,
  partnership_id uuid not null,
  cohort_id uuid not null,
  lead_provider_id uuid not null,
  -- The delivery partner named in this report (a re-report may name another).
  delivery_partner_id uuid not null,
  school_id uuid not null,
  is_re_report boolean not null,
  reported_at timestamptz not null,
  -- Monday of the ISO week of the report's date in London, and that week's name (2026-W37):
  -- worked out once, not on every read (naming 300,000 weeks took longer than the rest of a read).
  report_week_starting date not null,
  report_iso_week text not null,
  challenge_event_id bigint,
  challenged_at timestamptz,
  challenge_reason text,
  check ((challenge_event_id is null) = (challenged_at is null))
);
comment on table app.report_outcomes is
  'For the MI views: one row per reported or re_reported event, with the challenge that ended '
  'it. Written only by the trigger on public.partnership_events.';

alter table app.report_outcomes enable row level security;
revoke all on app.report_outcomes from public, anon, authenticated, service_role;

-- The week of a report, and its name. Plain SQL with qualified names and no SET clause, so
-- Postgres inlines them into the statements below instead of calling them once per row.
create function app.report_week_starting(reported_at timestamptz) returns date
  language sql immutable
as $$
  select pg_catalog.date_trunc('week', pg_catalog.timezone('Europe/London', reported_at))::date
$$;
create function app.iso_week_name(week_starting date) returns text
  language sql immutable
as $$
  select pg_catalog.to_char(week_starting, 'IYYY-"W"IW')
$$;
revoke execute on function
  app.report_week_starting(timestamptz), app.iso_week_name(date)
from public;

-- Statement level, over the statement's new events: reporting 10,000 schools adds 10,000 rows in
-- one insert. A challenge ends the report event just before it, if that event is a report (the
-- same pairing the views made with lead()).
create function app.record_report_outcomes() returns trigger
  language plpgsql security definer set search_path = ''
as $$
declare
  challenge record;
begin
  insert into app.report_outcomes (
    report_event_id, partnership_id, cohort_id, lead_provider_id, delivery_partner_id, school_id,
    is_re_report, reported_at, report_week_starting, report_iso_week
  )
  select
    e.event_id, e.partnership_id, p.cohort_id, p.lead_provider_id,
    (e.details ->> 'delivery_partner_id')::uuid, p.school_id, e.kind = 're_reported',
    e.created_at, app.report_week_starting(e.created_at),
    app.iso_week_name(app.report_week_starting(e.created_at))
  from added_events e
  join public.partnerships p on p.partnership_id = e.partnership_id
  where e.kind in ('reported', 're_reported');

  -- One challenge at a time (a statement records one, as a rule): each update is then a primary
  -- key lookup, never a join the planner might answer by reading the whole table.
  for challenge in
    select c.event_id, c.partnership_id, c.created_at, c.details ->> 'reason' as reason
    from added_events c
    where c.kind = 'challenged'
    order by c.created_at, c.event_id
  loop
    update app.report_outcomes o
    set
      challenge_event_id = challenge.event_id,
      challenged_at = challenge.created_at,
      challenge_reason = challenge.reason
    where o.report_event_id = (
      select before.event_id
      from public.partnership_events before
      where before.partnership_id = challenge.partnership_id
        and before.kind in ('reported', 're_reported', 'challenged')
        and (before.created_at, before.event_id) < (challenge.created_at, challenge.event_id)
      order by before.created_at desc, before.event_id desc
      limit 1
    );
  end loop;
  return null;
end
$$;
revoke execute on function app.record_report_outcomes() from public;

create trigger partnership_events_record_report_outcomes
  after insert on public.partnership_events
  referencing new table as added_events
  for each statement execute function app.record_report_outcomes();

-- The reports and challenges already recorded.
insert into app.report_outcomes (
  report_event_id, partnership_id, cohort_id, lead_provider_id, delivery_partner_id, school_id,
  is_re_report, reported_at, report_week_starting, report_iso_week, challenge_event_id,
  challenged_at, challenge_reason
)
with sequenced as (
  select
    e.event_id,
    e.partnership_id,
    e.kind,
    e.created_at,
    (e.details ->> 'delivery_partner_id')::uuid as delivery_partner_id,
    lead(e.kind) over by_partnership as next_kind,
    lead(e.event_id) over by_partnership as next_event_id,
    lead(e.created_at) over by_partnership as next_created_at,
    lead(e.details ->> 'reason') over by_partnership as next_reason
  from public.partnership_events e
  where e.kind in ('reported', 're_reported', 'challenged')
  window by_partnership as (partition by e.partnership_id order by e.created_at, e.event_id)
)
select
  q.event_id, q.partnership_id, p.cohort_id, p.lead_provider_id, q.delivery_partner_id,
  p.school_id, q.kind = 're_reported', q.created_at, app.report_week_starting(q.created_at),
  app.iso_week_name(app.report_week_starting(q.created_at)),
  case when q.next_kind = 'challenged' then q.next_event_id end,
  case when q.next_kind = 'challenged' then q.next_created_at end,
  case when q.next_kind = 'challenged' then q.next_reason end
from sequenced q
join public.partnerships p on p.partnership_id = q.partnership_id
where q.kind in ('reported', 're_reported');

-- The same columns as before, read from the table.
create or replace view mi.reports with (security_invoker = false) as
select
  o.report_event_id,
  o.partnership_id,
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
  o.is_re_report,
  o.reported_at,
  o.report_week_starting,
  o.report_iso_week,
  o.challenged_at,
  o.challenge_reason
from app.report_outcomes o
join public.cohorts c on c.cohort_id = o.cohort_id
join public.lead_providers lp on lp.lead_provider_id = o.lead_provider_id
join public.delivery_partners dp on dp.delivery_partner_id = o.delivery_partner_id
join public.schools s on s.school_id = o.school_id;

-- The rate views read the table with only the names they group by: mi.reports would join every
-- school for each of them. (Only the trust view needs the schools.)
create or replace view mi.challenge_rates_by_lead_provider with (security_invoker = false) as
select
  c.start_year as cohort_start_year,
  lp.name as lead_provider_name,
  count(*) as schools_reported,
  count(o.challenged_at) as schools_challenged,
  round(count(o.challenged_at)::numeric / count(*), 4) as challenge_rate
from app.report_outcomes o
join public.cohorts c on c.cohort_id = o.cohort_id
join public.lead_providers lp on lp.lead_provider_id = o.lead_provider_id
group by c.start_year, lp.name;

create or replace view mi.challenge_rates_by_delivery_partner with (security_invoker = false) as
select
  c.start_year as cohort_start_year,
  dp.name as delivery_partner_name,
  count(*) as schools_reported,
  count(o.challenged_at) as schools_challenged,
  round(count(o.challenged_at)::numeric / count(*), 4) as challenge_rate
from app.report_outcomes o
join public.cohorts c on c.cohort_id = o.cohort_id
join public.delivery_partners dp on dp.delivery_partner_id = o.delivery_partner_id
group by c.start_year, dp.name;

create or replace view mi.challenge_rates_by_trust_type with (security_invoker = false) as
select
  cohort_start_year,
  trust_category,
  count(*) as schools_reported,
  count(challenged_at) as schools_challenged,
  round(count(challenged_at)::numeric / count(*), 4) as challenge_rate
from mi.reports
group by cohort_start_year, trust_category;

create or replace view mi.challenge_rates_by_week with (security_invoker = false) as
select
  c.start_year as cohort_start_year,
  o.report_week_starting,
  o.report_iso_week,
  count(*) as schools_reported,
  count(o.challenged_at) as schools_challenged,
  round(count(o.challenged_at)::numeric / count(*), 4) as challenge_rate
from app.report_outcomes o
join public.cohorts c on c.cohort_id = o.cohort_id
group by c.start_year, o.report_week_starting, o.report_iso_week;
