-- DfE support sends a school's first email again, to an address the school has corrected (the
-- GIAS address was wrong, or the tutor has left). It is an ordinary `school_first` email in the
-- outbox, so when Notify accepts it the school's 14 days restart from it, as for any first email.

-- Status queued (with notification_id), already_challenged or not_found, with the school's name
-- once the partnership is known. Emails to the old address still waiting are cancelled and a
-- reminder still waiting follows the new address, so the school hears from us at one address.
create function app.resend_school_notification(partnership_id uuid, email text)
  returns jsonb
  language plpgsql security definer set search_path = ''
as $$
declare
  cleaned_email text := btrim(email);
  locked record;
  queued_id uuid;
begin
  if not app.is_support_user() then
    raise exception 'not_a_support_user'
      using hint = 'Only DfE support users can send a school''s email again.';
  end if;
  -- The function checks the address properly; this keeps nonsense out of the outbox.
  if cleaned_email !~ '^[^@\s]+@[^@\s]+\.[^@\s]+$' or char_length(cleaned_email) > 320 then
    raise exception 'invalid_email' using hint = 'Enter an email address in the correct format.';
  end if;

  -- Locked like a challenge, so a resend and a challenge at once cannot both act.
  select p.challenged_at, s.name as school_name
  into locked
  from public.partnerships p
  join public.schools s on s.school_id = p.school_id
  where p.partnership_id = resend_school_notification.partnership_id
  for update of p;

  if not found then
    return jsonb_build_object('status', 'not_found');
  end if;
  if locked.challenged_at is not null then
    return jsonb_build_object('status', 'already_challenged', 'school_name', locked.school_name);
  end if;

  update public.notifications n
  set status = 'cancelled'
  where n.partnership_id = resend_school_notification.partnership_id
    and n.status = 'queued'
    and n.kind in ('school_first', 'tutor_first');

  update public.notifications n
  set kind = 'school_reminder', recipient_email = cleaned_email,
    recipient_kind = 'support_corrected'
  where n.partnership_id = resend_school_notification.partnership_id
    and n.status = 'queued'
    and n.kind in ('school_reminder', 'tutor_reminder');

  insert into public.notifications (kind, partnership_id, recipient_email, recipient_kind)
  values (
    'school_first', resend_school_notification.partnership_id, cleaned_email, 'support_corrected'
  )
  returning notification_id into queued_id;

  return jsonb_build_object(
    'status', 'queued', 'school_name', locked.school_name, 'notification_id', queued_id
  );
end
$$;

revoke execute on function app.resend_school_notification(uuid, text) from public;
grant execute on function app.resend_school_notification(uuid, text) to authenticated;

-- A partnership's deadline as things stand and whether its window has closed, for the support
-- pages, which read under RLS: the date rules stay with the service role, and this answers only a
-- support user (no row for anyone else).
create function app.support_partnership_deadline(partnership_id uuid)
  returns table (deadline date, window_closed boolean)
  language sql stable security definer set search_path = ''
as $$
  select d.deadline, now() >= app.challenge_window_closes_at(d.deadline)
  from (select app.partnership_deadline_date(support_partnership_deadline.partnership_id)
    as deadline) d
  where app.is_support_user() and d.deadline is not null
$$;

revoke execute on function app.support_partnership_deadline(uuid) from public;
grant execute on function app.support_partnership_deadline(uuid) to authenticated;
