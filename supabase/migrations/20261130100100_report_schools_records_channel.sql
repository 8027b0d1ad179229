-- app.report_schools as before (20261129000300), but the audit trail records how the report
-- came: 'api' from the Lead Provider API, 'portal' otherwise (app.current_channel()). The one
-- change is the channel of the `reported` / `re_reported` events; every rule and message stays.
create or replace function app.report_schools(
  cohort_start_year integer,
  delivery_partner_id uuid,
  urns text[],
  check_only boolean default false
)
  returns table (
    row_number integer,
    given text,
    urn text,
    school_name text,
    error text,
    partnership_id uuid
  )
  language plpgsql security definer set search_path = ''
as $$
#variable_conflict use_column
declare
  caller_id uuid := auth.uid();
  caller_lead_provider_id uuid := app.current_lead_provider_id();
  reported_cohort_id uuid;
begin
  if caller_lead_provider_id is null then
    raise exception 'not_a_provider_user'
      using hint = 'Only lead provider users can report schools.';
  end if;
  if urns is null or cardinality(urns) > 20000 then
    raise exception 'too_many_urns'
      using hint = 'Report at most 20,000 schools at a time.';
  end if;

  select c.cohort_id into reported_cohort_id
  from public.cohorts c
  where c.start_year = report_schools.cohort_start_year;
  if reported_cohort_id is null then
    raise exception 'cohort_not_found' using hint = 'There is no cohort starting in that year.';
  end if;

  if not exists (
    select from public.provider_relationships r
    where r.lead_provider_id = caller_lead_provider_id
      and r.delivery_partner_id = report_schools.delivery_partner_id
      and r.cohort_id = reported_cohort_id
  ) then
    raise exception 'delivery_partner_not_related'
      using hint = 'You do not work with this delivery partner in this cohort.';
  end if;

  -- Lock the schools (in one order, so two reports cannot deadlock) before looking at their
  -- partnerships: a concurrent report of the same school waits here, then sees the winner's
  -- partnership and gets "Recruited by other provider". The unique index is the backstop.
  if not check_only then
    perform
    from public.schools s
    where s.urn in (select n.urn from app.normalise_urns(report_schools.urns) n)
    order by s.school_id
    for no key update of s;
  end if;

  return query
  with verdicts as (
    select
      n.row_number,
      n.given,
      n.urn,
      s.school_id,
      s.name as school_name,
      case
        when s.school_id is null then 'URN is not valid'
        when s.status in ('open', 'proposed_to_close') and (
          s.is_independent
          or s.establishment_type in ('Welsh establishment', 'British schools overseas')
        ) then 'School not eligible for funding'
        when s.status not in ('open', 'proposed_to_close') or not s.in_england
          then 'School not eligible for inductions'
        when active.lead_provider_id = caller_lead_provider_id
          then 'Your school - already confirmed'
        when active.partnership_id is not null then 'Recruited by other provider'
      end as error,
      lost.partnership_id as lost_partnership_id
    from app.normalise_urns(report_schools.urns) n
    left join public.schools s on s.urn = n.urn
    left join public.partnerships active
      on active.school_id = s.school_id
      and active.cohort_id = reported_cohort_id
      and active.challenged_at is null
    left join public.partnerships lost
      on lost.school_id = s.school_id
      and lost.cohort_id = reported_cohort_id
      and lost.lead_provider_id = caller_lead_provider_id
      and lost.challenged_at is not null
  ),
  accepted as (
    select v.* from verdicts v where v.error is null and not report_schools.check_only
  ),
  -- The same lead provider re-reporting a school it lost reactivates that partnership: the
  -- challenge is cleared and the window starts again with new emails.
  reactivated as (
    update public.partnerships p
    set
      delivery_partner_id = report_schools.delivery_partner_id,
      reported_at = now(),
      reported_by = caller_id,
      school_notified_at = null,
      challenged_at = null,
      challenge_reason = null,
      challenge_channel = null,
      challenged_by = null,
      challenge_note = null
    from accepted a
    where p.partnership_id = a.lost_partnership_id
    returning p.partnership_id, p.school_id, 're_reported'::text as event_kind
  ),
  created as (
    insert into public.partnerships
      (school_id, lead_provider_id, delivery_partner_id, cohort_id, reported_by)
    select
      a.school_id, caller_lead_provider_id, report_schools.delivery_partner_id,
      reported_cohort_id, caller_id
    from accepted a
    where a.lost_partnership_id is null
    returning partnership_id, school_id, 'reported'::text as event_kind
  ),
  written as (
    select * from reactivated
    union all
    select * from created
  ),
  events as (
    insert into public.partnership_events (partnership_id, kind, channel, actor_user_id, details)
    select
      w.partnership_id, w.event_kind, app.current_channel(), caller_id,
      jsonb_build_object('delivery_partner_id', report_schools.delivery_partner_id)
    from written w
  ),
  -- Emails of the lost report not yet sent are replaced by the new ones.
  superseded as (
    update public.notifications old
    set status = 'cancelled'
    from reactivated r
    where old.partnership_id = r.partnership_id
      and old.status = 'queued'
      and old.kind in ('school_first', 'tutor_first', 'school_reminder', 'tutor_reminder')
  ),
  -- The nominated induction tutor if there is one, else the school's GIAS address; a school with
  -- neither gets a `no_address` row, never an email to anyone else.
  recipients as (
    select
      w.partnership_id,
      case when t.school_id is null then 'school' else 'tutor' end as audience,
      coalesce(t.email, s.gias_email) as email,
      case when t.school_id is null then 'gias' else 'induction_tutor' end as recipient_kind
    from written w
    join public.schools s on s.school_id = w.school_id
    left join public.induction_tutors t on t.school_id = w.school_id
  ),
  emails as (
    insert into public.notifications
      (kind, partnership_id, recipient_email, recipient_kind, status, due_at)
    select
      r.audience || '_first', r.partnership_id, r.email, r.recipient_kind,
      case when r.email is null then 'no_address' else 'queued' end, now()
    from recipients r
    union all
    select
      r.audience || '_reminder', r.partnership_id, r.email, r.recipient_kind, 'queued',
      now() + interval '7 days'
    from recipients r
    where r.email is not null
  )
  select v.row_number, v.given, v.urn, v.school_name, v.error, w.partnership_id
  from verdicts v
  left join written w on w.school_id = v.school_id
  order by v.row_number;
end
$$;
