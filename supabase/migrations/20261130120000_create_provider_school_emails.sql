-- What a lead provider needs to act on each school it reported: whether the school's email
-- reached it (or could not be sent: no address), until when the school can report a mistake, and
-- whom to contact there (the induction tutor, else the school's GIAS address).
--
-- Providers cannot read the outbox or the tutors table (both hold addresses of schools they never
-- recruited), so this one function answers for the caller's own partnerships only; anything else
-- in `partnership_ids` is simply left out.
create function app.provider_school_emails(partnership_ids uuid[])
returns table (
  partnership_id uuid,
  email_status text,
  contact_email text,
  contact_kind text,
  deadline date
)
language sql
stable
security definer
set search_path = ''
as $$
  select
    p.partnership_id,
    case
      when latest.status is null then 'not_sent'
      when latest.status = 'no_address' then 'no_address'
      when latest.delivery_status = 'delivered' then 'delivered'
      when latest.status = 'failed' or latest.delivery_status is not null then 'not_delivered'
      when latest.status = 'sent' then 'sent'
      else 'sending'
    end,
    coalesce(t.email, s.gias_email),
    case
      when t.email is not null then 'induction_tutor'
      when s.gias_email is not null then 'school'
    end,
    app.challenge_deadline_date(
      coalesce(p.school_notified_at, p.reported_at), c.earliest_challenge_deadline
    )
  from public.partnerships p
  join public.schools s on s.school_id = p.school_id
  join public.cohorts c on c.cohort_id = p.cohort_id
  left join public.induction_tutors t on t.school_id = p.school_id
  -- The school's newest first email of this report: a resend or a fallback to the GIAS address
  -- replaces the one before it; a cancelled one never went.
  left join lateral (
    select n.status, n.delivery_status
    from public.notifications n
    where n.partnership_id = p.partnership_id
      and n.kind in ('school_first', 'tutor_first')
      and n.status <> 'cancelled'
      and n.created_at >= p.reported_at
    order by n.created_at desc
    limit 1
  ) latest on true
  where p.partnership_id = any(provider_school_emails.partnership_ids)
    and p.lead_provider_id = app.current_lead_provider_id()
$$;

revoke execute on function app.provider_school_emails(uuid[]) from public;
grant execute on function app.provider_school_emails(uuid[]) to app_user;
